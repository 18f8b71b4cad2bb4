package dev.drover.model.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.model.api.AppTemplateSpec;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Trivy's JSON reports read, and held against gates both ways. */
class ScanReportTest {

    static ScanReport fixture(String name) throws IOException {
        return ScanReport.fromTrivy(Json.MAPPER.readTree(Files.readString(Path.of("src/test/resources/scans/" + name))));
    }

    @Test
    void aReportGivesItsDigestAndEveryFindingOfEveryResult() throws IOException {
        ScanReport report = fixture("trivy-checkout-vulnerable.json");
        assertThat(report.digests()).containsExactly("sha256:" + "1".repeat(64));
        assertThat(report.findings()).extracting(ScanReport.Finding::id)
                .containsExactly("CVE-2022-22965", "CVE-2023-44487", "CVE-2024-38816", "CVE-2024-2511");
        assertThat(ScanReport.summary(report.counts())).isEqualTo("1 CRITICAL, 2 HIGH, 1 MEDIUM");
    }

    @Test
    void aGateBlocksItsSeveritiesAndMayLetUnfixedFindingsThrough() throws IOException {
        ScanReport report = fixture("trivy-checkout-vulnerable.json");
        var production = new AppTemplateSpec.ScanGate("production", List.of(AppTemplateSpec.Severity.CRITICAL,
                AppTemplateSpec.Severity.HIGH), Optional.empty());
        assertThat(report.blockedBy(production)).extracting(ScanReport.Finding::id)
                .containsExactly("CVE-2022-22965", "CVE-2023-44487", "CVE-2024-38816");
        assertThat(ScanReport.describe(report.blockedBy(production))).startsWith(
                "CVE-2022-22965 (CRITICAL) in org.springframework:spring-beans 5.3.17, fixed in 5.2.20.RELEASE, 5.3.18");
        var staging = new AppTemplateSpec.ScanGate("staging", List.of(AppTemplateSpec.Severity.HIGH), Optional.of(true));
        assertThat(report.blockedBy(staging)).extracting(ScanReport.Finding::id).containsExactly("CVE-2023-44487");
        assertThat(fixture("trivy-checkout-clean.json").blockedBy(production)).isEmpty();
        assertThat(ScanReport.summary(fixture("trivy-checkout-clean.json").counts())).isEqualTo("no findings");
    }

    @Test
    void whatIsNoTrivyReportIsRefused() throws IOException {
        assertThatThrownBy(() -> ScanReport.fromTrivy(Json.MAPPER.readTree("{\"runs\":[]}"))).isInstanceOf(ApiException.class)
                .hasMessageContaining("not a Trivy JSON report");
        assertThatThrownBy(() -> ScanReport.fromTrivy(Json.MAPPER.readTree("{\"SchemaVersion\":1,\"Results\":[]}")))
                .hasMessageContaining("schema version 2");
    }

    @Test
    void imageReferencesSplitIntoRepositoryTagAndDigest() {
        assertThat(ImageReference.parse("registry.example.com:5000/team/app:1.2@sha256:" + "a".repeat(64)))
                .isEqualTo(new ImageReference("registry.example.com:5000/team/app", Optional.of("1.2"),
                        Optional.of("sha256:" + "a".repeat(64))));
        assertThat(ImageReference.parse("registry.example.com:5000/team/app"))
                .isEqualTo(new ImageReference("registry.example.com:5000/team/app", Optional.empty(), Optional.empty()));
    }
}
