package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.error.ApiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Access reviews in Kubernetes protobuf, built here field by field as client-go encodes them. */
class ReviewProtobufTest {

    @Test
    void readsTheResourceAttributesOfASelfSubjectAccessReview() {
        byte[] attributes = concat(text(1, "payments"), text(2, "create"), text(3, "platform.drover.dev"), text(5, "clusters"),
                text(7, "payments-prod"));
        byte[] review = concat(message(1, new byte[0]), message(2, message(1, attributes)));
        byte[] unknown = concat(message(1, concat(text(1, "authorization.k8s.io/v1"), text(2, "SelfSubjectAccessReview"))),
                message(2, review));

        ObjectNode decoded = ReviewProtobuf.decode(concat(new byte[] {'k', '8', 's', 0}, unknown));

        assertThat(decoded.path("kind").asText()).isEqualTo("SelfSubjectAccessReview");
        assertThat(decoded.path("spec").path("resourceAttributes").path("verb").asText()).isEqualTo("create");
        assertThat(decoded.path("spec").path("resourceAttributes").path("namespace").asText()).isEqualTo("payments");
        assertThat(decoded.path("spec").path("resourceAttributes").path("resource").asText()).isEqualTo("clusters");
        assertThat(decoded.path("spec").path("resourceAttributes").path("name").asText()).isEqualTo("payments-prod");
    }

    @Test
    void aBodyWithoutTheEnvelopeOrCutShortIsABadRequest() {
        assertThatThrownBy(() -> ReviewProtobuf.decode("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ApiException.class).hasMessageContaining("envelope");
        byte[] truncated = concat(new byte[] {'k', '8', 's', 0}, new byte[] {0x12, 0x7f, 0x01});
        assertThatThrownBy(() -> ReviewProtobuf.decode(truncated)).isInstanceOf(ApiException.class).hasMessageContaining("malformed");
    }

    private static byte[] text(int field, String value) {
        return message(field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] message(int field, byte[] value) {
        var out = new ByteArrayOutputStream();
        out.write(field << 3 | 2);
        int length = value.length;
        while (length >= 0x80) {
            out.write(length & 0x7f | 0x80);
            length >>>= 7;
        }
        out.write(length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
