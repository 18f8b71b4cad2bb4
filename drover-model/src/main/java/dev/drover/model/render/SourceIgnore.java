package dev.drover.model.render;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Ignore rules (gitignore syntax, which Flux's {@code GitRepository.spec.ignore} takes) that keep only some paths of
 * a repository. Git cannot re-include a path below an excluded directory, so each parent directory is re-included
 * and its other entries excluded again, level by level.
 */
final class SourceIgnore {

    private SourceIgnore() {
    }

    /** @param kept repository paths without a leading slash; a directory ends with a slash */
    static String keepOnly(List<String> kept) {
        SortedSet<String> parents = new TreeSet<>();
        for (String path : kept) {
            String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            for (int slash = trimmed.indexOf('/'); slash >= 0; slash = trimmed.indexOf('/', slash + 1)) {
                parents.add(trimmed.substring(0, slash + 1));
            }
        }
        List<String> rules = new ArrayList<>();
        rules.add("/*");
        for (String parent : parents) {
            rules.add("!/" + parent);
            rules.add("/" + parent + "*");
        }
        kept.stream().sorted().forEach(path -> rules.add("!/" + path));
        return String.join("\n", rules) + "\n";
    }
}
