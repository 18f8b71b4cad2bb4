package dev.drover.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** What the runner does with what a controller returns or throws. */
class ControllerRunnerTest {

    private final BlockingQueue<List<String>> batches = new LinkedBlockingQueue<>();

    @Test
    void anExceptionRetriesTheBatchWithBackoffAndTheThreadGoesOn() throws Exception {
        var queue = new WorkQueue<String>(Duration.ofMillis(20), Duration.ofSeconds(1));
        var failingOnce = new Recording(call -> {
            if (call == 1) {
                throw new IllegalStateException("a bug in the controller");
            }
            return Set.of();
        });
        try (var runner = new ControllerRunner<>(failingOnce, queue, 10, ControllerRunner.Pacing.NONE, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).start()) {
            queue.add("a");
            assertThat(batches.poll(5, TimeUnit.SECONDS)).containsExactly("a");
            assertThat(batches.poll(5, TimeUnit.SECONDS)).as("retried after the failure").containsExactly("a");
            queue.add("b");
            assertThat(batches.poll(5, TimeUnit.SECONDS)).as("the thread still works").containsExactly("b");
        }
    }

    @Test
    void keysTheControllerReturnsAreRetriedAndTheOthersForgotten() throws Exception {
        var queue = new WorkQueue<String>(Duration.ofMillis(20), Duration.ofSeconds(1));
        var retryingB = new Recording(call -> call == 1 ? Set.of("b") : Set.of());
        try (var runner = new ControllerRunner<>(retryingB, queue, 10, ControllerRunner.Pacing.NONE, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).start()) {
            queue.addAll(List.of("a", "b"));
            assertThat(batches.poll(5, TimeUnit.SECONDS)).containsExactly("a", "b");
            assertThat(batches.poll(5, TimeUnit.SECONDS)).containsExactly("b");
            assertThat(batches.poll(200, TimeUnit.MILLISECONDS)).as("nothing more").isNull();
        }
    }

    /** Records each batch (sorted) and answers as told for the n-th call. */
    private final class Recording implements Controller<String> {
        private final IntFunction<Set<String>> answer;
        private final AtomicInteger calls = new AtomicInteger();

        Recording(IntFunction<Set<String>> answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public Set<String> reconcile(List<String> batch) {
            batches.add(batch.stream().sorted().toList());
            return answer.apply(calls.incrementAndGet());
        }
    }
}
