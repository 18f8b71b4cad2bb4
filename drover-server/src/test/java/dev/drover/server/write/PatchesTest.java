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

    /** The cases of RFC 6902, Appendix A, each as document, patch and result (or the failure). */
    @Test
    void jsonPatchBehavesAsRfc6902AppendixASays() {
        applies("{'a':'b'}", "[{'op':'add','path':'/c','value':['d','e']}]", "{'a':'b','c':['d','e']}");
        applies("{'list':['x','z']}", "[{'op':'add','path':'/list/1','value':'y'}]", "{'list':['x','y','z']}");
        applies("{'a':'b','c':'d'}", "[{'op':'remove','path':'/c'}]", "{'a':'b'}");
        applies("{'list':['x','y','z']}", "[{'op':'remove','path':'/list/1'}]", "{'list':['x','z']}");
        applies("{'a':'b','c':'d'}", "[{'op':'replace','path':'/a','value':'e'}]", "{'a':'e','c':'d'}");
        applies("{'from':{'k':'v','o':'p'},'to':{'q':'r'}}", "[{'op':'move','from':'/from/k','path':'/to/k'}]",
                "{'from':{'o':'p'},'to':{'q':'r','k':'v'}}");
        applies("{'list':['a','b','c','d']}", "[{'op':'move','from':'/list/1','path':'/list/3'}]", "{'list':['a','c','d','b']}");
        applies("{'a':'b','c':[1,2,'x']}", "[{'op':'test','path':'/a','value':'b'},{'op':'test','path':'/c','value':[1,2,'x']}]",
                "{'a':'b','c':[1,2,'x']}");
        fails("{'a':'b'}", "[{'op':'test','path':'/a','value':'c'}]", "test operation 0 failed");
        applies("{'a':'b'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'a':'b','child':{'grandchild':{}}}");
        applies("{'a':'b'}", "[{'op':'add','path':'/c','value':'d','extra':'ignored'}]", "{'a':'b','c':'d'}");
        fails("{'a':'b'}", "[{'op':'add','path':'/missing/child','value':'d'}]", "operation 0");
        applies("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}");
        fails("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]", "test operation 0 failed");
        applies("{'list':['x']}", "[{'op':'add','path':'/list/-','value':['y','z']}]", "{'list':['x',['y','z']]}");
    }

    @Test
    void jsonPatchReplacesTheWholeDocumentAtTheEmptyPath() {
        applies("{'a':'b'}", "[{'op':'replace','path':'','value':{'c':'d'}}]", "{'c':'d'}");
        applies("{'a':'b'}", "[{'op':'add','path':'','value':{'e':'f'}}]", "{'e':'f'}");
    }

    @Test
    void jsonPatchTestComparesNumbersByValue() {
        applies("{'n':1}", "[{'op':'test','path':'/n','value':1.0}]", "{'n':1}");
        applies("{'n':{'m':[2.50]}}", "[{'op':'test','path':'/n','value':{'m':[2.5]}}]", "{'n':{'m':[2.50]}}");
    }

    private static void applies(String document, String patch, String expected) {
        assertThat(Patches.jsonPatch(json(document), json(patch))).as(patch).isEqualTo(json(expected));
    }

    private static void fails(String document, String patch, String message) {
        assertThatThrownBy(() -> Patches.jsonPatch(json(document), json(patch))).as(patch)
                .isInstanceOf(ApiException.class).hasMessageContaining(message);
    }
}
