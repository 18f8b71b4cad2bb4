package dev.drover.server.api;

import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

/**
 * What every request passes before a route sees it. Methods are the upper-case ones HTTP defines (method names are
 * case-sensitive; Javalin would take {@code delete} for {@code DELETE}), and {@code X-HTTP-Method-Override} is hidden
 * from the router, which would otherwise let a GET through a proxy or a read-only check act as a DELETE. Answers are
 * never to be sniffed or cached: they carry objects, and one of them carries a new token. WebSocket upgrades get 503,
 * which clients such as fabric8 take as the signal to watch over a plain streaming HTTP request instead, as they do
 * behind {@code kubectl proxy}.
 */
final class RequestGate implements Filter {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        answer.setHeader("X-Content-Type-Options", "nosniff");
        answer.setHeader("Cache-Control", "no-store");
        if (!METHODS.contains(http.getMethod())) {
            answer.setHeader("Allow", String.join(", ", METHODS.stream().sorted().toList()));
            refuse(answer, new ApiException(ApiException.Reason.METHOD_NOT_ALLOWED, "the method \"" + http.getMethod()
                    + "\" is not supported; HTTP methods are upper case: GET, POST, PUT, PATCH, DELETE"));
            return;
        }
        if ("websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
            refuse(answer, new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE,
                    "watch over WebSocket is not supported; watch with a streaming HTTP GET (?watch=true)"));
            return;
        }
        chain.doFilter(http.getHeader(METHOD_OVERRIDE) == null ? http : new WithoutMethodOverride(http), response);
    }

    private static void refuse(HttpServletResponse answer, ApiException refusal) throws IOException {
        answer.setStatus(refusal.reason().code());
        answer.setContentType("application/json");
        answer.getOutputStream().write(Json.write(StatusResponses.failure(refusal)).getBytes(StandardCharsets.UTF_8));
    }

    private static final class WithoutMethodOverride extends HttpServletRequestWrapper {

        WithoutMethodOverride(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return METHOD_OVERRIDE.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return METHOD_OVERRIDE.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !METHOD_OVERRIDE.equalsIgnoreCase(name)).toList());
        }
    }
}
