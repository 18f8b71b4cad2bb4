package dev.drover.server.api;

import static java.util.Objects.requireNonNull;

import dev.drover.model.api.Kind;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.server.write.KindRegistry;
import java.util.List;
import java.util.Optional;

/**
 * A parsed resource URL: {@code /apis/platform.drover.dev/v1alpha1/[namespaces/{ns}/]{plural}[/{name}[/{subresource}]]},
 * where the subresource is one the kind registers ({@code status}, {@code promote} of an AddonProfile).
 */
record ResourcePath(Kind kind, Optional<String> namespace, Optional<String> name, Optional<String> subresource) {

    static final String STATUS = KindRegistry.STATUS;
    static final String PROMOTE = KindRegistry.PROMOTE;

    static final String PREFIX = "/apis/" + Kinds.GROUP + "/" + Kinds.VERSION + "/";

    ResourcePath {
        requireNonNull(kind, "kind is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        requireNonNull(subresource, "subresource is null");
    }

    boolean status() {
        return subresource.filter(STATUS::equals).isPresent();
    }

    boolean plan() {
        return subresource.filter(KindRegistry.PLAN::equals).isPresent();
    }

    boolean promote() {
        return subresource.filter(PROMOTE::equals).isPresent();
    }

    /** @throws ApiException NotFound for a path that names no resource of this API */
    static ResourcePath parse(String path) {
        if (!path.startsWith(PREFIX)) {
            throw notFound(path);
        }
        List<String> segments = List.of(path.substring(PREFIX.length()).split("/"));
        Optional<String> namespace = Optional.empty();
        if (segments.size() >= 3 && segments.get(0).equals("namespaces")) {
            namespace = Optional.of(segments.get(1));
            segments = segments.subList(2, segments.size());
        }
        if (segments.isEmpty() || segments.size() > 3 || segments.stream().anyMatch(String::isEmpty)) {
            throw notFound(path);
        }
        Kind kind = Kinds.byPlural(segments.get(0)).orElseThrow(() -> notFound(path));
        if (namespace.isPresent() && !kind.namespaced()) {
            throw notFound(path);
        }
        Optional<String> name = segments.size() >= 2 ? Optional.of(segments.get(1)) : Optional.empty();
        if (name.isPresent() && kind.namespaced() && namespace.isEmpty()) {
            throw notFound(path);
        }
        Optional<String> subresource = segments.size() == 3 ? Optional.of(segments.get(2)) : Optional.empty();
        return new ResourcePath(kind, namespace, name, subresource);
    }

    String namespaceOrEmpty() {
        return namespace.orElse("");
    }

    static ApiException notFound(String path) {
        return new ApiException(ApiException.Reason.NOT_FOUND, "the server could not find the requested resource ("
                + path + "); list resources with `kubectl api-resources --api-group=" + Kinds.GROUP + "`");
    }
}
