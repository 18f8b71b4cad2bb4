package dev.drover.server.cli;

import dev.drover.server.config.Configuration;
import dev.drover.server.server.DroverServer;
import dev.drover.server.server.ExampleOrganisation;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover server}: the API server on the configured store, until stopped. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the Drover API server (stop it with Ctrl-C).")
class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    boolean loadExamples() {
        return false;
    }

    @Override
    public Integer call() throws InterruptedException {
        Configuration configuration = ConfigOptions.resolve(spec);
        System.out.println("Starting Drover " + dev.drover.server.server.DroverVersion.current() + " with data in "
                + configuration.dataDirectory() + " …");
        DroverServer server = DroverServer.start(configuration);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "drover-shutdown"));
        if (loadExamples()) {
            ExampleOrganisation.Selection.of(configuration.text(dev.drover.server.config.Option.EXAMPLES))
                    .ifPresent(selection -> ExampleOrganisation.loadOnFirstStart(server, selection));
        }
        System.out.printf("""

                Drover is running.
                  API:         %s
                  fleet repo:  %s (read-only; a fleet-reader or the admin token)
                  kubeconfig:  %s
                  admin token: %s

                Try:
                  export KUBECONFIG=%s
                  kubectl get teams,clusterflavors
                  kubectl get clusters -A -o wide
                  kubectl get applications -A
                  git -c http.extraHeader="Authorization: Bearer $(cat %s)" clone %s "$(mktemp -d)/fleet"

                """, server.url(), server.gitUrl(), server.kubeconfig(), server.adminTokenFile(), server.kubeconfig(),
                server.adminTokenFile(), server.gitUrl());
        stopped.await();
        return 0;
    }
}
