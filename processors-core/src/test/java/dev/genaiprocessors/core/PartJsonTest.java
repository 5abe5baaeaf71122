package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.JsonNodeFactory;

class PartJsonTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static Stream<Part> parts() {
    return Stream.of(
        Part.text("hi").withRole("user"),
        Part.text("# title", "text/markdown").withSubstream("notes").withMetadata("n", 1),
        Part.audio(new byte[] {1, 2, 3, 4}, 16000)
            .withMetadata(Map.of("list", List.of(1, 2), "f", 0.5)),
        Part.image(new byte[] {(byte) 0xff, (byte) 0xd8}, "image/jpeg"),
        Part.functionCall("c1", "weather", NODES.objectNode().put("city", "Paris")),
        Part.functionCall("noId", NODES.objectNode()),
        Part.of(
            new PartContent.FunctionResponse(
                "c1",
                "weather",
                NODES.objectNode().put("result", "sunny"),
                Scheduling.INTERRUPT,
                true,
                false)),
        Part.functionError(null, "weather", "boom"),
        Part.startOfSpeech(),
        Part.json(NODES.objectNode().put("k", 1)),
        Part.endOfTurn(),
        Part.exception(new RuntimeException("x")));
  }

  @ParameterizedTest
  @MethodSource("parts")
  void roundTripGivesAnEqualPartWithTheSameMimeType(Part part) {
    Part back = PartJson.read(PartJson.write(part));
    assertThat(back).isEqualTo(part);
    assertThat(back.mimeType()).isEqualTo(part.mimeType());
    assertThat(back.role()).isEqualTo(part.role());
    assertThat(back.metadata()).isEqualTo(part.metadata());
  }

  @Test
  void writesTheOriginalLibrarysShape() {
    String json = PartJson.write(Part.audio(new byte[] {1, 0}, 24000).withRole("model"));
    assertThat(json)
        .isEqualTo(
            "{\"part\":{\"inline_data\":{\"data\":\"AQA=\",\"mime_type\":\"audio/pcm;rate=24000\"}},"
                + "\"role\":\"model\",\"substream_name\":\"\",\"mimetype\":\"audio/pcm;rate=24000\",\"metadata\":{}}");
  }

  @Test
  void readsCamelCaseAndUrlSafeBase64() {
    byte[] data = {(byte) 0xfb, (byte) 0xff};
    String urlSafe = Base64.getUrlEncoder().encodeToString(data);
    Part part =
        PartJson.read(
            "{\"part\":{\"inlineData\":{\"data\":\""
                + urlSafe
                + "\",\"mimeType\":\"image/png\"}},"
                + "\"substreamName\":\"realtime\"}");
    assertThat(part.bytes()).containsExactly(data);
    assertThat(part.substream()).isEqualTo("realtime");
  }

  @Test
  void malformedInputIsATypedErrorNamingTheProblem() {
    assertThatThrownBy(() -> PartJson.read("{nope"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> PartJson.read("{}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("'part'");
    assertThatThrownBy(() -> PartJson.read("{\"part\":{\"video\":1}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("none of text");
    assertThatThrownBy(() -> PartJson.read("{\"part\":{\"text\":5}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("must be a string");
    assertThatThrownBy(
            () ->
                PartJson.read(
                    "{\"part\":{\"inline_data\":{\"data\":\"%%%\",\"mime_type\":\"image/png\"}}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("base64");
    assertThatThrownBy(() -> PartJson.read("{\"part\":{\"inline_data\":{\"data\":\"AA==\"}}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("mime_type");
    assertThatThrownBy(() -> PartJson.read("{\"part\":{\"function_call\":{\"args\":{}}}}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("function_call.name");
    assertThatThrownBy(() -> PartJson.read("{\"part\":{\"text\":\"x\"},\"metadata\":[1]}"))
        .isInstanceOf(MalformedPartException.class)
        .hasMessageContaining("metadata");
  }
}
