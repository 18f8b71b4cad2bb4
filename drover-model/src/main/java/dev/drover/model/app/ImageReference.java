package dev.drover.model.app;

import java.util.Optional;

/**
 * An image reference split into repository, tag and digest: {@code registry.example.com/team/app:1.4@sha256:…}. Only
 * a digest names the bytes that were scanned; a tag can be pushed again.
 */
public record ImageReference(String repository, Optional<String> tag, Optional<String> digest) {

    public static ImageReference parse(String image) {
        String rest = image;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        return new ImageReference(rest, tag, digest);
    }
}
