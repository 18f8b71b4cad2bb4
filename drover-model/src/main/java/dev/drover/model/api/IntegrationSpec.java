package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.util.List;
import java.util.Optional;

@Doc("A company system that hears about clusters and machines (patch management, a CMDB, DNS, monitoring): Drover sends "
        + "it a signed JSON webhook on each event, and can hold a Machine's deletion until it acknowledged.")
public record IntegrationSpec(
        @Doc("The Clusters whose events are sent; every Cluster when unset.") Optional<ClusterSelector> clusterSelector,
        @Required @ListSet @Doc("clusterCreated, clusterReady, clusterDeleted, machineAdded and machineRemoved.")
        List<Event> events,
        @Required @Doc("Where and how the events are delivered.") Webhook webhook,
        @Doc("For machineRemoved: how long a Machine's deletion waits for the system's 2xx (Cluster API's pre-terminate "
                + "hook), for example 30m; then Drover lets the Machine go and records the failure. Unset: deletions are not "
                + "held.") @Pattern(value = HOLD, meaning = "a duration in hours, minutes and seconds such as 30m or 90s")
        Optional<String> holdMachineDeletion) {

    public static final String HOLD = "^([0-9]{1,4}h)?([0-9]{1,6}m)?([0-9]{1,8}s)?$";

    public IntegrationSpec {
        clusterSelector = Values.option(clusterSelector);
        events = Values.list(events);
        holdMachineDeletion = Values.option(holdMachineDeletion);
    }

    /** The hold on Machine deletions, if any. */
    public Optional<java.time.Duration> hold() {
        return holdMachineDeletion.filter(text -> !text.isEmpty())
                .map(text -> java.time.Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT)));
    }

    public enum Event {
        @JsonProperty("clusterCreated") CLUSTER_CREATED,
        @JsonProperty("clusterReady") CLUSTER_READY,
        @JsonProperty("clusterDeleted") CLUSTER_DELETED,
        @JsonProperty("machineAdded") MACHINE_ADDED,
        @JsonProperty("machineRemoved") MACHINE_REMOVED;

        public String wireName() {
            String name = name().toLowerCase(java.util.Locale.ROOT);
            int underscore = name.indexOf('_');
            return name.substring(0, underscore) + Character.toUpperCase(name.charAt(underscore + 1)) + name.substring(underscore + 2);
        }
    }

    @Doc("An HTTPS endpoint receiving a JSON body per event.")
    public record Webhook(
            @Required @Pattern(value = "^https://[^\\s]+$", meaning = "an https:// URL") @Doc("The endpoint.") String url,
            @Doc("PEM certificates the endpoint's certificate must chain to, for a private CA; the JDK's trust store "
                    + "otherwise.") Optional<String> caBundle,
            @Doc("How Drover authenticates: a bearer token, or an HMAC-SHA256 signature of the body in the "
                    + "X-Drover-Signature header, from a Secret of Drover's namespace on the management cluster (never in "
                    + "Drover's API or Git).") Optional<Auth> auth,
            @Minimum(1) @Doc("Seconds one attempt may take; 10 unless set.") Optional<Integer> timeoutSeconds,
            @Minimum(1) @Doc("Attempts per event before it counts as failed; 8 unless set.") Optional<Integer> maxAttempts,
            @Minimum(1) @Doc("Longest pause between two attempts, in seconds (the pause doubles from 1 s); 300 unless set.")
            Optional<Integer> maxBackoffSeconds) {

        public Webhook {
            caBundle = Values.option(caBundle);
            auth = Values.option(auth);
            timeoutSeconds = Values.option(timeoutSeconds);
            maxAttempts = Values.option(maxAttempts);
            maxBackoffSeconds = Values.option(maxBackoffSeconds);
        }
    }

    @Doc("The credential of a webhook: a key of a Secret in Drover's namespace on the management cluster.")
    public record Auth(
            @Required @Doc("bearer (Authorization: Bearer <value>) or hmac (X-Drover-Signature: sha256=<hex of HMAC-SHA256 "
                    + "of the body with the value as key>).") AuthType type,
            @Required @Doc("The Secret's name.") String secretName,
            @Required @Doc("The key whose value is the token or the HMAC key.") String secretKey) {
    }

    public enum AuthType {
        @JsonProperty("bearer") BEARER,
        @JsonProperty("hmac") HMAC
    }
}
