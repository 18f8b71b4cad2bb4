package dev.drover.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Reads the access reviews that client-go sends as Kubernetes protobuf (kubectl auth can-i and whoami do): the
 * {@code k8s\0} envelope around a {@code runtime.Unknown} whose raw bytes are the review, decoded into the JSON the
 * routes read. Only the fields a review's answer depends on are read; the field numbers are those of the Kubernetes
 * {@code authorization/v1} and {@code runtime} protobuf definitions.
 */
final class ReviewProtobuf {

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ReviewProtobuf() {
    }

    /** The review as JSON: {@code apiVersion}, {@code kind}, and {@code spec} with its resource, non-resource or namespace. */
    static ObjectNode decode(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw ApiException.badRequest("the protobuf body does not start with the Kubernetes envelope (k8s\\0)");
        }
        ObjectNode review = Json.MAPPER.createObjectNode();
        byte[][] raw = new byte[1][];
        fields(body, MAGIC.length, body.length, (field, value) -> {
            switch (field) {
                case 1 -> fields(value, 0, value.length, (typeField, text) -> {
                    if (typeField == 1) {
                        review.put("apiVersion", string(text));
                    } else if (typeField == 2) {
                        review.put("kind", string(text));
                    }
                });
                case 2 -> raw[0] = value;
                default -> {
                }
            }
        });
        ObjectNode spec = review.putObject("spec");
        if (raw[0] != null) {
            fields(raw[0], 0, raw[0].length, (field, value) -> {
                if (field == 2) {
                    spec(review.path("kind").asText(), value, spec);
                }
            });
        }
        return review;
    }

    private static void spec(String kind, byte[] bytes, ObjectNode spec) {
        fields(bytes, 0, bytes.length, (field, value) -> {
            if (kind.equals("SelfSubjectRulesReview")) {
                if (field == 1) {
                    spec.put("namespace", string(value));
                }
                return;
            }
            if (field == 1) {
                ObjectNode attributes = spec.putObject("resourceAttributes");
                String[] names = {"", "namespace", "verb", "group", "version", "resource", "subresource", "name"};
                fields(value, 0, value.length, (attribute, text) -> {
                    if (attribute >= 1 && attribute < names.length) {
                        attributes.put(names[attribute], string(text));
                    }
                });
            } else if (field == 2) {
                ObjectNode attributes = spec.putObject("nonResourceAttributes");
                fields(value, 0, value.length, (attribute, text) -> {
                    if (attribute == 1) {
                        attributes.put("path", string(text));
                    } else if (attribute == 2) {
                        attributes.put("verb", string(text));
                    }
                });
            }
        });
    }

    /** Calls the consumer with each length-delimited field (number, bytes); other wire types are skipped. */
    private static void fields(byte[] bytes, int from, int to, BiConsumer<Integer, byte[]> consumer) {
        int[] position = {from};
        while (position[0] < to) {
            long key = varint(bytes, position, to);
            int field = (int) (key >>> 3);
            int wireType = (int) (key & 7);
            switch (wireType) {
                case 0 -> varint(bytes, position, to);
                case 1 -> position[0] += 8;
                case 5 -> position[0] += 4;
                case 2 -> {
                    long length = varint(bytes, position, to);
                    if (length < 0 || position[0] + length > to) {
                        throw malformed();
                    }
                    consumer.accept(field, Arrays.copyOfRange(bytes, position[0], position[0] + (int) length));
                    position[0] += (int) length;
                }
                default -> throw malformed();
            }
        }
        if (position[0] != to) {
            throw malformed();
        }
    }

    private static long varint(byte[] bytes, int[] position, int to) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position[0] >= to) {
                throw malformed();
            }
            byte next = bytes[position[0]++];
            value |= (long) (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw malformed();
    }

    private static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ApiException malformed() {
        return ApiException.badRequest("the protobuf body is malformed; send the review as JSON (application/json) instead");
    }
}
