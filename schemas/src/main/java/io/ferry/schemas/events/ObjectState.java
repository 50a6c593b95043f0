package io.ferry.schemas.events;

/**
 * Where one object version is on its way to Verified. VERIFIED, FAILED and GONE (the source
 * object was deleted before it could be copied) are final.
 */
public enum ObjectState {
    PENDING, COPYING, COMMITTING, VERIFIED, FAILED, GONE;

    public boolean isFinal() {
        return this == VERIFIED || this == FAILED || this == GONE;
    }
}
