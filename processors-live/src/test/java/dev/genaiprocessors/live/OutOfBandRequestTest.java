package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutOfBandRequestTest {

  @Test
  void survivesAPartJsonRoundTrip() {
    OutOfBandRequest r =
        OutOfBandRequest.builder()
            .id("oob-1")
            .instructions("Classify the intent in one word.")
            .metadata("purpose", "classify")
            .input(Part.text("book a flight"))
            .textOnly()
            .build();

    Part back = PartJson.read(PartJson.write(r.toPart()));
    OutOfBandRequest read = OutOfBandRequest.of(back).orElseThrow();

    assertThat(read.id()).isEqualTo("oob-1");
    assertThat(read.instructions()).contains("Classify the intent in one word.");
    assertThat(read.metadata()).containsExactly(Map.entry("purpose", "classify"));
    assertThat(read.input().orElseThrow()).extracting(Part::text).containsExactly("book a flight");
    assertThat(read.textOnly()).isTrue();
  }

  @Test
  void withoutInputTheResponseSeesTheConversation() {
    OutOfBandRequest r = OutOfBandRequest.builder().build();
    assertThat(r.input()).isEmpty();
    assertThat(r.id()).isNotEmpty();
    assertThat(OutOfBandRequest.of(r.toPart()).orElseThrow().input()).isEmpty();
    assertThat(OutOfBandRequest.builder().emptyInput().build().input()).contains(List.of());
    assertThat(OutOfBandRequest.builder().itemReference("item_1").build().itemReferences())
        .containsExactly("item_1");
  }

  @Test
  void marksTheAnswersParts() {
    OutOfBandRequest r = OutOfBandRequest.builder().id("x").metadata("k", "v").build();
    Part p = r.mark(Part.text("hi"));
    assertThat(OutOfBandRequest.isOutOfBand(p)).isTrue();
    assertThat(p.metadata(OutOfBandRequest.OUT_OF_BAND)).isEqualTo("x");
    assertThat(p.metadata(OutOfBandRequest.REQUEST_METADATA)).isEqualTo(Map.of("k", "v"));
    assertThat(OutOfBandRequest.isOutOfBand(Part.text("hi"))).isFalse();
  }

  @Test
  void otherPartsAreNotRequestsAndMalformedOnesAreRefused() {
    assertThat(OutOfBandRequest.of(Part.text("hi"))).isEmpty();
    Part bad =
        Part.json(
            tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
            OutOfBandRequest.PART_TYPE);
    assertThatThrownBy(() -> OutOfBandRequest.of(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"id\"");
    OutOfBandRequest.Builder b = OutOfBandRequest.builder();
    for (int i = 0; i < OutOfBandRequest.MAX_METADATA; i++) {
      b.metadata("k" + i, "v");
    }
    assertThatThrownBy(() -> b.metadata("one-more", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(OutOfBandRequest.MAX_METADATA));
  }
}
