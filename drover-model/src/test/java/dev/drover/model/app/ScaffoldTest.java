package dev.drover.model.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.render.ExampleFleet;
import dev.drover.model.render.FleetSnapshot;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** The scaffold of each example template: pinned bases, and pipelines that build, scan, push, report and deliver. */
class ScaffoldTest {

    @Test
    void everyTemplatesScaffoldBuildsFromItsPinnedImagesAndDeliversThroughTheScanGate() {
        FleetSnapshot examples = ExampleFleet.snapshot();
        examples.applications().applications().values().forEach(application -> {
            var template = examples.applications().templates().get(application.spec().template()).spec();
            SortedMap<String, String> files = Scaffold.files(application.team(), application.name(), application.spec(),
                    application.spec().template(), template);
            var scaffold = template.scaffold().orElseThrow();
            assertThat(files.get("Dockerfile")).contains("FROM " + scaffold.buildImage() + " AS build",
                    "FROM " + scaffold.runtimeImage(), "EXPOSE " + application.spec().port());
            for (String pipeline : java.util.List.of(".github/workflows/drover.yaml", ".gitlab-ci.yml")) {
                assertThat(files.get(pipeline)).as(pipeline).contains("docker build", "trivy image --format json",
                        "docker push", "drover app scan-result " + application.name() + " -n " + application.team(),
                        "drover app set-image " + application.name() + " -n " + application.team());
            }
            assertThat(files.containsKey("Jenkinsfile")).isEqualTo(scaffold.jenkins().orElse(false));
        });
    }
}
