package dev.drover.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.api.Kinds;
import dev.drover.model.error.FieldError;
import org.junit.jupiter.api.Test;

class StructuralValidatorTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"'));
    }

    @Test
    void reportsAndPrunesUnknownFields() {
        ObjectNode spec = json("{'flavor':'eks','environment':'development','flavour':'x','nodePools':[{'name':'a',"
                + "'instanceType':'m6i.large','minSize':1,'maxSize':2,'size':3}]}");
        StructuralValidator.Result result = StructuralValidator.check(spec, Kinds.CLUSTER.specSchema(), "spec");
        assertThat(result.unknownFields()).containsExactly("spec.flavour", "spec.nodePools[0].size");
        assertThat(result.errors()).isEmpty();
        assertThat(spec.has("flavour")).isFalse();
        assertThat(spec.path("nodePools").get(0).has("size")).isFalse();
    }

    @Test
    void reportsTypeErrorsRequiredFieldsEnumsAndMinimumsPerPath() {
        ObjectNode spec = json("{'environment':7,'nodePools':[{'name':'a','instanceType':'m','minSize':-1,'maxSize':'2',"
                + "'capacityType':'reserved'}]}");
        StructuralValidator.Result result = StructuralValidator.check(spec, Kinds.CLUSTER.specSchema(), "spec");
        assertThat(result.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "spec.environment", "spec.flavor", "spec.nodePools[0].minSize", "spec.nodePools[0].maxSize",
                "spec.nodePools[0].capacityType");
        assertThat(result.errors()).filteredOn(error -> error.field().equals("spec.nodePools[0].capacityType"))
                .extracting(FieldError::message).first().asString().contains("supported values: \"onDemand\", \"spot\"");
    }

    @Test
    void checksPatternsWithAMessageSayingWhatIsValid() {
        ObjectNode spec = json("{'flavor':'f','environment':'e','ttl':'3 days'}");
        StructuralValidator.Result result = StructuralValidator.check(spec, Kinds.CLUSTER.specSchema(), "spec");
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("spec.ttl");
            assertThat(error.message()).contains("a duration in hours and minutes such as 72h");
        });
    }

    @Test
    void acceptsDecimalsAsNumbersOrStrings() {
        ObjectNode team = json("{'environments':[{'name':'dev'}],'budget':{'monthly':'1500.50'}}");
        assertThat(StructuralValidator.check(team, Kinds.TEAM.specSchema(), "spec").errors()).isEmpty();
        ObjectNode wrong = json("{'environments':[{'name':'dev'}],'budget':{'monthly':'lots'}}");
        assertThat(StructuralValidator.check(wrong, Kinds.TEAM.specSchema(), "spec").errors())
                .extracting(FieldError::field).containsExactly("spec.budget.monthly");
    }

    @Test
    void refusesDuplicatesInSetAndMapListsByValueAndByKey() {
        ObjectNode spec = json("{'flavor':'f','environment':'e','nodePools':[{'name':'a','instanceType':'m','minSize':1,'maxSize':2},"
                + "{'name':'a','instanceType':'n','minSize':1,'maxSize':3}],'addons':{'exclude':['velero','falco','velero']}}");
        StructuralValidator.Result result = StructuralValidator.check(spec, Kinds.CLUSTER.specSchema(), "spec");
        assertThat(result.errors()).extracting(FieldError::field, FieldError::message).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("spec.nodePools[1]", "Duplicate value: {\"name\":\"a\"}"),
                org.assertj.core.groups.Tuple.tuple("spec.addons.exclude[2]", "Duplicate value: \"velero\""));
    }

    @Test
    void aListMapMustBeKeyedByFieldsItsItemsRequire() {
        assertThat(Kinds.CLUSTER.specSchema().properties().get("nodePools").listMapKeys()).containsExactly("name");
        assertThat(Kinds.CLUSTER.statusSchema().properties().get("conditions").listMapKeys()).containsExactly("type");
        assertThat(Kinds.CLUSTER.specSchema().properties().get("flavor").listType()).isEqualTo(Schema.ListType.ATOMIC);
    }
}
