package dev.drover.model.api;

import dev.drover.model.schema.Doc;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Doc("A Secret Drover copies from its namespace on the management cluster into each workload cluster once the cluster "
        + "answers, typically the credential of the external-secrets store, so the cluster can pull everything else. Only "
        + "this reference is in Drover's API and Git, never the value.")
public record BootstrapSecret(
        @Required @Pattern(value = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$",
                meaning = "a Secret name (lower-case letters, digits, '-' and '.')")
        @Doc("Name of the Secret in Drover's namespace on the management cluster (--management-namespace).") String name,
        @Required @Pattern(value = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", meaning = "a namespace name (a DNS-1123 label)")
        @Doc("Namespace of the copy in the workload cluster; created when missing.") String namespace,
        @Pattern(value = "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", meaning = "a Secret name (lower-case letters, digits, '-' and '.')")
        @Doc("Name of the copy in the workload cluster. Defaults to name.") Optional<String> targetName) {

    public BootstrapSecret {
        targetName = Values.option(targetName);
    }

    /** The copy's name in the workload cluster. */
    public String target() {
        return targetName.orElse(name);
    }

    /** A cluster's bootstrap Secrets: its flavor's, then its team's; a team's one naming the same copy replaces the flavor's. */
    public static List<BootstrapSecret> of(List<BootstrapSecret> flavor, List<BootstrapSecret> team) {
        Map<String, BootstrapSecret> byCopy = new LinkedHashMap<>();
        for (BootstrapSecret secret : flavor) {
            byCopy.put(secret.namespace() + "/" + secret.target(), secret);
        }
        for (BootstrapSecret secret : team) {
            byCopy.put(secret.namespace() + "/" + secret.target(), secret);
        }
        return List.copyOf(byCopy.values());
    }
}
