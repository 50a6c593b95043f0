package io.ferry.schemas.events;

/** Where one object version is on its way to Verified. VERIFIED and FAILED are final. */
public enum ObjectState {
    PENDING, COPYING, COMMITTING, VERIFIED, FAILED;

    public boolean isFinal() {
        return this == VERIFIED || this == FAILED;
    }
}
