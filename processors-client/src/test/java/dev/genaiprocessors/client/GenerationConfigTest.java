package dev.genaiprocessors.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class GenerationConfigTest {

  @Test
  void unsetValuesAreNullAndSetOnesSurviveToBuilder() {
    GenerationConfig none = GenerationConfig.defaults();
    assertThat(none.temperature()).isNull();
    assertThat(none.stopSequences()).isEmpty();
    GenerationConfig c =
        GenerationConfig.builder()
            .temperature(0)
            .topP(1)
            .topK(3)
            .maxOutputTokens(5)
            .stopSequences(List.of("x"))
            .seed(-1)
            .responseMimeType("application/json")
            .build();
    GenerationConfig copy = c.toBuilder().build();
    assertThat(copy.temperature()).isEqualTo(0.0);
    assertThat(copy.topK()).isEqualTo(3);
    assertThat(copy.seed()).isEqualTo(-1L);
    assertThat(copy.toString()).contains("maxOutputTokens=5");
  }

  @Test
  void settersValidateAtOnce() {
    assertThatThrownBy(() -> GenerationConfig.builder().temperature(2.5))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> GenerationConfig.builder().topP(0)).hasMessageContaining("topP");
    assertThatThrownBy(() -> GenerationConfig.builder().maxOutputTokens(0))
        .hasMessageContaining("maxOutputTokens");
    assertThatThrownBy(() -> GenerationConfig.builder().stopSequences(List.of("")))
        .hasMessageContaining("stop");
    assertThatThrownBy(() -> GenerationConfig.builder().responseMimeType("json"))
        .hasMessageContaining("MIME");
    assertThatThrownBy(
            () -> GenerationConfig.builder().responseSchema(JsonNodeFactory.instance.arrayNode()))
        .hasMessageContaining("object");
  }
}
