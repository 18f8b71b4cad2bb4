package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The Cluster API providers Drover renders clusters for. */
public enum Provider {
    @JsonProperty("aws-eks") AWS_EKS("aws-eks"),
    @JsonProperty("aws") AWS("aws"),
    @JsonProperty("vsphere") VSPHERE("vsphere"),
    @JsonProperty("vcluster") VCLUSTER("vcluster"),
    @JsonProperty("docker") DOCKER("docker");

    private final String wireName;

    Provider(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
