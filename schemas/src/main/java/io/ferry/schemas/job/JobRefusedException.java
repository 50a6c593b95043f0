package io.ferry.schemas.job;

import java.util.List;

/**
 * A valid job its namespace's policy does not allow (a storage root, endpoint, secret or
 * authentication mode the operator has not granted it): 403 where 400 is for a malformed job.
 */
public class JobRefusedException extends InvalidJobException {
    public JobRefusedException(List<FieldError> errors) {
        super(errors);
    }
}
