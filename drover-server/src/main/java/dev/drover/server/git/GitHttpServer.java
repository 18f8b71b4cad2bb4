package dev.drover.server.git;

import dev.drover.server.auth.Principal;
import dev.drover.server.auth.TokenStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
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
        context.status(200);
        context.contentType("application/x-git-upload-pack-result");
        context.header("Cache-Control", "no-cache");
        InputStream in = context.req().getInputStream();
        if ("gzip".equalsIgnoreCase(context.header("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        UploadPack upload = new UploadPack(repository.repository());
        upload.setBiDirectionalPipe(false);
        try {
            upload.upload(in, context.outputStream(), null);
        } catch (IOException | RuntimeException failed) {
            // The pack is already being streamed with status 200, so there is no error response left to send: the
            // client sees the stream end and fails its fetch. Logged here, once, and not passed on.
            LOG.warn("git upload-pack for {} failed: {}", context.ip(), failed.toString());
        }
    }

    private boolean authorized(Context context) {
        if (anonymousRead) {
            return true;
        }
        Optional<Principal> principal = token(context.header("Authorization")).flatMap(tokens::authenticate);
        if (principal.isPresent()) {
            return true;
        }
        context.header("WWW-Authenticate", "Basic realm=\"Drover fleet repository\"");
        refuse(context, 401, "a Drover token is needed to read the fleet repository: clone with "
                + "http://drover:TOKEN@HOST:PORT" + REPOSITORY_PATH + " or send 'Authorization: Bearer TOKEN'");
        return false;
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
