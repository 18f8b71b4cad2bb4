package dev.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.ClusterSpec.Weekday;
import dev.drover.model.api.MaintenancePolicy;
import dev.drover.model.error.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenancePoliciesTest {

    @Test
    void windowsLastThirtyMinutesToSixHoursOnNamedDaysInAKnownZone() {
        var policy = new MaintenancePolicy(List.of(
                new ClusterSpec.Window(List.of(Weekday.TUESDAY), "02:00", "04:00"),
                new ClusterSpec.Window(List.of(Weekday.SATURDAY), "23:00", "01:30"),
                new ClusterSpec.Window(List.of(Weekday.MONDAY), "02:00", "02:20"),
                new ClusterSpec.Window(List.of(), "20:00", "03:00")), Optional.of("Mars/Olympus"), Optional.empty());
        List<FieldError> errors = new ArrayList<>();
        MaintenancePolicies.check(policy, "spec.maintenance", errors);
        assertThat(errors).extracting(FieldError::field).containsExactly("spec.maintenance.timeZone",
                "spec.maintenance.windows[2].end", "spec.maintenance.windows[3].days", "spec.maintenance.windows[3].end");
        assertThat(errors.get(1).message()).contains("0 h 20 min long; a maintenance window lasts 30 minutes to 6 hours");
        assertThat(errors.get(3).message()).contains("7 h 0 min long");
    }
}
