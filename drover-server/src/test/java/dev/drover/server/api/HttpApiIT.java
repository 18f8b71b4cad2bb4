package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.schema.Json;
import dev.drover.server.testing.TestDrover;
import dev.drover.server.tls.ServingCertificate;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API's HTTP contract, driven with plain HTTP requests: Status errors, authentication, watch resumption. */
class HttpApiIT {

    private static final String CLUSTERS = "/apis/platform.drover.dev/v1alpha1/namespaces/payments/clusters";

    private static TestDrover drover;
    private static HttpClient http;

    @BeforeAll
    static void startDrover() {
        drover = TestDrover.sharedWithExamples();
        http = HttpClient.newBuilder().sslContext(ServingCertificate.trusting(drover.certificatePem())).build();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body, String token)
            throws Exception {
        return send(method, path, contentType, body, token, null);
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body, String token,
                                             String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(drover.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> asAdmin(String method, String path, String contentType, String body) throws Exception {
        return send(method, path, contentType, body, drover.adminToken());
    }

    private static void createTeam(String name) throws Exception {
        HttpResponse<String> created = asAdmin("POST", "/apis/platform.drover.dev/v1alpha1/teams", "application/json", """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Team","metadata":{"name":"%s"},
                 "spec":{"environments":[{"name":"development"}]}}""".formatted(name));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static JsonNode status(HttpResponse<String> response, int code, String reason) throws Exception {
        JsonNode status = Json.MAPPER.readTree(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("reason").asText()).isEqualTo(reason);
        assertThat(status.path("code").asInt()).isEqualTo(code);
        return status;
    }

    @Test
    void malformedJsonIsABadRequestNamingLineAndColumn() throws Exception {
        JsonNode status = status(asAdmin("POST", CLUSTERS, "application/json", "{\n  \"apiVersion\": \"x\",\n  oops\n}"),
                400, "BadRequest");
        assertThat(status.path("message").asText()).contains("not valid JSON at line 3, column");
        JsonNode yaml = status(asAdmin("POST", CLUSTERS, "application/yaml", "kind: Cluster\nspec: [unclosed\n"),
                400, "BadRequest");
        assertThat(yaml.path("message").asText()).contains("not valid YAML at line");
    }

    @Test
    void aBodyOverThreeMebibytesIsRefused() throws Exception {
        String huge = "{\"metadata\":{\"annotations\":{\"a\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}}}";
        JsonNode status = status(asAdmin("POST", CLUSTERS, "application/json", huge), 413, "RequestEntityTooLarge");
        assertThat(status.path("message").asText()).contains("3 MiB");
    }

    @Test
    void aWrongContentTypeIsRefused() throws Exception {
        JsonNode status = status(asAdmin("POST", CLUSTERS, "text/plain", "hello"), 415, "UnsupportedMediaType");
        assertThat(status.path("message").asText()).contains("application/json");
        assertThat(status(asAdmin("PATCH", CLUSTERS + "/payments-dev", "text/plain", "{}"), 415, "UnsupportedMediaType")
                .path("message").asText()).contains("application/apply-patch+yaml");
    }

    @Test
    void aServerSideApplyNeedsAFieldManagerAndAConfigurationThatSaysWhatItIs() throws Exception {
        String apply = "application/apply-patch+yaml";
        String config = "apiVersion: platform.drover.dev/v1alpha1\nkind: Cluster\nmetadata: {name: payments-dev}\n";
        assertThat(status(asAdmin("PATCH", CLUSTERS + "/payments-dev?fieldManager=", apply, config), 400, "BadRequest")
                .path("message").asText()).contains("fieldManager is required");
        assertThat(status(asAdmin("PATCH", CLUSTERS + "/payments-dev?fieldManager=tests", apply, "{}"), 400, "BadRequest")
                .path("message").asText()).contains("set apiVersion: platform.drover.dev/v1alpha1 and kind: Cluster");
        assertThat(status(asAdmin("PATCH", CLUSTERS + "/payments-dev?fieldManager=tests&force=true", "application/merge-patch+json",
                "{}"), 400, "BadRequest").path("message").asText()).contains("force is only allowed for server-side apply");
        String withManagedFields = config.replace("{name: payments-dev}", "{name: payments-dev, managedFields: [{manager: x}]}");
        assertThat(status(asAdmin("PATCH", CLUSTERS + "/payments-dev?fieldManager=tests", apply, withManagedFields), 400,
                "BadRequest").path("message").asText()).contains("metadata.managedFields must be nil");
    }

    @Test
    void invalidObjectsGetOneCausePerField() throws Exception {
        String body = """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"causes"},
                 "spec":{"flavor":"eks-standard","environment":"production","kubernetesVersion":"9.9.9",
                         "nodePools":[{"name":"a","instanceType":"m6i.large","minSize":3,"maxSize":1}]}}""";
        JsonNode status = status(asAdmin("POST", CLUSTERS, "application/json", body), 422, "Invalid");
        List<String> fields = new ArrayList<>();
        status.path("details").path("causes").forEach(cause -> fields.add(cause.path("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("spec.kubernetesVersion", "spec.nodePools[0].minSize");
        assertThat(status.path("details").path("kind").asText()).isEqualTo("Cluster");
    }

    @Test
    void unknownFieldsWarnUnderFieldValidationWarn() throws Exception {
        String body = """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"warned"},
                 "spec":{"flavor":"vcluster-dev","environment":"development","colour":"blue"}}""";
        HttpResponse<String> created = asAdmin("POST", "/apis/platform.drover.dev/v1alpha1/namespaces/data-platform/clusters"
                + "?fieldValidation=Warn&dryRun=All", "application/json", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // The dry run also answers with the estimate (see CostIT).
        assertThat(created.headers().allValues("Warning")).first().isEqualTo("299 - \"unknown field \\\"spec.colour\\\"\"");
        assertThat(created.headers().allValues("Warning")).last().asString().contains("estimated cost of cluster warned");
        assertThat(Json.MAPPER.readTree(created.body()).path("spec").has("colour")).isFalse();
    }

    @Test
    void theStatusSubresourceChangesOnlyStatusAndGenerationFollowsTheSpec() throws Exception {
        createTeam("http-status");
        String cluster = "/apis/platform.drover.dev/v1alpha1/namespaces/http-status/clusters/observed";
        HttpResponse<String> created = asAdmin("POST", "/apis/platform.drover.dev/v1alpha1/namespaces/http-status/clusters",
                "application/json", """
                {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"observed"},
                 "spec":{"flavor":"vcluster-dev","environment":"development"},"status":{"phase":"Ready"}}""");
        assertThat(Json.MAPPER.readTree(created.body()).has("status")).as("status is ignored on create").isFalse();

        JsonNode statusUpdated = Json.MAPPER.readTree(asAdmin("PATCH", cluster + "/status", "application/merge-patch+json",
                "{\"spec\":{\"ttl\":\"5h\"},\"status\":{\"phase\":\"Provisioning\",\"observedGeneration\":1}}").body());
        assertThat(statusUpdated.path("status").path("phase").asText()).isEqualTo("Provisioning");
        assertThat(statusUpdated.path("spec").has("ttl")).as("spec is ignored on the status subresource").isFalse();
        assertThat(statusUpdated.path("metadata").path("generation").asInt()).isEqualTo(1);

        JsonNode labelled = Json.MAPPER.readTree(asAdmin("PATCH", cluster, "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"owner\":\"ines\"}},\"status\":{\"phase\":\"Failed\"}}").body());
        assertThat(labelled.path("status").path("phase").asText()).as("status is ignored on the main resource")
                .isNotEqualTo("Failed");
        assertThat(labelled.path("metadata").path("generation").asInt()).as("labels do not bump the generation").isEqualTo(1);

        JsonNode resized = Json.MAPPER.readTree(asAdmin("PATCH", cluster, "application/merge-patch+json",
                "{\"spec\":{\"ttl\":\"5h\"}}").body());
        assertThat(resized.path("metadata").path("generation").asInt()).isEqualTo(2);
        assertThat(Long.parseLong(resized.path("metadata").path("resourceVersion").asText()))
                .isGreaterThan(Long.parseLong(labelled.path("metadata").path("resourceVersion").asText()));
    }

    @Test
    void requestsWithoutAValidTokenAreUnauthorized() throws Exception {
        assertThat(status(send("GET", CLUSTERS, null, null, null), 401, "Unauthorized").path("message").asText())
                .contains("no bearer token");
        assertThat(status(send("GET", CLUSTERS, null, null, "drover_made-up"), 401, "Unauthorized").path("message").asText())
                .contains("not one Drover issued");
        assertThat(send("GET", "/version", null, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void teamTokensSeeOnlyTheirTeam() throws Exception {
        HttpResponse<String> issued = asAdmin("POST", "/drover/v1/tokens", "application/json", "{\"team\":\"search\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String token = Json.MAPPER.readTree(issued.body()).path("token").asText();

        assertThat(send("GET", "/apis/platform.drover.dev/v1alpha1/namespaces/search/clusters", null, null, token)
                .statusCode()).isEqualTo(200);
        JsonNode refused = status(send("GET", CLUSTERS, null, null, token), 403, "Forbidden");
        assertThat(refused.path("message").asText()).contains("of team \"search\" cannot list", "namespace \"payments\"");
        status(send("DELETE", "/apis/platform.drover.dev/v1alpha1/clusterflavors/eks-standard", null, null, token),
                403, "Forbidden");
        JsonNode teams = Json.MAPPER.readTree(send("GET", "/apis/platform.drover.dev/v1alpha1/teams", null, null, token).body());
        assertThat(teams.path("items")).extracting(item -> item.path("metadata").path("name").asText()).containsExactly("search");
        status(send("POST", "/drover/v1/tokens", "application/json", "{\"team\":\"search\"}", token), 403, "Forbidden");

        // The emergency override of maintenance windows is the platform's: a team may keep or remove it, not set it.
        String searchDev = "/apis/platform.drover.dev/v1alpha1/namespaces/search/clusters/search-dev";
        String immediate = "{\"spec\":{\"maintenance\":{\"immediate\":true}}}";
        JsonNode overridden = status(send("PATCH", searchDev, "application/merge-patch+json", immediate, token), 422, "Invalid");
        assertThat(overridden.path("details").path("causes").get(0).path("field").asText()).isEqualTo("spec.maintenance.immediate");
        assertThat(overridden.path("message").asText()).contains("only platform admins may commit changes outside the maintenance "
                + "windows");
        assertThat(asAdmin("PATCH", searchDev, "application/merge-patch+json", immediate).statusCode()).isEqualTo(200);
        assertThat(send("PATCH", searchDev, "application/merge-patch+json", "{\"spec\":{\"maintenance\":{\"immediate\":true,"
                + "\"timeZone\":\"UTC\"}}}", token).statusCode()).as("a team keeps the override while changing its spec").isEqualTo(200);
        assertThat(send("PATCH", searchDev, "application/merge-patch+json", "{\"spec\":{\"maintenance\":null}}", token)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCoverRequestsControllersStoreAndPoolAndEveryMetricTheExampleAlertsUse() throws Exception {
        assertThat(asAdmin("GET", CLUSTERS, null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> scraped = asAdmin("GET", "/metrics", null, null);
        assertThat(scraped.statusCode()).isEqualTo(200);
        String metrics = scraped.body();
        assertThat(metrics).containsPattern("drover_api_requests_seconds_count\\{code=\"200\",resource=\"clusters\",verb=\"GET\"} [1-9]")
                .containsPattern("drover_reconcile_seconds_count\\{controller=\"fleet\",outcome=\"succeeded\"} [1-9]")
                .contains("drover_controller_queue_depth{controller=\"campaign\"}", "drover_store_batch_writes_count",
                        "drover_store_batch_commit_seconds_count", "drover_watchers", "drover_fleet_commits_seconds_count",
                        "drover_fleet_push_failures_total", "hikaricp_connections_active", "jvm_memory_used_bytes",
                        "drover_health_check_ok{check=\"store\"} 1");

        JsonNode rules = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(
                java.nio.file.Files.readString(java.nio.file.Path.of("../deploy/helm/drover/files/alerts.yaml")));
        List<String> used = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules").forEach(rule -> {
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b(drover|hikaricp|jvm)_[a-z_]+")
                    .matcher(rule.path("expr").asText());
            while (names.find()) {
                used.add(names.group());
            }
        }));
        assertThat(used).hasSizeGreaterThan(5);
        // The health checks of the management cluster and the embedded PostgreSQL exist only where they apply.
        assertThat(used).allSatisfy(name -> assertThat(metrics).as("the example alerts use " + name).contains(name));
    }

    @Test
    void aWatchResumesFromAResourceVersionWithoutMissingAnything() throws Exception {
        createTeam("http-watch");
        String clusters = "/apis/platform.drover.dev/v1alpha1/namespaces/http-watch/clusters";
        String list = asAdmin("GET", clusters, null, null).body();
        String since = Json.MAPPER.readTree(list).path("metadata").path("resourceVersion").asText();
        for (String name : List.of("one", "two", "three")) {
            HttpResponse<String> created = asAdmin("POST", clusters, "application/json", """
                    {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster","metadata":{"name":"%s"},
                     "spec":{"flavor":"vcluster-dev","environment":"development"}}""".formatted(name));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        List<String> events = readWatch(clusters + "?watch=true&resourceVersion=" + since + "&timeoutSeconds=2");
        // The fleet reconciler's status writes show up as MODIFIED events in between.
        assertThat(events.stream().filter(event -> !event.startsWith("MODIFIED ")))
                .containsExactly("ADDED one", "ADDED two", "ADDED three");

        List<String> withBookmarks = readWatch(clusters + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=3"
                + "&resourceVersion=" + since);
        assertThat(withBookmarks.stream().filter(event -> !event.startsWith("MODIFIED ")))
                .startsWith("ADDED one", "ADDED two", "ADDED three").contains("BOOKMARK");

        JsonNode gone = status(asAdmin("GET", clusters + "?watch=true&resourceVersion=-5", null, null), 410, "Expired");
        assertThat(gone.path("message").asText()).contains("too old resource version");
    }

    private static List<String> readWatch(String path) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(drover.url() + path))
                .header("Authorization", "Bearer " + drover.adminToken()).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode event = Json.MAPPER.readTree(line);
                String type = event.path("type").asText();
                events.add(type.equals("BOOKMARK") ? type : type + " " + event.path("object").path("metadata").path("name").asText());
            }
        }
        return events;
    }

    @Test
    void deleteOnACollectionDeletesWhatTheSelectorsMatchAndAnswersWithThem() throws Exception {
        createTeam("http-collection");
        String clusters = "/apis/platform.drover.dev/v1alpha1/namespaces/http-collection/clusters";
        for (String name : List.of("keep", "drop-1", "drop-2")) {
            HttpResponse<String> created = asAdmin("POST", clusters, "application/json", """
                    {"apiVersion":"platform.drover.dev/v1alpha1","kind":"Cluster",
                     "metadata":{"name":"%s","labels":{"purpose":"%s"}},
                     "spec":{"flavor":"docker-local","environment":"development",
                             "nodePools":[{"name":"general","instanceType":"container","minSize":1,"maxSize":2}]}}"""
                    .formatted(name, name.startsWith("drop") ? "drop" : "keep"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }

        HttpResponse<String> dryRun = asAdmin("DELETE", clusters + "?labelSelector=purpose%3Ddrop&dryRun=All", null, null);
        assertThat(Json.MAPPER.readTree(dryRun.body()).path("items")).hasSize(2);
        assertThat(Json.MAPPER.readTree(asAdmin("GET", clusters + "/drop-1", null, null).body()).path("metadata")
                .has("deletionTimestamp")).as("a dry run deletes nothing").isFalse();

        HttpResponse<String> deleted = asAdmin("DELETE", clusters + "?labelSelector=purpose%3Ddrop", null, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        JsonNode list = Json.MAPPER.readTree(deleted.body());
        assertThat(list.path("kind").asText()).isEqualTo("ClusterList");
        assertThat(list.path("items")).extracting(item -> item.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("drop-1", "drop-2");
        assertThat(list.path("items")).allSatisfy(item -> assertThat(item.path("metadata").has("deletionTimestamp")).isTrue());
        assertThat(Json.MAPPER.readTree(asAdmin("GET", clusters + "/keep", null, null).body()).path("metadata")
                .has("deletionTimestamp")).isFalse();
        status(asAdmin("DELETE", clusters + "/keep/status", null, null), 405, "MethodNotAllowed");
    }

    @Test
    void aWatchParameterOfTrueInAnySpellingStreamsEventsAsKubeApiserverReadsIt() throws Exception {
        String teams = "/apis/platform.drover.dev/v1alpha1/teams?timeoutSeconds=1&watch=";
        for (String spelling : List.of("True", "1", "yes")) {
            List<String> events = readWatch(teams + spelling);
            assertThat(events).as("watch=" + spelling).isNotEmpty().allSatisfy(event ->
                    assertThat(event).matches("(ADDED|MODIFIED|DELETED) \\S+|BOOKMARK"));
            assertThat(events.getFirst()).startsWith("ADDED ");
        }
        JsonNode list = Json.MAPPER.readTree(asAdmin("GET", teams + "False", null, null).body());
        assertThat(list.path("kind").asText()).as("watch=False lists").isEqualTo("TeamList");
    }

    @Test
    void readsAnswerInTheFormTheAcceptHeaderAsksFor() throws Exception {
        String cluster = "/apis/platform.drover.dev/v1alpha1/namespaces/payments/clusters/payments-dev";
        HttpResponse<String> yaml = withAccept(cluster, "application/yaml");
        assertThat(yaml.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        assertThat(yaml.body()).startsWith("apiVersion: platform.drover.dev/v1alpha1\nkind: Cluster\n").contains("  name: payments-dev");

        JsonNode partial = Json.MAPPER.readTree(withAccept(cluster, "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1")
                .body());
        assertThat(partial.path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(partial.has("spec")).isFalse();
        assertThat(partial.path("metadata").path("name").asText()).isEqualTo("payments-dev");

        JsonNode partialList = Json.MAPPER.readTree(withAccept(CLUSTERS,
                "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json").body());
        assertThat(partialList.path("kind").asText()).isEqualTo("PartialObjectMetadataList");
        assertThat(partialList.path("items")).isNotEmpty().allSatisfy(item -> assertThat(item.has("spec")).isFalse());

        JsonNode table = Json.MAPPER.readTree(withAccept(CLUSTERS + "?includeObject=None",
                "application/json;as=Table;v=v1;g=meta.k8s.io").body());
        assertThat(table.path("rows")).isNotEmpty().allSatisfy(row -> assertThat(row.has("object")).isFalse());

        status(send("GET", CLUSTERS, null, null, drover.adminToken(), "application/vnd.kubernetes.protobuf"), 406, "NotAcceptable");
    }

    @Test
    void aWatchListSendsTheInitialEventsThenABookmarkThatEndsThem() throws Exception {
        List<String> events = readWatch("/apis/platform.drover.dev/v1alpha1/clusterflavors?watch=1&sendInitialEvents=true"
                + "&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1&resourceVersion=1");
        int end = events.indexOf("BOOKMARK");
        assertThat(end).as(events.toString()).isGreaterThan(0);
        assertThat(events.subList(0, end)).allSatisfy(event -> assertThat(event).startsWith("ADDED "));
        HttpResponse<InputStream> raw = http.send(HttpRequest.newBuilder(URI.create(drover.url()
                        + "/apis/platform.drover.dev/v1alpha1/clusterflavors?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
                        + "&resourceVersionMatch=NotOlderThan&timeoutSeconds=1")).header("Authorization", "Bearer " + drover.adminToken())
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        String body = new String(raw.body().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body).contains("\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}");
        status(asAdmin("GET", "/apis/platform.drover.dev/v1alpha1/clusterflavors?watch=1&sendInitialEvents=true", null, null),
                422, "Invalid");
    }

    @Test
    void aWatchFromAFutureVersionIsATimeoutNamingTheVersionsAsKubeApiserverAnswers() throws Exception {
        long future = drover.server().store().revision() + 1_000_000;
        JsonNode status = status(asAdmin("GET", "/apis/platform.drover.dev/v1alpha1/teams?watch=true&resourceVersion=" + future,
                null, null), 504, "Timeout");
        assertThat(status.path("message").asText()).contains("Too large resource version: " + future);
        assertThat(status.path("details").path("causes").get(0).path("reason").asText()).isEqualTo("ResourceVersionTooLarge");
    }

    @Test
    void aggregatedDiscoveryDescribesEveryResourceInOneAnswerPerRoot() throws Exception {
        String accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
        HttpResponse<String> apis = withAccept("/apis", accept);
        assertThat(apis.headers().firstValue("Content-Type").orElse(""))
                .isEqualTo("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        JsonNode group = Json.MAPPER.readTree(apis.body()).path("items").get(0);
        assertThat(group.path("metadata").path("name").asText()).isEqualTo("platform.drover.dev");
        JsonNode resources = group.path("versions").get(0).path("resources");
        assertThat(resources).extracting(resource -> resource.path("resource").asText())
                .containsExactlyInAnyOrder("teams", "clusterflavors", "clusters", "addonprofiles", "pricebooks", "campaigns", "ippools",
                        "integrations", "apptemplates", "applications");
        assertThat(resources).filteredOn(resource -> resource.path("resource").asText().equals("clusters")).singleElement()
                .satisfies(clusters -> {
                    assertThat(clusters.path("scope").asText()).isEqualTo("Namespaced");
                    assertThat(clusters.path("responseKind").path("kind").asText()).isEqualTo("Cluster");
                    assertThat(clusters.path("subresources").get(0).path("subresource").asText()).isEqualTo("status");
                });
        JsonNode core = Json.MAPPER.readTree(withAccept("/api", accept).body()).path("items").get(0);
        assertThat(core.path("versions").get(0).path("resources").get(0).path("resource").asText()).isEqualTo("namespaces");
        assertThat(Json.MAPPER.readTree(withAccept("/apis", "application/json").body()).path("kind").asText())
                .as("the plain form without the aggregated one first").isEqualTo("APIGroupList");
    }

    @Test
    void resourceVersionMatchIsReadAsKubeApiserverReadsIt() throws Exception {
        String flavors = "/apis/platform.drover.dev/v1alpha1/clusterflavors";
        JsonNode list = Json.MAPPER.readTree(asAdmin("GET", flavors + "?resourceVersionMatch=NotOlderThan&resourceVersion=1", null, null)
                .body());
        assertThat(list.path("kind").asText()).isEqualTo("ClusterFlavorList");
        // Exact at the newest version works; other tests write to this server, so the newest version may move between
        // the two requests: then it is tried again.
        HttpResponse<String> exact = null;
        for (int attempt = 0; attempt < 20 && (exact == null || exact.statusCode() != 200); attempt++) {
            long now = Json.MAPPER.readTree(asAdmin("GET", flavors, null, null).body()).path("metadata").path("resourceVersion").asLong();
            exact = asAdmin("GET", flavors + "?resourceVersionMatch=Exact&resourceVersion=" + now, null, null);
        }
        assertThat(exact.statusCode()).as(exact.body()).isEqualTo(200);
        JsonNode gone = status(asAdmin("GET", flavors + "?resourceVersionMatch=Exact&resourceVersion=1", null, null), 410, "Expired");
        assertThat(gone.path("message").asText()).contains("without resourceVersionMatch=Exact");
        status(asAdmin("GET", flavors + "?resourceVersionMatch=Exact", null, null), 400, "BadRequest");
        status(asAdmin("GET", flavors + "?resourceVersionMatch=Sometime&resourceVersion=1", null, null), 400, "BadRequest");
    }

    @Test
    void aPagedListSaysHowManyItemsRemainWhenTheCountIsExact() throws Exception {
        String flavors = "/apis/platform.drover.dev/v1alpha1/clusterflavors";
        int total = Json.MAPPER.readTree(asAdmin("GET", flavors, null, null).body()).path("items").size();
        assertThat(total).isGreaterThan(3);

        JsonNode page = Json.MAPPER.readTree(asAdmin("GET", flavors + "?limit=2", null, null).body());
        assertThat(page.path("metadata").path("remainingItemCount").asLong()).isEqualTo(total - 2);
        JsonNode next = Json.MAPPER.readTree(asAdmin("GET", flavors + "?limit=2&continue="
                + page.path("metadata").path("continue").asText(), null, null).body());
        assertThat(next.path("metadata").path("remainingItemCount").asLong()).isEqualTo(total - 4);
        JsonNode selected = Json.MAPPER.readTree(asAdmin("GET", flavors + "?limit=1&fieldSelector=metadata.name!%3Dnone", null, null)
                .body());
        assertThat(selected.path("metadata").has("remainingItemCount")).as("not exact with a selector").isFalse();
    }

    private static HttpResponse<String> withAccept(String path, String accept) throws Exception {
        HttpResponse<String> response = send("GET", path, null, null, drover.adminToken(), accept);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }
}
