package dev.drover.server.git;

import dev.drover.server.auth.TokenHolder;
import dev.drover.server.auth.TokenStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the fleet repository read-only over Git's smart HTTP protocol, so {@code git clone} and Flux can pull
 * it: {@code /git/fleet.git/info/refs?service=git-upload-pack} and {@code /git/fleet.git/git-upload-pack}.
 * Pushes are refused. Clients authenticate with a Drover token, as HTTP Basic password (what git sends for
 * {@code http://user:TOKEN@host/...} or from a credential helper) or as a bearer token; anonymous clones can be
 * allowed by configuration.
 */
public final class GitHttpServer implements AutoCloseable {

    public static final String REPOSITORY_PATH = "/git/fleet.git";
    private static final Logger LOG = LoggerFactory.getLogger(GitHttpServer.class);
    private static final String UPLOAD_PACK = "git-upload-pack";
    /** A fetch's wants and haves; a client negotiates in rounds, each far below this. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    private final FleetRepository repository;
    private final TokenStore tokens;
    private final boolean anonymousRead;
    private final Javalin app;

    public GitHttpServer(FleetRepository repository, TokenStore tokens, boolean anonymousRead, String address, int port) {
        this.repository = repository;
        this.tokens = tokens;
        this.anonymousRead = anonymousRead;
        this.app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.disableCompression();
            config.jetty.defaultHost = address;
            config.jetty.defaultPort = port;
        });
        app.get(REPOSITORY_PATH + "/info/refs", this::advertise);
        app.post(REPOSITORY_PATH + "/" + UPLOAD_PACK, this::uploadPack);
        app.post(REPOSITORY_PATH + "/git-receive-pack", context -> refuse(context, 403,
                "the fleet repository is written by Drover only; change the Drover resources instead"));
    }

    public GitHttpServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    private void advertise(Context context) throws IOException {
        if (!authorized(context)) {
            return;
        }
        String service = context.queryParam("service");
        if (!UPLOAD_PACK.equals(service)) {
            refuse(context, 403, "only " + UPLOAD_PACK + " (clone and fetch) is served; the fleet repository is read-only");
            return;
        }
        context.status(200);
        context.contentType("application/x-git-upload-pack-advertisement");
        context.header("Cache-Control", "no-cache");
        OutputStream out = context.outputStream();
        var packets = new PacketLineOut(out);
        packets.writeString("# service=" + UPLOAD_PACK + "\n");
        packets.end();
        UploadPack upload = new UploadPack(repository.repository());
        upload.setBiDirectionalPipe(false);
        upload.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(packets));
        out.flush();
    }

    private void uploadPack(Context context) throws IOException {
        if (!authorized(context)) {
            return;
        }
        byte[] request;
        try (InputStream body = "gzip".equalsIgnoreCase(context.header("Content-Encoding"))
                ? new GZIPInputStream(context.req().getInputStream()) : context.req().getInputStream()) {
            request = body.readNBytes(MAX_REQUEST_BYTES + 1);
        } catch (IOException unreadable) {
            refuse(context, 400, "the upload-pack request could not be read: " + unreadable.getMessage());
            return;
        }
        if (request.length > MAX_REQUEST_BYTES) {
            refuse(context, 413, "the upload-pack request is larger than " + MAX_REQUEST_BYTES / (1024 * 1024) + " MiB");
            return;
        }
        Optional<String> framing = framingProblem(request);
        if (framing.isPresent()) {
            refuse(context, 400, "malformed upload-pack request: " + framing.get());
            return;
        }
        context.status(200);
        context.contentType("application/x-git-upload-pack-result");
        context.header("Cache-Control", "no-cache");
        var sent = new CountingOutputStream(context.outputStream());
        UploadPack upload = new UploadPack(repository.repository());
        upload.setBiDirectionalPipe(false);
        try {
            upload.upload(new ByteArrayInputStream(request), sent, null);
        } catch (IOException | RuntimeException failed) {
            if (sent.count == 0 && !context.res().isCommitted()) {
                // Nothing of the answer is out yet: the request itself was at fault, and the client hears why.
                context.res().resetBuffer();
                refuse(context, 400, "malformed upload-pack request: " + failed.getMessage());
                return;
            }
            // The pack is already being streamed with status 200, so there is no error response left to send: the
            // client sees the stream end and fails its fetch. Logged here, once, and not passed on.
            LOG.warn("git upload-pack for {} failed: {}", context.ip(), failed.toString());
        }
    }

    /**
     * What is wrong with the request's pkt-line framing (each line a four-digit hexadecimal length, then that many bytes
     * including the four), if anything. JGit answers a broken frame with an error packet in a 200; a request that is not
     * git's at all is the client's fault and gets a 400 before any of the answer is sent.
     */
    static Optional<String> framingProblem(byte[] request) {
        if (request.length == 0) {
            return Optional.of("the request is empty; send the wants and haves as pkt-lines");
        }
        int position = 0;
        while (position < request.length) {
            if (position + 4 > request.length) {
                return Optional.of("a pkt-line at byte " + position + " is cut off before its length");
            }
            int length = 0;
            for (int digit = 0; digit < 4; digit++) {
                int value = Character.digit(request[position + digit], 16);
                if (value < 0) {
                    return Optional.of("the pkt-line at byte " + position + " does not start with a hexadecimal length");
                }
                length = length * 16 + value;
            }
            if (length == 3) {
                return Optional.of("the pkt-line at byte " + position + " has the impossible length " + length);
            }
            int next = position + (length < 4 ? 4 : length);
            if (next > request.length) {
                return Optional.of("the pkt-line at byte " + position + " claims " + length + " bytes, but the request ends first");
            }
            position = next;
        }
        return Optional.empty();
    }

    /** Counts what passes, so a failure can tell whether any of the answer has been sent. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    private boolean authorized(Context context) {
        if (anonymousRead) {
            return true;
        }
        Optional<TokenHolder> holder = token(context.header("Authorization")).flatMap(tokens::authenticate);
        if (holder.isEmpty()) {
            context.header("WWW-Authenticate", "Basic realm=\"Drover fleet repository\"");
            refuse(context, 401, "a fleet-reader or platform-admin token is needed to read the fleet repository "
                    + "(drover token create --fleet-reader); give it to git as the password, for example with "
                    + "git -c http.extraHeader='Authorization: Bearer TOKEN' clone URL");
            return false;
        }
        if (!holder.get().scope().readsFleetRepository()) {
            refuse(context, 403, "token " + holder.get().tokenId() + " is a team token, and the fleet repository holds every "
                    + "team's manifests: clone with a fleet-reader token (drover token create --fleet-reader) or a "
                    + "platform-admin token");
            return false;
        }
        return true;
    }

    /** The token from a Bearer header or the password of a Basic one. */
    static Optional<String> token(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? Optional.empty() : Optional.of(pair.substring(colon + 1));
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static void refuse(Context context, int status, String message) {
        context.status(status);
        context.contentType("text/plain; charset=utf-8");
        context.result(message + "\n");
    }

    @Override
    public void close() {
        app.stop();
    }
}
