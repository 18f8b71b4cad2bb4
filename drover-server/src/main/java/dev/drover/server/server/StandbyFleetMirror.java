package dev.drover.server.server;

import dev.drover.model.schema.Json;
import dev.drover.server.git.FleetRemote;
import dev.drover.server.git.FleetRepository;
import dev.drover.server.store.Change;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.WatchStream;
import dev.drover.server.store.WatcherFellBehind;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a standby replica's fleet repository at the remote's head, so that its git port serves what the leader pushed:
 * it fetches whenever a Cluster's status names a commit this copy lacks (the leader pushes before it claims a commit),
 * and every half minute besides. The leader's own copy is left alone; on election it starts from the remote's head.
 */
final class StandbyFleetMirror implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyFleetMirror.class);
    private static final Duration RESYNC = Duration.ofSeconds(30);

    private final ResourceStore store;
    private final FleetRepository fleet;
    private final FleetRemote remote;
    private final BooleanSupplier leading;
    private final Thread thread;
    private volatile boolean closed;
    private Optional<String> lastProblem = Optional.empty();

    private StandbyFleetMirror(ResourceStore store, FleetRepository fleet, FleetRemote remote, BooleanSupplier leading) {
        this.store = store;
        this.fleet = fleet;
        this.remote = remote;
        this.leading = leading;
        this.thread = Thread.ofPlatform().name("drover-standby-mirror").daemon().unstarted(this::run);
    }

    static StandbyFleetMirror start(ResourceStore store, FleetRepository fleet, FleetRemote remote, BooleanSupplier leading) {
        var mirror = new StandbyFleetMirror(store, fleet, remote, leading);
        mirror.thread.start();
        return mirror;
    }

    private void run() {
        while (!closed) {
            try (WatchStream clusters = store.watch("Cluster", store.revision())) {
                mirror();
                while (!closed) {
                    Optional<Change> change = clusters.next(RESYNC.toMillis());
                    if (change.isEmpty() || namesACommitNotHere(change.get())) {
                        mirror();
                    }
                }
            } catch (WatcherFellBehind behind) {
                // Watch again from now; the fetch at the start catches up.
            } catch (InterruptedException interrupted) {
                return;
            } catch (RuntimeException failed) {
                LOG.warn("mirroring the fleet repository: {}; retrying", failed.toString());
                sleep();
            }
        }
    }

    private boolean namesACommitNotHere(Change change) {
        String commit = Json.parseObject(change.object().json()).path("status").path("git").path("commit").asText("");
        return !commit.isEmpty() && fleet.head().map(head -> !fleet.holds(head.name(), commit)).orElse(true);
    }

    private void mirror() {
        if (leading.getAsBoolean()) {
            return;
        }
        Optional<String> problem = remote.mirror(fleet);
        if (!problem.equals(lastProblem)) {
            problem.ifPresentOrElse(
                    what -> LOG.warn("cannot fetch the fleet repository from {} on this standby: {}", remote.url(), what),
                    () -> LOG.info("this standby's fleet repository follows {} again", remote.url()));
            lastProblem = problem;
        }
    }

    private void sleep() {
        try {
            Thread.sleep(RESYNC.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
