package db.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * AddonProfiles were stored with a derived {@code spec.addons[].chart.oci} that the API does not accept back, so
 * {@code kubectl get -o yaml | kubectl replace -f -} failed on them. This removes it from the stored objects, keeping
 * everything else as it was (in Java rather than SQL because jsonb would reorder every key of the object).
 */
public class V3__AddonProfileChartsWithoutOci extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Map<String, String> rewritten = new LinkedHashMap<>();
        try (Statement select = context.getConnection().createStatement();
             ResultSet rows = select.executeQuery("SELECT name, body FROM resources WHERE kind = 'AddonProfile'")) {
            while (rows.next()) {
                ObjectNode object = Json.parseObject(rows.getString("body"));
                boolean changed = false;
                for (JsonNode addon : object.path("spec").path("addons")) {
                    if (addon.path("chart") instanceof ObjectNode chart && chart.remove("oci") != null) {
                        changed = true;
                    }
                }
                if (changed) {
                    rewritten.put(rows.getString("name"), Json.write(object));
                }
            }
        }
        try (PreparedStatement update = context.getConnection().prepareStatement(
                "UPDATE resources SET body = ? WHERE kind = 'AddonProfile' AND namespace = '' AND name = ?")) {
            for (Map.Entry<String, String> profile : rewritten.entrySet()) {
                update.setString(1, profile.getValue());
                update.setString(2, profile.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
