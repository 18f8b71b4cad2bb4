package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where Flux and Argo CD on the management cluster pull the fleet repository from.
 *
 * @param repositoryUrl the URL the GitRepository sources point at
 * @param branch the branch Drover commits to
 * @param credentialsSecret name of the Secret (in each team namespace) with the credentials Flux uses, if any
 * @param argoCdNamespace namespace of Argo CD on the management cluster, where Applications of argocd flavors go
 */
public record FleetSettings(String repositoryUrl, String branch, Optional<String> credentialsSecret, String argoCdNamespace) {

    public FleetSettings {
        requireNonNull(repositoryUrl, "repositoryUrl is null");
        requireNonNull(branch, "branch is null");
        requireNonNull(credentialsSecret, "credentialsSecret is null");
        requireNonNull(argoCdNamespace, "argoCdNamespace is null");
    }
}
