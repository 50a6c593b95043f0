package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.storage.ObjectInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {
    static final ObjectInfo ENTRY = new ObjectInfo("m/a.bin", 10, "v2", Instant.EPOCH);

    static final String HERE = "file:///models/";

    static KnownObject status(String version, ObjectState state) {
        return status(version, state, HERE);
    }

    static KnownObject status(String version, ObjectState state, String destination) {
        return KnownObject.of(new ObjectStatus("ns/j", "m/a.bin", "p", state, version, 10, 1, 0, 1, 10, 1, 10, null, null, null,
                Instant.EPOCH, destination));
    }

    @Test
    void shouldCopyWhatTheVerifierHasNeverSeen() {
        assertThat(ChangeDetector.needsCopy(ENTRY, null, HERE, null)).isTrue();
    }

    @Test
    void shouldCopyAModifiedObject() {
        assertThat(ChangeDetector.needsCopy(ENTRY, status("v1", ObjectState.VERIFIED), HERE, null)).isTrue();
    }

    @Test
    void shouldLeaveAVerifiedOrInFlightObjectAlone() {
        for (ObjectState s : List.of(ObjectState.VERIFIED, ObjectState.PENDING, ObjectState.COPYING, ObjectState.COMMITTING)) {
            assertThat(ChangeDetector.needsCopy(ENTRY, status("v2", s), HERE, null)).as(s.name()).isFalse();
        }
    }

    @Test
    void shouldPlanAgainAnObjectStuckInFlightButNotOneStillMoving() {
        Instant cutoff = Instant.EPOCH.plusSeconds(60);
        for (ObjectState s : List.of(ObjectState.PENDING, ObjectState.COPYING, ObjectState.COMMITTING)) {
            // not updated since the epoch: stuck
            assertThat(ChangeDetector.needsCopy(ENTRY, status("v2", s), HERE, cutoff)).as(s.name()).isTrue();
            // updated after the cutoff: on its way
            assertThat(ChangeDetector.needsCopy(ENTRY, status("v2", s), HERE, Instant.EPOCH)).as(s.name()).isFalse();
        }
        assertThat(ChangeDetector.needsCopy(ENTRY, status("v2", ObjectState.VERIFIED), HERE, cutoff)).isFalse();
    }

    @Test
    void shouldRetryAFailedObjectOnTheNextScan() {
        assertThat(ChangeDetector.needsCopy(ENTRY, status("v2", ObjectState.FAILED), HERE, null)).isTrue();
    }

    @Test
    void shouldCopyAgainWhenTheJobNowPointsAtAnotherDestination() {
        // verified at the old destination says nothing about the new one
        assertThat(ChangeDetector.needsCopy(ENTRY, status("v2", ObjectState.VERIFIED, "file:///old/"), HERE, null)).isTrue();
        assertThat(ChangeDetector.needsCopy(ENTRY, status("v2", ObjectState.VERIFIED, null), HERE, null)).isTrue();
    }

    @Test
    void shouldApplyIncludeAndExcludeLikeRclone() {
        var filters = new ChangeDetector(List.of("*.safetensors", "config/**"), List.of("**/tmp-*"));
        assertThat(filters.selected("weights/model-00001.safetensors")).isTrue();
        assertThat(filters.selected("config/a/b.json")).isTrue();
        assertThat(filters.selected("tokenizer.json")).isFalse();
        assertThat(filters.selected("weights/tmp-1.safetensors")).isFalse();
        assertThat(new ChangeDetector(List.of(), List.of()).selected("anything/at/all")).isTrue();
    }

    @Test
    void shouldTakeAKeyThatIsNoPathAsMatchingNoPatternInsteadOfFailingTheScan() {
        // An object store may list a key with a NUL, which is no path here: one such key must not
        // stop a scan. The store that cannot take it refuses that object alone.
        String noPath = "weights/a\0b.safetensors";
        assertThat(new ChangeDetector(List.of(), List.of()).selected(noPath)).isTrue();
        assertThat(new ChangeDetector(List.of(), List.of("**/tmp-*")).selected(noPath)).isTrue();
        assertThat(new ChangeDetector(List.of("*.safetensors"), List.of()).selected(noPath)).isFalse();
    }
}
