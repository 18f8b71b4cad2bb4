package dev.drover.server.api;

import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * The answers Jetty gives on its own, before any route runs (a request line or header it cannot parse, a URI or header
 * too long), as {@code Status} objects like every other answer of the API, instead of Jetty's HTML pages.
 */
final class JsonErrorPages extends ErrorHandler {

    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        fields.put("X-Content-Type-Options", "nosniff");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(status(status, reason));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getOutputStream().write(status(code, message));
    }

    private static byte[] status(int code, String reason) {
        ApiException.Reason kind = ApiException.Reason.ofStatus(code);
        String message = switch (code) {
            case 414 -> "the request URI is too long; send long selectors or names in fewer or shorter parameters";
            case 431 -> "the request headers are too large; a header (a token, a cookie) is longer than the server accepts";
            default -> "the request could not be read: " + (reason == null ? "malformed HTTP" : reason);
        };
        var body = StatusResponses.failure(new ApiException(kind, message));
        body.put("code", code);
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }
}
