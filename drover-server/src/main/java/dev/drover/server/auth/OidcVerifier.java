package dev.drover.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.drover.model.error.ApiException;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Verifies OpenID Connect ID tokens as kube-apiserver does: the signature against the issuer's JWKS (found through its
 * discovery document, cached, and fetched again when a token names a key the cache does not hold, as after a key
 * rotation), and the {@code iss}, {@code aud}, {@code exp} and {@code nbf} claims. The issuer is asked for its keys
 * only when the first token arrives, so Drover starts while the identity provider is down.
 */
public final class OidcVerifier {

    /**
     * @param trust the certificates to trust for the issuer's HTTPS, when not the JDK's
     * @param adminGroup the group whose members are platform admins, if any
     */
    public record Settings(URI issuer, String clientId, String usernameClaim, String groupsClaim, Optional<SSLContext> trust,
                           Optional<String> adminGroup) {
    }

    /** Who an ID token says the user is. */
    public record Identity(String username, List<String> groups, java.time.Instant expires) {
    }

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_DOCUMENT_BYTES = 512 * 1024;
    /** A token naming an unknown key fetches the keys again at most this often, so forged kids cannot flood the issuer. */
    private static final Duration REFRESH_AT_MOST_EVERY = Duration.ofSeconds(2);
    private static final Duration CACHE_TIME = Duration.ofMinutes(10);

    private final Settings settings;
    private final DefaultResourceRetriever retriever;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    public OidcVerifier(Settings settings) {
        this.settings = settings;
        this.retriever = new DefaultResourceRetriever((int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis(), MAX_DOCUMENT_BYTES,
                true, settings.trust().map(SSLContext::getSocketFactory).orElse(null));
    }

    public Settings settings() {
        return settings;
    }

    /** Whether the bearer token is shaped as a JWT (three base64url parts), not one of Drover's own tokens. */
    public static boolean looksLikeJwt(String token) {
        return token.chars().filter(character -> character == '.').count() == 2 && !token.startsWith("drover_");
    }

    /** @throws ApiException Unauthorized naming why the token was refused; ServiceUnavailable when the issuer is unreachable */
    public Identity verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor().process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException refused) {
            throw new ApiException(ApiException.Reason.UNAUTHORIZED, "Unauthorized: the OIDC token was refused: "
                    + refused.getMessage());
        }
        Object username = claims.getClaim(settings.usernameClaim());
        if (!(username instanceof String name) || name.isEmpty()) {
            throw new ApiException(ApiException.Reason.UNAUTHORIZED, "Unauthorized: the OIDC token has no claim \""
                    + settings.usernameClaim() + "\" naming the user (--oidc-username-claim)");
        }
        return new Identity(name, groups(claims.getClaim(settings.groupsClaim())), claims.getExpirationTime().toInstant());
    }

    private static List<String> groups(Object claim) {
        if (claim instanceof String single) {
            return List.of(single);
        }
        if (claim instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    private DefaultJWTProcessor<SecurityContext> processor() {
        DefaultJWTProcessor<SecurityContext> ready = processor;
        if (ready != null) {
            return ready;
        }
        synchronized (this) {
            if (processor == null) {
                URL jwks = discoverKeys();
                JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks, retriever)
                        .cache(CACHE_TIME.toMillis(), TIMEOUT.toMillis())
                        .rateLimited(REFRESH_AT_MOST_EVERY.toMillis())
                        .retrying(true)
                        .build();
                var built = new DefaultJWTProcessor<SecurityContext>();
                built.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
                built.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.clientId(),
                        new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(), Set.of("sub", "exp", "iat")));
                processor = built;
            }
            return processor;
        }
    }

    /** The issuer's {@code jwks_uri}, from its discovery document, which must name the same issuer. */
    private URL discoverKeys() {
        String issuer = settings.issuer().toString();
        URI document = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try {
            Resource answer = retriever.retrieveResource(document.toURL());
            var discovery = dev.drover.model.schema.Json.parseObject(answer.getContent());
            if (!issuer.equals(discovery.path("issuer").asText())) {
                throw new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE, "the OIDC discovery document at " + document
                        + " names the issuer \"" + discovery.path("issuer").asText() + "\", not \"" + issuer
                        + "\" (--oidc-issuer-url must be the issuer exactly)");
            }
            return URI.create(discovery.path("jwks_uri").asText()).toURL();
        } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException unreachable) {
            throw new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE, "the OIDC issuer " + issuer + " could not be "
                    + "asked for its keys (" + unreachable.getMessage() + "); retry, or use a Drover token");
        }
    }
}
