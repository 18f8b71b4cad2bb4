package dev.drover.server.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import org.junit.jupiter.api.Test;

class PatchesTest {

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception malformed) {
            throw new IllegalArgumentException(malformed);
        }
    }

    private static final JsonNode CLUSTER = json(
            "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'nodePools':[{'name':'x','maxSize':2},{'name':'y','maxSize':3}]}}");

    @Test
    void mergePatchMergesObjectsReplacesListsAndRemovesNulls() {
        JsonNode patched = Patches.mergePatch(CLUSTER, json("{'metadata':{'labels':{'a':null,'c':'3'}},"
                + "'spec':{'nodePools':[{'name':'z','maxSize':1}]}}"));
        assertThat(patched).isEqualTo(json("{'metadata':{'labels':{'b':'2','c':'3'}},'spec':{'nodePools':[{'name':'z','maxSize':1}]}}"));
        assertThat(CLUSTER.path("metadata").path("labels").has("a")).as("the target is not modified").isTrue();
    }

    @Test
    void jsonPatchAppliesEveryOperation() {
        JsonNode patched = Patches.jsonPatch(CLUSTER, json("""
                [{'op':'test','path':'/spec/nodePools/0/name','value':'x'},
                 {'op':'replace','path':'/spec/nodePools/0/maxSize','value':5},
                 {'op':'add','path':'/spec/nodePools/-','value':{'name':'w','maxSize':1}},
                 {'op':'remove','path':'/metadata/labels/a'},
                 {'op':'copy','from':'/metadata/labels/b','path':'/metadata/labels/c'},
                 {'op':'move','from':'/metadata/labels/b','path':'/metadata/labels/d'},
                 {'op':'add','path':'/metadata/annotations','value':{'x~y/z':'1'}}]"""));
        assertThat(patched.path("spec").path("nodePools")).hasSize(3);
        assertThat(patched.path("spec").path("nodePools").get(0).path("maxSize").asInt()).isEqualTo(5);
        assertThat(patched.path("metadata").path("labels")).isEqualTo(json("{'c':'2','d':'2'}"));
    }

    @Test
    void jsonPatchErrorsNameTheOperation() {
        assertThatThrownBy(() -> Patches.jsonPatch(CLUSTER, json("[{'op':'remove','path':'/spec/nodePools/7'}]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("operation 0").hasMessageContaining("out of range");
        assertThatThrownBy(() -> Patches.jsonPatch(CLUSTER, json("[{'op':'test','path':'/spec/nodePools/0/name','value':'q'}]")))
                .hasMessageContaining("test operation 0 failed");
        assertThatThrownBy(() -> Patches.jsonPatch(CLUSTER, json("{'op':'add'}")))
                .hasMessageContaining("must be an array");
        assertThatThrownBy(() -> Patches.jsonPatch(CLUSTER, json("[{'op':'frobnicate','path':'/a'}]")))
                .hasMessageContaining("unknown op \"frobnicate\"");
    }
}
