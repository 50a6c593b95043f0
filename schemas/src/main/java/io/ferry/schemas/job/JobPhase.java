package io.ferry.schemas.job;

/** The OME job phases. A continuous job never reaches Completed; it stays Running and reports InSync. */
public enum JobPhase {
    Pending, Running, Completed, Failed, Suspended
}
