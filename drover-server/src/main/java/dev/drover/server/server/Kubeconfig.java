package dev.drover.server.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
        writeSecret(file, content);
    }

    /** Writes the file readable by its owner only, replacing it atomically. */
    public static void writeSecret(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, content);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot write " + file + ": " + failed.getMessage(), failed);
        }
    }
}
