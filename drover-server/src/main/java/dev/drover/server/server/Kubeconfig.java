package dev.drover.server.server;

import java.nio.file.Path;

/** Writes a kubeconfig that kubectl uses as is: one cluster, one user with a bearer token, one context. */
public final class Kubeconfig {

    private Kubeconfig() {
    }

    public static void write(Path file, String serverUrl, String certificatePem, String token) {
        String content = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: drover
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: drover-admin
                  user:
                    token: %s
                contexts:
                - name: drover
                  context:
                    cluster: drover
                    user: drover-admin
                current-context: drover
                """.formatted(serverUrl, dev.drover.server.tls.ServingCertificate.base64(certificatePem), token);
        dev.drover.server.store.OwnerOnlyFiles.write(file, content);
    }
}
