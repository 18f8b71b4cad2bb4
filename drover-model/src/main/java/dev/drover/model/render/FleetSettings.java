package dev.drover.model.render;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where Flux on the management cluster pulls the fleet repository from.
 *
 * @param repositoryUrl the URL the GitRepository sources point at
 * @param branch the branch Drover commits to
 * @param credentialsSecret name of the Secret (in each team namespace) with the credentials Flux uses, if any
 */
public record FleetSettings(String repositoryUrl, String branch, Optional<String> credentialsSecret) {

    public FleetSettings {
        requireNonNull(repositoryUrl, "repositoryUrl is null");
        requireNonNull(branch, "branch is null");
        requireNonNull(credentialsSecret, "credentialsSecret is null");
    }
}
