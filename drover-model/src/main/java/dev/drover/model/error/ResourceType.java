package dev.drover.model.error;

/** What an error needs to know of a resource kind to name it the way the Kubernetes API server does. */
public interface ResourceType {

    String group();

    /** The kind's name, for example {@code Cluster}. */
    String kind();

    String plural();

    /** The {@code plural.group} form Kubernetes uses in messages, for example {@code clusters.platform.drover.dev}. */
    default String resourceGroup() {
        return plural() + "." + group();
    }
}
