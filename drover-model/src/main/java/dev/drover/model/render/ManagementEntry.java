package dev.drover.model.render;

import dev.drover.model.api.Provider;
import java.util.Arrays;
import java.util.Optional;

/**
 * A directory of {@code management/} that a management cluster applies when it runs one Cluster API infrastructure
 * provider: the clusters of that provider and the provider-specific objects of the teams. A management cluster
 * applies {@code management/teams} and the entries of the providers it has installed, so it never meets a kind it
 * has no CRD for (Flux's dry run would refuse the whole stage).
 */
public enum ManagementEntry {
    /** Cluster API Provider AWS, which serves both the {@code aws} (kubeadm on EC2) and the {@code aws-eks} flavors. */
    AWS("aws"),
    VSPHERE("vsphere"),
    VCLUSTER("vcluster"),
    DOCKER("docker");

    private final String directoryName;

    ManagementEntry(String directoryName) {
        this.directoryName = directoryName;
    }

    public static ManagementEntry of(Provider provider) {
        return switch (provider) {
            case AWS, AWS_EKS -> AWS;
            case VSPHERE -> VSPHERE;
            case VCLUSTER -> VCLUSTER;
            case DOCKER -> DOCKER;
        };
    }

    static Optional<ManagementEntry> named(String directoryName) {
        return Arrays.stream(values()).filter(entry -> entry.directoryName.equals(directoryName)).findFirst();
    }

    public String directoryName() {
        return directoryName;
    }
}
