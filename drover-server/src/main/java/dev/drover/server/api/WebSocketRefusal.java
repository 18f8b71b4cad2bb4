package dev.drover.server.api;

import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers WebSocket upgrade requests with 503, which clients such as fabric8 take as the signal to watch over
 * a plain streaming HTTP request instead, as they do behind {@code kubectl proxy}.
 */
final class WebSocketRefusal implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && "websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
            var refusal = new ApiException(ApiException.Reason.SERVICE_UNAVAILABLE,
                    "watch over WebSocket is not supported; watch with a streaming HTTP GET (?watch=true)");
            HttpServletResponse httpResponse = (HttpServletResponse) response;
            httpResponse.setStatus(refusal.reason().code());
            httpResponse.setContentType("application/json");
            httpResponse.getOutputStream().write(Json.write(StatusResponses.failure(refusal)).getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }
}
