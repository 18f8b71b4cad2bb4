package dev.drover.model.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.model.error.ApiException;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {

    @Test
    void selectsByNameAndNamespace() {
        FieldSelector selector = FieldSelector.parse("metadata.name=payments-prod,metadata.namespace!=search");
        assertThat(selector.matches("payments", "payments-prod")).isTrue();
        assertThat(selector.matches("search", "payments-prod")).isFalse();
        assertThat(selector.matches("payments", "payments-dev")).isFalse();
    }

    @Test
    void refusesFieldsThatCannotBeSelected() {
        assertThatThrownBy(() -> FieldSelector.parse("spec.flavor=eks"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("field label not supported: \"spec.flavor\"")
                .hasMessageContaining("metadata.name");
    }
}
