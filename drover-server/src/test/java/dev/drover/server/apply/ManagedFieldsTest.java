package dev.drover.server.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.schema.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManagedFieldsTest {

    private static final ManagedFields.Writer KUBECTL = new ManagedFields.Writer("kubectl", ManagedFields.Scope.MAIN);
    private static final ManagedFields.Writer FLUX = new ManagedFields.Writer("kustomize-controller", ManagedFields.Scope.MAIN);
    private static final ManagedFields.Writer EDIT = new ManagedFields.Writer("kubectl-edit", ManagedFields.Scope.MAIN);

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"'));
    }

    private static ObjectNode cluster(String spec) {
        return json("{'apiVersion':'platform.drover.dev/v1alpha1','kind':'Cluster','metadata':{'name':'web','namespace':'payments',"
                + "'uid':'u1','resourceVersion':'7'},'spec':" + spec + "}");
    }

    /** The object as the write path would store it: the live object with the applied view in place of its spec and metadata. */
    private static ObjectNode stored(ManagedFields.Applied applied) {
        ObjectNode object = cluster("{}");
        object.set("spec", applied.view().path("spec"));
        ObjectNode metadata = object.withObjectProperty("metadata");
        applied.view().path("metadata").properties().forEach(field -> metadata.set(field.getKey(), field.getValue()));
        metadata.set("managedFields", ManagedFields.encode(applied.entries()));
        return object;
    }

    private static ManagedFields.Applied apply(Optional<ObjectNode> live, String spec, ManagedFields.Writer writer, boolean force,
                                               String now) {
        List<ManagedField> entries = live.map(object -> ManagedFields.decode(object.path("metadata").get("managedFields")))
                .orElse(List.of());
        return ManagedFields.apply(Kinds.CLUSTER, "web", live, cluster(spec), entries, writer, force, now);
    }

    @Test
    void anApplyOwnsExactlyTheFieldsItSetsInFieldsV1() {
        ManagedFields.Applied created = apply(Optional.empty(), "{'flavor':'eks','nodePools':[{'name':'general','maxSize':3}],"
                + "'addons':{'exclude':['velero']}}", KUBECTL, false, "2026-12-01T10:00:00Z");

        assertThat(created.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.manager()).isEqualTo("kubectl");
            assertThat(entry.operation()).isEqualTo(ManagedField.Operation.APPLY);
            assertThat(entry.time()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(entry.fields().toFieldsV1()).isEqualTo(json("{'f:spec':{'f:addons':{'f:exclude':{'v:\\'velero\\'':{}}},"
                    .replace("\\'", "\\\"") + "'f:flavor':{},'f:nodePools':{'k:{\\\"name\\\":\\\"general\\\"}':{'.':{},'f:maxSize':{},"
                    + "'f:name':{}}}}}"));
        });
        assertThat(ManagedFields.decode(ManagedFields.encode(created.entries()))).isEqualTo(created.entries());
    }

    @Test
    void applyingTheSameConfigurationAgainChangesNothingNotEvenTheTime() {
        ObjectNode live = stored(apply(Optional.empty(), "{'flavor':'eks'}", KUBECTL, false, "2026-12-01T10:00:00Z"));

        ManagedFields.Applied again = apply(Optional.of(live), "{'flavor':'eks'}", KUBECTL, false, "2026-12-01T11:00:00Z");

        assertThat(stored(again)).isEqualTo(live);
    }

    @Test
    void aFieldTheManagerStopsApplyingIsRemovedUnlessAnotherManagerOwnsIt() {
        ObjectNode live = stored(apply(Optional.empty(), "{'flavor':'eks','ttl':'72h','region':'eu-west-1'}", KUBECTL, false, "t1"));
        live = stored(apply(Optional.of(live), "{'region':'eu-west-1'}", FLUX, false, "t2"));

        ManagedFields.Applied applied = apply(Optional.of(live), "{'flavor':'eks'}", KUBECTL, false, "t3");

        assertThat(applied.view().path("spec")).isEqualTo(json("{'flavor':'eks','region':'eu-west-1'}"));
        assertThat(applied.entries()).extracting(ManagedField::manager).containsExactlyInAnyOrder("kubectl", "kustomize-controller");
    }

    @Test
    void changingAFieldAnotherManagerSetIsAConflictNamingBothUnlessForced() {
        ObjectNode live = stored(apply(Optional.empty(), "{'flavor':'eks','nodePools':[{'name':'general','maxSize':3}]}",
                KUBECTL, false, "t1"));
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.path("spec").path("nodePools").get(0)).put("maxSize", 5);
        List<ManagedField> afterEdit = ManagedFields.afterUpdate(Kinds.CLUSTER, Optional.of(live), edited,
                ManagedFields.decode(live.path("metadata").get("managedFields")), EDIT, "2026-12-01T12:00:00Z");
        edited.withObjectProperty("metadata").set("managedFields", ManagedFields.encode(afterEdit));

        assertThatThrownBy(() -> apply(Optional.of(edited), "{'flavor':'eks','nodePools':[{'name':'general','maxSize':4}]}",
                KUBECTL, false, "t3"))
                .isInstanceOfSatisfying(ApiException.class, conflict -> {
                    assertThat(conflict.reason()).isEqualTo(ApiException.Reason.CONFLICT);
                    assertThat(conflict.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using "
                            + "platform.drover.dev/v1alpha1 at 2026-12-01T12:00:00Z: .spec.nodePools[name=\"general\"].maxSize");
                    assertThat(conflict.causes()).extracting(FieldError::type, FieldError::field)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("FieldManagerConflict",
                                    ".spec.nodePools[name=\"general\"].maxSize"));
                });

        ManagedFields.Applied forced = apply(Optional.of(edited), "{'flavor':'eks','nodePools':[{'name':'general','maxSize':4}]}",
                KUBECTL, true, "t3");
        assertThat(forced.view().path("spec").path("nodePools").get(0).path("maxSize").asInt()).isEqualTo(4);
        assertThat(forced.entries()).as("the edit's only field moved to kubectl").extracting(ManagedField::manager)
                .containsExactly("kubectl");
    }

    @Test
    void applyingTheValueAnotherManagerSetSharesTheFieldWithoutConflict() {
        ObjectNode live = stored(apply(Optional.empty(), "{'flavor':'eks','ttl':'72h'}", KUBECTL, false, "t1"));

        ManagedFields.Applied shared = apply(Optional.of(live), "{'ttl':'72h'}", FLUX, false, "t2");

        assertThat(shared.entries()).allSatisfy(entry -> assertThat(entry.fields().contains(List.of("f:spec", "f:ttl"))).isTrue());
    }

    @Test
    void managersOwnTheirOwnItemsOfMapAndSetLists() {
        ObjectNode live = stored(apply(Optional.empty(), "{'flavor':'eks','nodePools':[{'name':'general','maxSize':3}],"
                + "'addons':{'exclude':['velero']}}", KUBECTL, false, "t1"));
        live = stored(apply(Optional.of(live), "{'nodePools':[{'name':'batch','maxSize':9}],'addons':{'exclude':['falco']}}",
                FLUX, false, "t2"));
        assertThat(live.path("spec").path("nodePools")).extracting(pool -> pool.path("name").asText())
                .containsExactly("general", "batch");

        ManagedFields.Applied withoutGeneral = apply(Optional.of(live), "{'flavor':'eks','nodePools':[]}", KUBECTL, false, "t3");

        assertThat(withoutGeneral.view().path("spec")).isEqualTo(json("{'flavor':'eks','nodePools':[{'name':'batch','maxSize':9}],"
                + "'addons':{'exclude':['falco']}}"));
    }

    @Test
    void anUpdateTakesTheFieldsItChangesAndOthersLoseThem() {
        ObjectNode live = stored(apply(Optional.empty(), "{'flavor':'eks','ttl':'72h'}", KUBECTL, false, "t1"));
        List<ManagedField> entries = ManagedFields.decode(live.path("metadata").get("managedFields"));
        ObjectNode patched = live.deepCopy();
        ((ObjectNode) patched.path("spec")).put("ttl", "24h");
        patched.withObjectProperty("metadata").putObject("labels").put("tier", "gold");

        List<ManagedField> after = ManagedFields.afterUpdate(Kinds.CLUSTER, Optional.of(live), patched, entries, EDIT, "t2");

        assertThat(after).extracting(ManagedField::manager, entry -> entry.fields().toString()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("kubectl", "{\"f:spec\":{\"f:flavor\":{}}}"),
                org.assertj.core.groups.Tuple.tuple("kubectl-edit",
                        "{\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}},\"f:spec\":{\"f:ttl\":{}}}"));
        assertThat(ManagedFields.afterUpdate(Kinds.CLUSTER, Optional.of(live), live, entries, EDIT, "t3"))
                .as("a write that changes nothing keeps the entries").isSameAs(entries);
    }

    @Test
    void theFirstApplyToAnObjectWithoutEntriesConflictsWithWhatWasThereBefore() {
        ObjectNode live = cluster("{'flavor':'eks','ttl':'72h'}");

        assertThatThrownBy(() -> apply(Optional.of(live), "{'ttl':'24h'}", KUBECTL, false, "t1"))
                .hasMessage("Apply failed with 1 conflict: conflict with \"before-first-apply\" using "
                        + "platform.drover.dev/v1alpha1: .spec.ttl");
    }

    @Test
    void aStatusApplyTouchesOnlyTheStatus() {
        ObjectNode live = cluster("{'flavor':'eks'}");
        live.putObject("status").put("phase", "Provisioning");
        ObjectNode config = cluster("{'flavor':'gke'}");
        config.putObject("status").put("phase", "Ready");

        ManagedFields.Applied applied = ManagedFields.apply(Kinds.CLUSTER, "web", Optional.of(live), config,
                List.of(), new ManagedFields.Writer("tests", ManagedFields.Scope.STATUS), true, "t1");

        assertThat(applied.view()).isEqualTo(json("{'status':{'phase':'Ready'}}"));
        assertThat(applied.entries()).filteredOn(entry -> entry.manager().equals("tests")).singleElement()
                .satisfies(entry -> assertThat(entry.subresource()).isEqualTo("status"));
    }

    @Test
    void unreadableEntriesAreRefusedWithWhereAndOnlyOneEmptyEntryClears() {
        JsonNode wrongOperation = Json.parseObject("{\"list\":[{\"manager\":\"x\",\"operation\":\"Merge\",\"fieldsType\":\"FieldsV1\","
                + "\"fieldsV1\":{}}]}").get("list");
        assertThatThrownBy(() -> ManagedFields.decode(wrongOperation))
                .hasMessage("metadata.managedFields[0].operation must be Apply or Update, not \"Merge\"");
        JsonNode badElement = Json.parseObject("{\"list\":[{\"manager\":\"x\",\"operation\":\"Apply\",\"fieldsType\":\"FieldsV1\","
                + "\"fieldsV1\":{\"spec\":{}}}]}").get("list");
        assertThatThrownBy(() -> ManagedFields.decode(badElement)).hasMessageContaining("metadata.managedFields[0].fieldsV1");

        assertThat(ManagedFields.clears(Json.parseObject("{\"l\":[{}]}").get("l"))).isTrue();
        assertThat(ManagedFields.clears(Json.parseObject("{\"l\":[]}").get("l"))).isFalse();
        assertThat(ManagedFields.clears(null)).isFalse();
    }
}
