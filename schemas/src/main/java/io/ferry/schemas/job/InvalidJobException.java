package io.ferry.schemas.job;

import java.util.List;
import java.util.stream.Collectors;

/** A job document that cannot be accepted. The message lists every field at fault. */
public class InvalidJobException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidJobException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public InvalidJobException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
