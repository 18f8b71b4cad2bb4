package dev.drover.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Bytes sent over TLS exactly as given, for requests no HTTP client would send. */
public final class RawHttps {

    private static final int MAX_ANSWER = 64 * 1024;

    private RawHttps() {
    }

    /**
     * Sends the request and returns what comes back until the server closes, resets or stays silent for the timeout
     * (what arrived is the answer then), at most 64 KiB.
     */
    public static String exchange(SSLContext tls, String url, String request, Duration timeout) throws IOException {
        URI uri = URI.create(url);
        try (Socket socket = tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) timeout.toMillis());
            var answer = new ByteArrayOutputStream();
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                byte[] chunk = new byte[8192];
                for (int read; answer.size() < MAX_ANSWER && (read = in.read(chunk)) != -1; ) {
                    answer.write(chunk, 0, read);
                }
            } catch (IOException closedOrSilent) {
                // Jetty may reset after answering a request it will not read further, or keep the connection open.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
