package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlanIdsTest {

    @Test
    void shouldNeverHandOutAnIdTwiceWhateverTheThread() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        var pool = Executors.newFixedThreadPool(4);
        try {
            var done = pool.invokeAll(IntStream.range(0, 4).<java.util.concurrent.Callable<Void>>mapToObj(t -> () -> {
                for (int i = 0; i < 25_000; i++) {
                    ids.add(PlanIds.next());
                }
                return null;
            }).toList());
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(100_000).allMatch(id -> id.matches("[0-9a-f]{32}"));
    }

    @Test
    void shouldShareOnePrefixAmongAProcesssIds() {
        List<String> ids = IntStream.range(0, 3).mapToObj(i -> PlanIds.next()).toList();
        assertThat(ids).doesNotHaveDuplicates().extracting(id -> id.substring(0, 16)).containsOnly(ids.get(0).substring(0, 16));
    }

    @Test
    void shouldWriteEveryLongInSixteenDigits() {
        assertThat(PlanIds.hex(0)).isEqualTo("0000000000000000");
        assertThat(PlanIds.hex(1)).isEqualTo("0000000000000001");
        assertThat(PlanIds.hex(-1)).isEqualTo("ffffffffffffffff");
        assertThat(PlanIds.hex(Long.MIN_VALUE)).isEqualTo("8000000000000000");
    }
}
