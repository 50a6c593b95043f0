package io.ferry.schemas.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Kubernetes condition status, written as the strings "True", "False", "Unknown". */
public enum ConditionStatus {
    TRUE("True"), FALSE("False"), UNKNOWN("Unknown");

    private final String text;

    ConditionStatus(String text) {
        this.text = text;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @JsonCreator
    public static ConditionStatus of(String text) {
        for (ConditionStatus s : values()) {
            if (s.text.equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("condition status must be True, False or Unknown: " + text);
    }

    public static ConditionStatus of(boolean value) {
        return value ? TRUE : FALSE;
    }
}
