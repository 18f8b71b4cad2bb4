package dev.drover.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    private final AtomicLong now = new AtomicLong();
    private final WorkQueue<String> queue = new WorkQueue<>(Duration.ofMillis(500), Duration.ofSeconds(5), now::get);

    @Test
    void aKeyAddedTwiceIsHandedOutOnce() throws InterruptedException {
        queue.add("a");
        queue.add("a");
        queue.add("b");
        assertThat(queue.take(10, Duration.ZERO)).containsExactlyInAnyOrder("a", "b");
        assertThat(queue.take(10, Duration.ZERO)).isEmpty();
    }

    @Test
    void aKeyAddedWhileProcessingComesBackAfterDone() throws InterruptedException {
        queue.add("a");
        List<String> batch = queue.take(10, Duration.ZERO);
        queue.add("a");
        assertThat(queue.take(10, Duration.ZERO)).as("not while it is processed").isEmpty();
        queue.done(batch);
        assertThat(queue.take(10, Duration.ZERO)).containsExactly("a");
    }

    @Test
    void failuresBackOffExponentiallyUpToTheCapAndForgetResets() throws InterruptedException {
        assertThat(queue.addWithBackoff("a")).isEqualTo(Duration.ofMillis(500));
        assertThat(queue.take(10, Duration.ZERO)).as("not due yet").isEmpty();
        now.addAndGet(Duration.ofMillis(500).toNanos());
        queue.done(queue.take(10, Duration.ZERO));
        assertThat(queue.addWithBackoff("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(queue.addWithBackoff("a")).isEqualTo(Duration.ofSeconds(2));
        assertThat(queue.addWithBackoff("a")).isEqualTo(Duration.ofSeconds(4));
        assertThat(queue.addWithBackoff("a")).isEqualTo(Duration.ofSeconds(5));
        assertThat(queue.addWithBackoff("a")).isEqualTo(Duration.ofSeconds(5));
        queue.forget("a");
        assertThat(queue.addWithBackoff("a")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void takeHandsOutAtMostTheLimitAndKeepsTheRest() throws InterruptedException {
        for (int key = 0; key < 5; key++) {
            queue.add("k" + key);
        }
        assertThat(queue.take(3, Duration.ZERO)).hasSize(3);
        assertThat(queue.take(3, Duration.ZERO)).hasSize(2);
    }

    @Test
    void requeueAfterADelayWaitsForIt() throws InterruptedException {
        queue.addAfter("a", Duration.ofSeconds(30));
        assertThat(queue.take(10, Duration.ZERO)).isEmpty();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(queue.take(10, Duration.ZERO)).containsExactly("a");
    }
}
