package dev.drover.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.config.Option;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the fleet tests do again and again: start a fresh Drover with the example organisation, clone the fleet
 * repository, wait for a Cluster's status, read a condition.
 */
public final class FleetChecks implements AutoCloseable {

    private final TestDrover drover;
    private final Kubectl kubectl;
    private final TemporaryDirectory work;

    public FleetChecks(TestDrover drover, Kubectl kubectl, TemporaryDirectory work) {
        this.drover = drover;
        this.kubectl = kubectl;
        this.work = work;
    }

    /** A fresh Drover with the examples, a kubectl for it and a work directory; closing stops and removes them. */
    public static FleetChecks startFreshWithExamples(String workPrefix) {
        return startFreshWithExamples(workPrefix, Map.of());
    }

    /** The same, with the given server options. */
    public static FleetChecks startFreshWithExamples(String workPrefix, Map<Option, String> options) {
        Kubectl.requireInstalled();
        TestDrover drover = TestDrover.startFreshWithExamples(options);
        return new FleetChecks(drover, new Kubectl(drover.kubeconfig()), new TemporaryDirectory(workPrefix));
    }

    public TestDrover drover() {
        return drover;
    }

    public Kubectl kubectl() {
        return kubectl;
    }

    public Path workDirectory() {
        return work.path();
    }

    @Override
    public void close() {
        drover.stop();
        work.close();
    }

    /** Clones the fleet repository with the git CLI, as a platform admin, into a new directory of the given name. */
    public Path clone(String name) {
        Path target = work.path().resolve(name);
        String url = drover.server().gitUrl().replace("http://", "http://drover:" + drover.adminToken() + "@");
        GitCli.run(work.path(), "clone", "--quiet", url, target.toString()).succeeded();
        return target;
    }

    /** Polls {@code kubectl get} until the Cluster ({@code team/name}) has a status the predicate accepts. */
    public JsonNode awaitCluster(String cluster, Predicate<JsonNode> until) throws InterruptedException {
        String[] parts = cluster.split("/");
        return await("cluster " + cluster, until, "get", "cluster", parts[1], "-n", parts[0], "-o", "json");
    }

    /** Polls {@code kubectl get} until the cluster-scoped object has a status the predicate accepts. */
    public JsonNode awaitObject(String resource, String name, Predicate<JsonNode> until) throws InterruptedException {
        return await(resource + " " + name, until, "get", resource, name, "-o", "json");
    }

    private JsonNode await(String what, Predicate<JsonNode> until, String... command) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode status = Json.MAPPER.createObjectNode();
        while (System.nanoTime() < deadline) {
            Kubectl.Result result = kubectl.run(command);
            if (result.exitCode() == 0) {
                status = Json.parseObject(result.out()).path("status");
                if (holds(until, status)) {
                    return status;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " did not reach the expected status within 30 s; last status: " + status);
    }

    /** A predicate that asks for a condition not written yet ({@link #condition} fails) does not hold yet. */
    private static boolean holds(Predicate<JsonNode> until, JsonNode status) {
        try {
            return until.test(status);
        } catch (AssertionError notYet) {
            return false;
        }
    }

    public static JsonNode condition(JsonNode status, String type) {
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals(type)) {
                return condition;
            }
        }
        throw new AssertionError("no " + type + " condition in " + status);
    }
}
