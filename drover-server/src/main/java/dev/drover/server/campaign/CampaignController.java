package dev.drover.server.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.CampaignSpec;
import dev.drover.model.api.CampaignStatus;
import dev.drover.model.api.ClusterFlavorSpec;
import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.Kinds;
import dev.drover.model.api.TeamSpec;
import dev.drover.model.campaign.CampaignStep;
import dev.drover.model.campaign.FleetCluster;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.server.auth.Principal;
import dev.drover.server.controller.CachedObject;
import dev.drover.server.controller.ClockedPass;
import dev.drover.server.controller.Controller;
import dev.drover.server.controller.Informer;
import dev.drover.server.controller.StatusWriter;
import dev.drover.server.controller.WorkQueue;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.write.FieldValidation;
import dev.drover.server.write.ResourceWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps every Campaign's state machine ({@link CampaignStep}, pure) once per pass and does what it decided: writes the
 * Campaign's status, and moves Clusters' spec.kubernetesVersion through the public write path as the platform (so
 * admission, quotas and budgets apply, and the maintenance controller lets the change into the fleet repository in
 * the cluster's window). A whole-fleet pass, woken by Campaign and Cluster changes and when a window opens, a bake
 * ends or a health gate times out.
 */
public final class CampaignController implements Controller<ClockedPass.Work> {

    /** What the campaign controller owns of a Campaign's status. */
    public static final StatusWriter.Owner OWNER = new StatusWriter.Owner("campaign", Kinds.CAMPAIGN,
            Set.of("observedGeneration", "phase", "summary", "currentStage", "startedAt", "finishedAt", "eta", "counts", "stages",
                    "clusters", "stragglers"),
            Set.of(CampaignStep.PROGRESSING, CampaignStep.PAUSED, CampaignStep.COMPLETED), Set.of(),
            Optional.of(Kinds.CAMPAIGN_FINALIZER),
            Set.of(CampaignStep.PAUSED), Set.of(CampaignStep.PAUSED, CampaignStep.PROGRESSING),
            Set.of(CampaignStep.PROGRESSING, CampaignStep.COMPLETED));
    /** The status fields the informer keeps: what the next step starts from. */
    public static final Set<String> CACHED_STATUS = Set.of("observedGeneration", "phase", "startedAt", "finishedAt", "eta",
            "stages", "clusters");
    private static final String FIELD_MANAGER = "drover-campaign";
    private static final Principal DROVER = new Principal.PlatformAdmin(FIELD_MANAGER);
    private static final Logger LOG = LoggerFactory.getLogger(CampaignController.class);

    private final StatusWriter statuses;
    private final ResourceWriter writer;
    private final Informer<CampaignSpec> campaigns;
    private final Informer<TeamSpec> teams;
    private final Informer<ClusterFlavorSpec> flavors;
    private final Informer<ClusterSpec> clusters;
    private final ClockedPass pass;
    /** Per campaign, the clusters whose last change the write path refused, until the next pass records it. */
    private final Map<String, Map<String, String>> refusals = new HashMap<>();

    /** Registers its handlers on the informers, so construct it before they start. */
    public CampaignController(StatusWriter statuses, ResourceWriter writer, Informer<CampaignSpec> campaigns, Informer<TeamSpec> teams,
                              Informer<ClusterFlavorSpec> flavors, Informer<ClusterSpec> clusters, Clock clock, Duration resync) {
        this.statuses = statuses;
        this.writer = writer;
        this.campaigns = campaigns;
        this.teams = teams;
        this.flavors = flavors;
        this.clusters = clusters;
        this.pass = new ClockedPass(clock, resync);
        statuses.register(OWNER);
        campaigns.addHandler(pass.onSpecChange());
        teams.addHandler(pass.onSpecChange());
        flavors.addHandler(pass.onSpecChange());
        Informer.Handler<ClusterSpec> specs = pass.onSpecChange();
        // A cluster in flight carries the campaign's label: its status (commit, observed health) decides its gate.
        clusters.addHandler((before, after) -> {
            if (before.map(CampaignController::inCampaign).orElse(false) || after.map(CampaignController::inCampaign).orElse(false)) {
                pass.wake();
            } else {
                specs.changed(before, after);
            }
        });
    }

    private static boolean inCampaign(CachedObject<ClusterSpec> cluster) {
        return cluster.labels().containsKey(Kinds.CAMPAIGN_LABEL);
    }

    public WorkQueue<ClockedPass.Work> queue() {
        return pass.queue();
    }

    @Override
    public String name() {
        return "campaign";
    }

    @Override
    public Set<ClockedPass.Work> reconcile(List<ClockedPass.Work> batch) {
        Instant now = pass.begin();
        List<StatusWriter.Update> updates = new ArrayList<>();
        Map<String, List<CampaignStep.Action>> actions = new LinkedHashMap<>();
        for (CachedObject<CampaignSpec> deleted : campaigns.list().stream().filter(CachedObject::deleting).toList()) {
            // A deleted campaign goes once no Cluster carries its label; until then, its label comes off them.
            List<CampaignStep.Action> releases = clusters.withLabel(Kinds.CAMPAIGN_LABEL, deleted.name()).stream()
                    .<CampaignStep.Action>map(cluster -> new CampaignStep.Release(cluster.namespace() + "/" + cluster.name())).toList();
            if (releases.isEmpty()) {
                pass.decided(Optional.of(new StatusWriter.Update(deleted.key(), Map.of(), List.of(), Map.of(),
                        StatusWriter.Finalizer.RELEASE)), Optional.empty(), updates);
            } else {
                actions.put(deleted.name(), releases);
            }
        }
        List<CachedObject<CampaignSpec>> active = campaigns.list().stream().filter(CampaignController::active).toList();
        if (active.isEmpty() && actions.isEmpty() && updates.isEmpty()) {
            pass.end();
            return Set.of();
        }
        CampaignStep.Fleet fleet = fleet(clusters.list(), flavors.specsByName(), teams.specsByName());
        for (CachedObject<CampaignSpec> campaign : active) {
            CampaignStatus previous = CampaignStep.lastWritten(campaign.status());
            CampaignStep.Outcome outcome = CampaignStep.decide(campaign.name(), campaign.generation(), campaign.spec(), previous,
                    fleet, refusals.getOrDefault(campaign.name(), Map.of()), now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            refusals.remove(campaign.name());
            pass.decided(Optional.of(update(campaign.key(), outcome.status(), outcome.transitions())), outcome.due(), updates);
            if (!outcome.actions().isEmpty()) {
                actions.put(campaign.name(), outcome.actions());
            }
        }
        // The status first: a restart after it and before the writes finds the clusters Updating and judges their gate.
        statuses.write(OWNER, updates);
        pass.end();
        actions.forEach((campaign, changes) -> changes.forEach(change -> act(campaign, change)));
        return Set.of();
    }

    /** Whether a pass steps the campaign: not while it is deleted, nor once it completed and its spec stayed. */
    private static boolean active(CachedObject<CampaignSpec> campaign) {
        JsonNode status = campaign.status();
        return !campaign.deleting() && !(status.path("phase").asText().equals("Completed")
                && status.path("observedGeneration").asLong() == campaign.generation());
    }

    /** The fleet as the campaigns see it; public for the plan the API serves. */
    public static CampaignStep.Fleet fleet(Iterable<CachedObject<ClusterSpec>> clusters, Map<String, ClusterFlavorSpec> flavors,
                                           Map<String, TeamSpec> teams) {
        List<FleetCluster> fleet = new ArrayList<>();
        for (Iterator<CachedObject<ClusterSpec>> each = clusters.iterator(); each.hasNext(); ) {
            CachedObject<ClusterSpec> cluster = each.next();
            fleet.add(new FleetCluster(cluster.namespace() + "/" + cluster.name(), cluster.spec(), cluster.labels(),
                    cluster.generation(), cluster.deleting(), cluster::status));
        }
        return new CampaignStep.Fleet(fleet, flavors, teams);
    }

    /** The status, and an Event for each cluster that started or finished (a Warning when it failed). */
    private static StatusWriter.Update update(ObjectKey key, CampaignStatus status, List<CampaignStep.Transition> transitions) {
        ObjectNode tree = (ObjectNode) Json.toTree(status);
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (String field : OWNER.fields()) {
            fields.put(field, tree.has(field) ? tree.get(field) : Json.MAPPER.nullNode());
        }
        List<StatusWriter.Notice> notices = transitions.stream().map(transition -> new StatusWriter.Notice(
                transition.to() == CampaignStatus.ClusterState.FAILED, "Cluster" + Json.MAPPER.convertValue(transition.to(), String.class),
                transition.cluster() + ": " + transition.message())).toList();
        return new StatusWriter.Update(key, fields, status.conditions(), Map.of(), StatusWriter.Finalizer.KEEP, notices);
    }

    private void act(String campaign, CampaignStep.Action action) {
        String[] cluster = action.cluster().split("/", 2);
        ObjectNode patch = Json.MAPPER.createObjectNode();
        ObjectNode labels = patch.putObject("metadata").putObject("labels");
        switch (action) {
            case CampaignStep.Start start -> {
                labels.put(Kinds.CAMPAIGN_LABEL, campaign);
                patch.putObject("spec").put("kubernetesVersion", start.version());
            }
            case CampaignStep.Release release -> labels.putNull(Kinds.CAMPAIGN_LABEL);
        }
        try {
            writer.patch(DROVER, new ResourceWriter.Target(Kinds.CLUSTER, cluster[0], cluster[1]), ResourceWriter.PatchType.MERGE,
                    patch, false, new ResourceWriter.Options(false, FieldValidation.STRICT, FIELD_MANAGER));
            if (action instanceof CampaignStep.Start start) {
                LOG.info("campaign {}: cluster {} moved to kubernetesVersion {}", campaign, action.cluster(), start.version());
            }
        } catch (ApiException refused) {
            LOG.warn("campaign {}: changing cluster {} was refused: {}", campaign, action.cluster(), refused.getMessage());
            if (action instanceof CampaignStep.Start) {
                refusals.computeIfAbsent(campaign, name -> new HashMap<>()).put(action.cluster(), refused.getMessage());
                pass.wake();
            }
        }
    }
}
