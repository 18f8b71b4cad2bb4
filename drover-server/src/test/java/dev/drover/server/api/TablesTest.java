package dev.drover.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.schema.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

    @Test
    void agesReadLikeKubectls() {
        assertThat(Tables.humanDuration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(310))).isEqualTo("5m10s");
        assertThat(Tables.humanDuration(Duration.ofMinutes(95))).isEqualTo("95m");
        assertThat(Tables.humanDuration(Duration.ofMinutes(5 * 60 + 7))).isEqualTo("5h7m");
        assertThat(Tables.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(Tables.humanDuration(Duration.ofHours(3 * 24 + 4))).isEqualTo("3d4h");
        assertThat(Tables.humanDuration(Duration.ofDays(400))).isEqualTo("400d");
        assertThat(Tables.humanDuration(Duration.ofDays(3 * 365 + 20))).isEqualTo("3y20d");
    }

    @Test
    void cellsComeFromTheKindsColumnsWithFallbacks() {
        ObjectNode cluster = Json.parseObject("""
                {"metadata":{"name":"web","creationTimestamp":"2026-01-01T00:00:00Z",
                  "labels":{"platform.drover.dev/provider":"aws-eks"}},
                 "spec":{"flavor":"eks-standard","environment":"production","kubernetesVersion":"1.31.4","region":"us-east-1",
                  "nodePools":[{"name":"a"},{"name":"b"}]},
                 "status":{"expiresAt":"2026-01-04T04:02:30Z","hibernation":{"state":"Awake"}}}""");
        ObjectNode table = Tables.table(Kinds.CLUSTER, List.of(cluster), "7", "", Tables.RowObject.METADATA, true,
                Instant.parse("2026-01-01T00:02:30Z"));
        assertThat(table.path("columnDefinitions")).extracting(column -> column.path("name").asText())
                .containsExactly("Name", "Flavor", "Environment", "Version", "Phase", "Nodes", "Cost", "Support", "Expires", "Age", "Hibernation",
                        "Provider", "Region", "Pools", "Commit", "Add-ons");
        assertThat(table.path("rows").get(0).path("cells")).extracting(cell -> cell.asText())
                .containsExactly("web", "eks-standard", "production", "1.31.4", "Pending", "", "", "supported", "3d4h", "2m30s", "Awake", "aws-eks",
                        "us-east-1", "a,b", "", "");
        assertThat(table.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    }
}
