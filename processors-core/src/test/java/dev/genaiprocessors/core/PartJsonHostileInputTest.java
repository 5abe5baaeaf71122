package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Part JSON and part factories given values JSON cannot carry, or fields of the wrong type. */
class PartJsonHostileInputTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Test
  void willContinueOfTheWrongTypeIsAMalformedPart() {
    assertThatThrownBy(
            () ->
                PartJson.read(
                    "{\"part\":{\"function_response\":{\"name\":\"f\",\"response\":{},"
                        + "\"will_continue\":\"yes\"}}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("will_continue")
        .hasMessageContaining("boolean");
    assertThatThrownBy(
            () ->
                PartJson.read(
                    "{\"part\":{\"function_response\":{\"name\":\"f\",\"response\":{},"
                        + "\"will_continue\":{}}}}"))
        .isInstanceOf(MalformedPartException.class);
  }

  @Test
  void thoughtOfTheWrongTypeIsAMalformedPart() {
    assertThatThrownBy(() -> PartJson.read("{\"part\":{\"text\":\"t\",\"thought\":[1]}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("thought");
  }

  @Test
  void aNumberBeyondADoubleIsRefusedWhereverItIsNotTurnedIntoInfinity() {
    assertThatThrownBy(
            () -> PartJson.read("{\"part\":{\"text\":\"t\"},\"metadata\":{\"x\":1e400}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("'metadata.x' is Infinity");
    assertThatThrownBy(
            () ->
                PartJson.read(
                    "{\"part\":{\"function_call\":{\"name\":\"f\",\"args\":{\"a\":[1,-1e400]}}}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining(".a[1]");
    assertThatThrownBy(
            () ->
                PartJson.read(
                    "{\"part\":{\"function_response\":{\"name\":\"f\",\"response\":{\"result\":{\"t\":1e999}}}}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining(".result.t");
    assertThatThrownBy(
            () ->
                PartJson.read(
                    "{\"part\":{\"text\":\"{\\\"a\\\": 1e400}\"},\"mimetype\":\"application/json\"}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining(".a");
  }

  @Test
  void nanAndInfinitiesAreRefusedByTheFactoriesWithAMessageThatSaysWhere() {
    assertThatThrownBy(() -> Part.text("t").withMetadata("score", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata 'score' is NaN");
    assertThatThrownBy(
            () -> Part.text("t").withMetadata("scores", List.of(1.0, Float.NEGATIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scores[]");
    assertThatThrownBy(
            () -> Part.text("t").withMetadata(Map.of("m", Map.of("k", Double.POSITIVE_INFINITY))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("m.k");
    assertThatThrownBy(() -> Part.functionCall("f", NODES.objectNode().put("x", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("function call 'f' arguments")
        .hasMessageContaining(".x");
    assertThatThrownBy(() -> Part.json(NODES.arrayNode().add(Double.POSITIVE_INFINITY), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0]");
  }

  @Test
  void finiteNumbersAndHugeIntegersStillRoundTripExactly() {
    Part part =
        Part.functionCall(
                "f",
                NODES
                    .objectNode()
                    .put("big", new java.math.BigInteger("123456789012345678901234567890"))
                    .put("max", Double.MAX_VALUE)
                    .put("tiny", Double.MIN_VALUE))
            .withMetadata("m", Double.MAX_VALUE);

    Part back = PartJson.read(PartJson.write(part));

    assertThat(back).isEqualTo(part);
    assertThat(back.functionCall().args().get("big").bigIntegerValue())
        .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
  }
}
