package io.ferry.schemas.job;

/** One problem with a job document: the dotted path of the field and what is wrong with it. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
