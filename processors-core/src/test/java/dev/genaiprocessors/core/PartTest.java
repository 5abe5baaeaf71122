package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class PartTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Test
  void textPartHasPlainTextMimeTypeAndNoRoleOrSubstream() {
    Part part = Part.text("hi");
    assertThat(part.text()).isEqualTo("hi");
    assertThat(part.mimeType()).isEqualTo("text/plain");
    assertThat(part.role()).isEmpty();
    assertThat(part.substream()).isEmpty();
    assertThat(part.metadata()).isEmpty();
    assertThat(part.isText()).isTrue();
  }

  @Test
  void audioPartCarriesRateInMimeTypeAndSharesTheArray() {
    byte[] pcm = {1, 0, 2, 0};
    Part part = Part.audio(pcm, 16000);
    assertThat(part.mimeType()).isEqualTo("audio/pcm;rate=16000");
    assertThat(part.isAudio()).isTrue();
    assertThat(part.byteSize()).isEqualTo(4);
    assertThat(part.byteBuffer().order(ByteOrder.LITTLE_ENDIAN).getShort(2)).isEqualTo((short) 2);
    assertThat(part.byteBuffer().isReadOnly()).isTrue();
    byte[] copy = part.bytes();
    copy[0] = 99;
    assertThat(part.bytes()[0]).isEqualTo((byte) 1);
  }

  @Test
  void audioWithHalfASampleIsRejected() {
    assertThatThrownBy(() -> Part.audio(new byte[3], 16000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even number of bytes");
  }

  @Test
  void bytesWithoutMimeTypeAreRejected() {
    assertThatThrownBy(() -> Part.bytes(new byte[1], ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need a MIME type");
    assertThatThrownBy(() -> Part.bytes(new byte[1], "jpeg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'jpeg'");
  }

  @Test
  void bytesOfTextTypeBecomeTextAndOfJsonTypeBecomeJson() {
    Part text = Part.bytes("héllo".getBytes(StandardCharsets.UTF_8), "text/markdown");
    assertThat(text.isText()).isTrue();
    assertThat(text.text()).isEqualTo("héllo");
    assertThat(text.mimeType()).isEqualTo("text/markdown");

    Part json =
        Part.bytes("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json; type=Thing");
    assertThat(json.isJson()).isTrue();
    assertThat(json.json().get("a").asInt()).isEqualTo(1);
    assertThat(json.mimeType()).isEqualTo("application/json; type=Thing");
  }

  @Test
  void malformedJsonAndInvalidUtf8AreRejectedAtConstruction() {
    assertThatThrownBy(
            () -> Part.bytes("{oops".getBytes(StandardCharsets.UTF_8), "application/json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> Part.bytes(new byte[] {(byte) 0xC3}, "text/plain"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void textAccessorOnAudioSaysWhatThePartHolds() {
    Part audio = Part.audio(new byte[2], 24000);
    assertThatThrownBy(audio::text)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("audio/pcm;rate=24000 bytes");
    assertThatThrownBy(() -> Part.text("x").functionCall())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Part.text("x").byteBuffer()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void imageNeedsAnImageMimeType() {
    assertThat(Part.image(new byte[] {1}, "image/jpeg").isImage()).isTrue();
    assertThatThrownBy(() -> Part.image(new byte[] {1}, "audio/wav"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void functionCallArgumentsMustBeAnObjectAndCannotBeChangedThroughTheAccessor() {
    ObjectNode args = NODES.objectNode().put("city", "Paris");
    Part call = Part.functionCall("c1", "weather", args);
    args.put("city", "Rome");
    assertThat(call.functionCall().args().get("city").asString()).isEqualTo("Paris");
    ((ObjectNode) call.functionCall().args()).put("city", "Oslo");
    assertThat(call.functionCall().args().get("city").asString()).isEqualTo("Paris");
    assertThat(call.functionCall().id()).isEqualTo("c1");
    assertThat(call.mimeType()).isEqualTo(MimeTypes.FUNCTION_CALL);
    assertThatThrownBy(() -> Part.functionCall("f", NODES.arrayNode()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> Part.functionCall(" ", NODES.objectNode()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void functionResultsAndErrors() {
    Part ok = Part.functionResult("c1", "weather", NODES.stringNode("sunny"));
    assertThat(ok.functionResponse().response().get("result").asString()).isEqualTo("sunny");
    assertThat(ok.functionResponse().isError()).isFalse();
    Part err = Part.functionError("c1", "weather", "no such city");
    assertThat(err.functionResponse().isError()).isTrue();
    assertThat(err.functionResponse().response().get("error").asString()).isEqualTo("no such city");
    PartContent.FunctionResponse streaming =
        ok.functionResponse().withScheduling(Scheduling.WHEN_IDLE).withWillContinue(true);
    assertThat(streaming.scheduling()).isEqualTo(Scheduling.WHEN_IDLE);
    assertThat(streaming.willContinue()).isTrue();
  }

  @Test
  void equalityIgnoresCaptureTimeAndCaseOfRoleAndSubstreamButNotMetadata() {
    Part a =
        Part.text("x").withRole("User").withSubstream("Notes").withMetadata("capture_time", 1L);
    Part b =
        Part.text("x").withRole("user").withSubstream("notes").withMetadata("capture_time", 2L);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(b.withMetadata("k", "v"));
    assertThat(a).isNotEqualTo(Part.text("y").withRole("user").withSubstream("notes"));
  }

  @Test
  void equalityDoesNotCompareTheTextMimeTypeButBytesIncludeIt() {
    assertThat(Part.text("x")).isEqualTo(Part.text("x", "text/markdown"));
    assertThat(Part.bytes(new byte[] {1}, "image/png"))
        .isNotEqualTo(Part.bytes(new byte[] {1}, "image/jpeg"));
    assertThat(Part.bytes(new byte[] {1, 2}, "image/png"))
        .isEqualTo(Part.bytes(new byte[] {1, 2}, "image/png"));
  }

  @Test
  void withersCopyOnWrite() {
    Part original = Part.text("x");
    Part changed = original.withRole("model").withSubstream("s").withMetadata("n", 3);
    assertThat(original.role()).isEmpty();
    assertThat(original.metadata()).isEmpty();
    assertThat(changed.metadata(("n"))).isEqualTo(3L);
    assertThat(changed.withoutMetadata("n").metadata()).isEmpty();
    assertThatThrownBy(() -> changed.metadata().put("k", "v"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void metadataAcceptsJsonValuesOnly() {
    Part part = Part.text("x").withMetadata("list", List.of(1, "a", Map.of("b", 2.5f)));
    assertThat(part.metadata("list")).isEqualTo(List.of(1L, "a", Map.of("b", 2.5d)));
    assertThatThrownBy(() -> Part.text("x").withMetadata("k", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON values only");
    assertThatThrownBy(() -> Part.text("x").withMetadata(Map.of("k", List.of(new Object()))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void controlPartsAreRecognisedByTheirHelpers() {
    assertThat(Part.endOfTurn().isEndOfTurn()).isTrue();
    assertThat(Part.endOfTurn().role()).isEqualTo("user");
    assertThat(Part.text("x").isEndOfTurn()).isFalse();
    assertThat(Part.startOfSpeech().isStartOfSpeech()).isTrue();
    assertThat(Part.startOfSpeech().mimeType()).isEqualTo("application/json; type=StartOfSpeech");
    assertThat(Part.startOfSpeech().isEndOfSpeech()).isFalse();
    assertThat(Part.endOfSpeech().isEndOfSpeech()).isTrue();
    assertThat(Part.interrupted().isInterrupted()).isTrue();
    assertThat(Part.generationComplete().isGenerationComplete()).isTrue();
    Part heard = Part.inputTranscription("hello", true);
    assertThat(heard.isTranscription()).isTrue();
    assertThat(heard.isFinalTranscription()).isTrue();
    assertThat(Part.inputTranscription("hel", false).isFinalTranscription()).isFalse();
    assertThat(Part.outputTranscription("hi", true).substream())
        .isEqualTo(Substreams.OUTPUT_TRANSCRIPTION);
    assertThat(Part.status("s").isStatus()).isTrue();
    assertThat(Part.debug("d").isDebug()).isTrue();
  }

  @Test
  void exceptionPartsCarryTypeAndMessage() {
    Part part = Part.exception(new IllegalStateException("boom"));
    assertThat(part.isException()).isTrue();
    assertThat(part.isStatus()).isTrue();
    assertThat(part.metadata(PartMetadata.EXCEPTION_TYPE)).isEqualTo("IllegalStateException");
    assertThat(part.metadata(PartMetadata.ORIGINAL_EXCEPTION)).isEqualTo("boom");
    assertThat(part.text()).contains("boom");
  }

  @Test
  void toStringSummarisesBytesAndCutsLongText() {
    assertThat(Part.audio(new byte[3200], 16000).toString())
        .contains("3200 B")
        .contains("audio/pcm;rate=16000");
    assertThat(Part.text("a".repeat(1000)).toString()).hasSizeLessThan(300).contains("1000 chars");
  }

  @Test
  void theThoughtFlagIsKeptByWithersAndCountsForEquality() {
    Part thought = Part.text("hmm").withRole("model").withThought(true);
    assertThat(thought.isThought()).isTrue();
    assertThat(Part.text("hmm").isThought()).isFalse();
    assertThat(thought.withSubstream("notes").withMetadata("k", 1).isThought()).isTrue();
    assertThat(thought).isNotEqualTo(Part.text("hmm").withRole("model"));
    assertThat(thought)
        .isEqualTo(Part.text("hmm").withRole("MODEL").withThought(true))
        .hasSameHashCodeAs(Part.text("hmm").withRole("MODEL").withThought(true));
    assertThat(thought.toString()).contains("thought");
  }

  @Test
  void metadataKeepsNullAsAValueAtEveryDepth() {
    Map<String, Object> inner = new java.util.HashMap<>();
    inner.put("none", null);
    Part part = Part.text("x").withMetadata("gone", null).withMetadata("obj", inner);
    assertThat(part.metadata()).containsKey("gone");
    assertThat(part.metadata("gone")).isNull();
    assertThat(part.metadata("obj"))
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsKey("none");
    assertThat(part)
        .isNotEqualTo(Part.text("x").withMetadata("obj", inner))
        .isEqualTo(Part.text("x").withMetadata("obj", inner).withMetadata("gone", null));
    assertThat(part.withMetadata("gone", null)).isSameAs(part);
  }

  @Test
  void anErrorResponseIsTheOneWithAnErrorFieldAsInTheOriginal() {
    assertThatThrownBy(
            () ->
                new PartContent.FunctionResponse(
                    "c", "f", NODES.objectNode().put("result", 1), null, false, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"error\"");
    assertThatThrownBy(
            () ->
                new PartContent.FunctionResponse(
                    "c", "f", NODES.objectNode().put("error", "x"), null, false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("isError=true");
  }

  @Test
  void jsonPartsKeepGivenTextAndAreWrittenAsTheOriginalsJsonDumpsWritesATree() {
    Part fromTree =
        Part.json(
            NODES
                .objectNode()
                .put("sky", "blue")
                .put("café", "é")
                .set("n", NODES.arrayNode().add(1).add(2)));
    assertThat(fromTree.text()).isEqualTo("{\"sky\":\"blue\",\"café\":\"é\",\"n\":[1,2]}");
    assertThat(PartJson.toJsonNode(fromTree).get("part").get("text").asString())
        .isEqualTo("{\"sky\": \"blue\", \"caf\\u00e9\": \"\\u00e9\", \"n\": [1, 2]}");
    assertThat(
            PartJson.toJsonNode(Part.json(NODES.objectNode())).get("part").get("text").asString())
        .isEqualTo("{}");
    Part fromText = Part.bytes("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(fromText.text()).isEqualTo("{\"a\":1}");
    assertThat(PartJson.toJsonNode(fromText).get("part").get("text").asString())
        .isEqualTo("{\"a\":1}");
    assertThat(fromText).isEqualTo(Part.json(NODES.objectNode().put("a", 1)));
  }
}
