package dev.drover.model.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.error.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The findings of one image scan, read from Trivy's JSON report ({@code trivy image --format json}, schema version 2):
 * the digests the report names in {@code Metadata.RepoDigests}, and every vulnerability of every result.
 */
public record ScanReport(String artifact, Set<String> digests, List<Finding> findings) {

    /** Findings a refusal names at most; the count says how many more. */
    public static final int NAMED = 5;

    /** Findings most severe first, then by id and package: the order refusals name them in. */
    public ScanReport {
        digests = Set.copyOf(digests);
        findings = findings.stream().sorted(Comparator.comparing(Finding::severity).thenComparing(Finding::id)
                .thenComparing(Finding::packageName)).toList();
    }

    /** One vulnerability in one package. */
    public record Finding(String id, String packageName, String installed, String fixed, AppTemplateSpec.Severity severity,
                          String title) {

        /** Empty texts are left out of the stored JSON; read back, they are empty again. */
        public Finding {
            id = id == null ? "" : id;
            packageName = packageName == null ? "" : packageName;
            installed = installed == null ? "" : installed;
            fixed = fixed == null ? "" : fixed;
            severity = severity == null ? AppTemplateSpec.Severity.UNKNOWN : severity;
            title = title == null ? "" : title;
        }

        /** {@code CVE-2024-1 (CRITICAL) in openssl 3.0.1, fixed in 3.0.2}. */
        public String describe() {
            return id + " (" + severity + ") in " + packageName + " " + installed
                    + (fixed.isEmpty() ? ", no fix yet" : ", fixed in " + fixed);
        }
    }

    /** @throws ApiException BadRequest when the body is not a Trivy JSON report */
    public static ScanReport fromTrivy(JsonNode report) {
        if (!report.isObject() || !report.has("Results") && !report.has("ArtifactName")) {
            throw ApiException.badRequest("the scan result is not a Trivy JSON report (trivy image --format json): it has "
                    + "neither ArtifactName nor Results");
        }
        if (report.path("SchemaVersion").asInt(2) != 2) {
            throw ApiException.badRequest("the Trivy report has SchemaVersion " + report.path("SchemaVersion").asText()
                    + "; Drover reads schema version 2 (Trivy 0.20 and newer)");
        }
        Set<String> digests = new LinkedHashSet<>();
        for (JsonNode repoDigest : report.path("Metadata").path("RepoDigests")) {
            String text = repoDigest.asText();
            int at = text.indexOf('@');
            if (at >= 0) {
                digests.add(text.substring(at + 1));
            }
        }
        ImageReference.parse(report.path("ArtifactName").asText("")).digest().ifPresent(digests::add);
        List<Finding> findings = new ArrayList<>();
        for (JsonNode result : report.path("Results")) {
            for (JsonNode vulnerability : result.path("Vulnerabilities")) {
                findings.add(new Finding(vulnerability.path("VulnerabilityID").asText(""),
                        vulnerability.path("PkgName").asText(""), vulnerability.path("InstalledVersion").asText(""),
                        vulnerability.path("FixedVersion").asText(""), severity(vulnerability.path("Severity").asText("")),
                        vulnerability.path("Title").asText("")));
            }
        }
        return new ScanReport(report.path("ArtifactName").asText(""), digests, findings);
    }

    /**
     * The findings of a trivy-operator {@code VulnerabilityReport} ({@code aquasecurity.github.io/v1alpha1}) of a
     * container running in a workload cluster: {@code report.artifact.digest} and {@code report.vulnerabilities}.
     */
    public static ScanReport fromVulnerabilityReport(JsonNode object) {
        JsonNode report = object.path("report");
        JsonNode artifact = report.path("artifact");
        String digest = artifact.path("digest").asText("");
        String server = report.path("registry").path("server").asText("");
        String name = (server.isEmpty() ? "" : server + "/") + artifact.path("repository").asText("")
                + (artifact.path("tag").asText("").isEmpty() ? "" : ":" + artifact.path("tag").asText());
        List<Finding> findings = new ArrayList<>();
        for (JsonNode vulnerability : report.path("vulnerabilities")) {
            findings.add(new Finding(vulnerability.path("vulnerabilityID").asText(""), vulnerability.path("resource").asText(""),
                    vulnerability.path("installedVersion").asText(""), vulnerability.path("fixedVersion").asText(""),
                    severity(vulnerability.path("severity").asText("")), vulnerability.path("title").asText("")));
        }
        return new ScanReport(name, digest.isEmpty() ? Set.of() : Set.of(digest), findings);
    }

    private static AppTemplateSpec.Severity severity(String text) {
        try {
            return AppTemplateSpec.Severity.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return AppTemplateSpec.Severity.UNKNOWN;
        }
    }

    /** How many findings there are per severity, most severe first. */
    public Map<AppTemplateSpec.Severity, Integer> counts() {
        Map<AppTemplateSpec.Severity, Integer> counts = new EnumMap<>(AppTemplateSpec.Severity.class);
        findings.forEach(finding -> counts.merge(finding.severity(), 1, Integer::sum));
        return counts;
    }

    /** The findings the gate blocks: of a blocked severity, and with a fix unless the gate ignores unfixed ones. */
    public List<Finding> blockedBy(AppTemplateSpec.ScanGate gate) {
        boolean ignoreUnfixed = gate.ignoreUnfixed().orElse(false);
        return findings.stream().filter(finding -> gate.block().contains(finding.severity()))
                .filter(finding -> !ignoreUnfixed || !finding.fixed().isEmpty()).toList();
    }

    /** {@code 2 CRITICAL, 5 HIGH}, or {@code no findings}. */
    public static String summary(Map<AppTemplateSpec.Severity, Integer> counts) {
        if (counts.values().stream().allMatch(count -> count == 0)) {
            return "no findings";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((severity, count) -> {
            if (count > 0) {
                parts.add(count + " " + severity);
            }
        });
        return String.join(", ", parts);
    }

    /** The first findings described, and how many more. */
    public static String describe(List<Finding> findings) {
        List<String> named = findings.stream().limit(NAMED).map(Finding::describe).toList();
        return String.join("; ", named) + (findings.size() > NAMED ? "; and " + (findings.size() - NAMED) + " more" : "");
    }
}
