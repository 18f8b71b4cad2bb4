package dev.drover.model.validation;

import dev.drover.model.api.ClusterSpec;
import dev.drover.model.api.MaintenancePolicy;
import dev.drover.model.error.FieldError;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/** A maintenance policy of a Cluster, Team or flavor: a known time zone, windows of 30 minutes to 6 hours on named days. */
final class MaintenancePolicies {

    private static final int SHORTEST_MINUTES = 30;
    private static final int LONGEST_MINUTES = 6 * 60;

    private MaintenancePolicies() {
    }

    static void check(MaintenancePolicy policy, String path, List<FieldError> errors) {
        policy.timeZone().ifPresent(zone -> {
            try {
                ZoneId.of(zone);
            } catch (DateTimeException unknown) {
                errors.add(FieldError.invalid(path + ".timeZone", zone,
                        "is not an IANA time zone; use a name such as Europe/Berlin or America/New_York"));
            }
        });
        for (int index = 0; index < policy.windows().size(); index++) {
            ClusterSpec.Window window = policy.windows().get(index);
            String windowPath = path + ".windows[" + index + "]";
            if (window.days().isEmpty()) {
                errors.add(FieldError.required(windowPath + ".days", "name at least one day, e.g. [Tue]"));
            }
            int start = minutes(window.start());
            int end = minutes(window.end());
            int length = end > start ? end - start : 24 * 60 - start + end;
            if (length < SHORTEST_MINUTES || length > LONGEST_MINUTES) {
                errors.add(FieldError.invalid(windowPath + ".end", window.end(), "makes the window from " + window.start() + " "
                        + length / 60 + " h " + length % 60 + " min long; a maintenance window lasts 30 minutes to 6 hours"));
            }
        }
    }

    private static int minutes(String time) {
        return Integer.parseInt(time.substring(0, 2)) * 60 + Integer.parseInt(time.substring(3, 5));
    }
}
