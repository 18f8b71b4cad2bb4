package dev.drover.server.testing;

import dev.drover.server.config.Configuration;
import dev.drover.server.config.Option;
import dev.drover.server.server.DroverServer;
import dev.drover.server.server.ExampleOrganisation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** A real Drover (embedded PostgreSQL, HTTPS API) in a temporary data directory, for tests that drive it as clients do. */
public final class TestDrover implements AutoCloseable {

    private static TestDrover shared;

    private final TemporaryDirectory dataDirectory;
    private int port;
    private final Map<Option, String> options;
    private final Clock clock;
    private DroverServer server;

    private TestDrover(TemporaryDirectory dataDirectory, int port, Map<Option, String> options, Clock clock) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.options = Map.copyOf(options);
        this.clock = clock;
    }

    /** One server with the example organisation, shared by the test classes of this JVM and stopped at exit. */
    public static synchronized TestDrover sharedWithExamples() {
        if (shared == null) {
            shared = start(new TemporaryDirectory("drover-test-"), freePort());
            ExampleOrganisation.loadOnFirstStart(shared.server, ExampleOrganisation.Selection.ALL);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A server of its own with the example organisation, for tests that stop and restart it. */
    public static TestDrover startFreshWithExamples() {
        return startFreshWithExamples(Map.of());
    }

    /** A server of its own with the example organisation and the given options. */
    public static TestDrover startFreshWithExamples(Map<Option, String> options) {
        return startFreshWithExamples(options, ExampleOrganisation.Selection.ALL);
    }

    /** A server of its own with that part of the example organisation. */
    public static TestDrover startFreshWithExamples(Map<Option, String> options, ExampleOrganisation.Selection selection) {
        return startFreshWithExamples(options, selection, Clock.systemUTC());
    }

    /** A server of its own that reads the time from the given clock (also across restarts). */
    public static TestDrover startFreshWithExamples(Map<Option, String> options, ExampleOrganisation.Selection selection,
                                                    Clock clock) {
        var drover = new TestDrover(new TemporaryDirectory("drover-test-"), freePort(), options, clock);
        drover.firstStart();
        ExampleOrganisation.loadOnFirstStart(drover.server, selection);
        return drover;
    }

    private static TestDrover start(TemporaryDirectory dataDirectory, int port) {
        var drover = new TestDrover(dataDirectory, port, Map.of(), Clock.systemUTC());
        drover.firstStart();
        return drover;
    }

    /**
     * Starts on a free port, taking another when the one picked was taken before the server bound it: the kernel also
     * hands ports of its ephemeral range to outgoing connections (a kube-apiserver's, a client's) in between.
     */
    private void firstStart() {
        for (int attempt = 1; ; attempt++) {
            try {
                restart();
                return;
            } catch (RuntimeException failed) {
                if (attempt == 3 || !portTaken(failed)) {
                    throw failed;
                }
                port = freePort();
            }
        }
    }

    private static boolean portTaken(Throwable failed) {
        for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException || String.valueOf(cause.getMessage()).contains("Port already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Starts (again) on the same data directory and port. */
    public void restart() {
        Map<Option, String> flags = new EnumMap<>(Option.class);
        flags.put(Option.DATA_DIR, dataDirectory.path().toString());
        flags.put(Option.PORT, Integer.toString(port));
        flags.put(Option.GIT_PORT, "0");
        flags.put(Option.WATCH_BOOKMARK_INTERVAL, "1s");
        flags.putAll(options);
        server = DroverServer.start(Configuration.resolve(flags, Map.of(), Optional.empty()), clock);
    }

    public void stop() {
        server.close();
    }

    public DroverServer server() {
        return server;
    }

    public String url() {
        return server.url();
    }

    public Path kubeconfig() {
        return server.kubeconfig();
    }

    public String adminToken() {
        return server.adminToken();
    }

    public String certificatePem() {
        return server.certificatePem();
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        server.close();
        dataDirectory.close();
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
