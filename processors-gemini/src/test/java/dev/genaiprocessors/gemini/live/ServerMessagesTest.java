package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.gemini.live.ServerEvent.SignalKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerMessagesTest {
  static List<ServerEvent> decode(String json) throws ModelProtocolException {
    return ServerMessages.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  static List<Part> parts(String json) throws ModelProtocolException {
    List<Part> parts = new ArrayList<>();
    for (ServerEvent e : decode(json)) {
      if (e.part() != null) {
        parts.add(e.part());
      }
    }
    return parts;
  }

  @Test
  void setupCompleteAsPrettyPrintedFramesWithOrWithoutSessionId() throws Exception {
    assertThat(parts("{\n  \"setupComplete\": {\"sessionId\": \"test_session_id\"}\n}\n"))
        .singleElement()
        .satisfies(p -> assertThat(GeminiLiveParts.sessionId(p)).contains("test_session_id"));
    assertThat(decode("{\"setupComplete\": {}}"))
        .containsExactly(new ServerEvent.SetupComplete(null));
  }

  @Test
  void modelTextAndAudioHaveRoleModel() throws Exception {
    byte[] pcm = {0, 0, 1, 0, (byte) 0xFE, (byte) 0xFF};
    String standard = Base64.getEncoder().encodeToString(pcm);
    assertThat(
            parts(
                "{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"text\": \"It is sunny\"}]}}}"))
        .containsExactly(Part.text("It is sunny").withRole("model"));
    assertThat(
            parts(
                "{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"inlineData\": {\"mimeType\": \"audio/pcm;rate=24000\","
                    + " \"data\": \""
                    + standard
                    + "\"}}]}}}"))
        .containsExactly(Part.audio(pcm, 24000).withRole("model"));
    // bare audio/pcm is 24 kHz; URL-safe base64 without padding is read too
    byte[] odd = {(byte) 0xFB, (byte) 0xFF, (byte) 0xBF, 0};
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(odd);
    assertThat(
            parts(
                "{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"inlineData\": {\"mimeType\": \"audio/pcm\", \"data\": \""
                    + urlSafe
                    + "\"}}]}}}"))
        .containsExactly(Part.audio(odd, 24000).withRole("model"));
  }

  @Test
  void thoughtsAreMarked() throws Exception {
    assertThat(
            parts(
                "{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"text\": \"hmm\", \"thought\": true}]}}}"))
        .containsExactly(
            Part.text("hmm").withRole("model").withMetadata(GeminiLiveParts.THOUGHT, true));
  }

  @Test
  void transcriptionsGoOnTheirSubstreams() throws Exception {
    List<Part> parts =
        parts(
            "{\"serverContent\": {\"inputTranscription\": {\"text\": \"what's the weather\"},"
                + " \"outputTranscription\": {\"text\": \" It is\", \"finished\": true}}}");
    assertThat(parts)
        .containsExactly(
            Part.inputTranscription("what's the weather", false),
            Part.outputTranscription(" It is", true));
    assertThat(parts.get(0).substream()).isEqualTo(Substreams.INPUT_TRANSCRIPTION);
    assertThat(parts.get(1).substream()).isEqualTo(Substreams.OUTPUT_TRANSCRIPTION);
  }

  @Test
  void turnSignalsAndUsageRidingAlong() throws Exception {
    List<ServerEvent> events =
        decode(
            "{\"serverContent\": {\"turnComplete\": true, \"turnCompleteReason\": \"NEED_MORE_INPUT\"},"
                + " \"usageMetadata\": {\"promptTokenCount\": 210, \"responseTokenCount\": 64, \"totalTokenCount\": 274}}");
    assertThat(events).hasSize(2);
    assertThat(((ServerEvent.Signal) events.get(0)).kind()).isEqualTo(SignalKind.TURN_COMPLETE);
    Part end = events.get(0).part();
    assertThat(end.isEndOfTurn()).isTrue();
    assertThat(end.role()).isEqualTo("model");
    assertThat(end.metadata(GeminiLiveParts.TURN_COMPLETE_REASON)).isEqualTo("NEED_MORE_INPUT");
    Part usage = events.get(1).part();
    assertThat(GeminiLiveParts.isUsage(usage)).isTrue();
    assertThat(usage.metadata(GeminiLiveParts.USAGE_METADATA))
        .isEqualTo(
            Map.of("promptTokenCount", 210L, "responseTokenCount", 64L, "totalTokenCount", 274L));

    assertThat(parts("{\"serverContent\": {\"interrupted\": true}}"))
        .containsExactly(Part.interrupted());
    assertThat(parts("{\"serverContent\": {\"generationComplete\": true}}"))
        .containsExactly(Part.generationComplete());
    assertThat(parts("{\"serverContent\": {\"waitingForInput\": true}}"))
        .singleElement()
        .satisfies(p -> assertThat(p.hasFlag(GeminiLiveParts.WAITING_FOR_INPUT)).isTrue());
    // gemini-3.1: an empty serverContent that only carries usage
    assertThat(parts("{\"serverContent\": {}, \"usageMetadata\": {\"totalTokenCount\": 5}}"))
        .singleElement()
        .satisfies(p -> assertThat(GeminiLiveParts.isUsage(p)).isTrue());
  }

  @Test
  void toolCallsAndCancellations() throws Exception {
    List<ServerEvent> events =
        decode(
            "{\"toolCall\": {\"functionCalls\": [{\"id\": \"fc-1\", \"name\": \"get_weather\","
                + " \"args\": {\"city\": \"Paris\"}}, {\"id\": \"fc-2\", \"name\": \"ping\"}]}}");
    assertThat(events)
        .extracting(e -> ((ServerEvent.ToolCall) e).id())
        .containsExactly("fc-1", "fc-2");
    assertThat(events.get(0).part())
        .isEqualTo(
            Part.functionCall("fc-1", "get_weather", Wire.JSON.readTree("{\"city\": \"Paris\"}"))
                .withRole("model"));
    assertThat(events.get(1).part().functionCall().args().isEmpty()).isTrue();

    Part cancel = parts("{\"toolCallCancellation\": {\"ids\": [\"fc-1\", \"fc-2\"]}}").get(0);
    assertThat(GeminiLiveParts.isToolCallCancellation(cancel)).isTrue();
    assertThat(GeminiLiveParts.cancelledCallIds(cancel)).containsExactly("fc-1", "fc-2");
  }

  @Test
  void goAwayAndResumptionUpdates() throws Exception {
    ServerEvent.GoAway goAway =
        (ServerEvent.GoAway) decode("{\"goAway\": {\"timeLeft\": \"50s\"}}").get(0);
    assertThat(goAway.timeLeft()).isEqualTo(Duration.ofSeconds(50));
    assertThat(GeminiLiveParts.isGoAway(goAway.part())).isTrue();
    assertThat(
            ((ServerEvent.GoAway) decode("{\"goAway\": {\"timeLeft\": \"1.250s\"}}").get(0))
                .timeLeft())
        .isEqualTo(Duration.ofMillis(1250));

    ServerEvent.Resumption update =
        (ServerEvent.Resumption)
            decode("{\"sessionResumptionUpdate\": {\"newHandle\": \"CjFj\", \"resumable\": true}}")
                .get(0);
    assertThat(update.handle()).isEqualTo("CjFj");
    assertThat(update.resumable()).isTrue();
    assertThat(GeminiLiveParts.resumptionHandle(update.part())).contains("CjFj");
    ServerEvent.Resumption notResumable =
        (ServerEvent.Resumption) decode("{\"sessionResumptionUpdate\": {}}").get(0);
    assertThat(notResumable.resumable()).isFalse();
    assertThat(GeminiLiveParts.resumptionHandle(notResumable.part())).isEmpty();
  }

  @Test
  void snakeCaseFieldsAreReadToo() throws Exception {
    assertThat(
            parts(
                "{\"server_content\": {\"model_turn\": {\"parts\": [{\"text\": \"hi\"}]}, \"turn_complete\": true}}"))
        .containsExactly(Part.text("hi").withRole("model"), Part.endOfTurn().withRole("model"));
  }

  @Test
  void unknownMessagesAndFieldsAreIgnored() throws Exception {
    assertThat(decode("{\"futureMessage\": {\"type\": \"X\"}}")).isEmpty();
    assertThat(
            parts(
                "{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"futurePart\": {}}]}, \"newField\": 1}}"))
        .isEmpty();
  }

  @Test
  void framesThatAreNotJsonObjectsAreMalformed() {
    assertThatThrownBy(() -> decode("{\"serverContent\": {\"modelTurn\": "))
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("is not JSON")
        .satisfies(e -> assertThat(((ModelProtocolException) e).closeCode()).isEqualTo(1007));
    assertThatThrownBy(() -> decode("[1, 2]"))
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"toolCall\": {\"functionCalls\": [{\"id\": \"x\", \"name\": \"f\", \"args\": [1]}]}}"))
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("wrong shape");
  }

  @Test
  void everyFieldTheServerSendsReachesAPart() throws Exception {
    List<Part> code =
        parts(
            """
        {"serverContent": {"modelTurn": {"parts": [
          {"executableCode": {"language": "PYTHON", "code": "print(1)"}},
          {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "1"}}]}}}""");
    assertThat(code.get(0).json().path("code").asString()).isEqualTo("print(1)");
    assertThat(code.get(0).mimeType()).contains(GeminiLiveParts.EXECUTABLE_CODE);
    assertThat(code.get(1).json().path("outcome").asString()).isEqualTo("OUTCOME_OK");
    assertThat(code.get(1).mimeType()).contains(GeminiLiveParts.CODE_EXECUTION_RESULT);

    List<Part> said =
        parts(
            """
        {"serverContent": {"inputTranscription": {"text": "hola", "languageCode": "es-ES"},
          "interimInputTranscription": {"text": "hol"},
          "groundingMetadata": {"webSearchQueries": ["weather"]},
          "urlContextMetadata": {"urlMetadata": [{"retrievedUrl": "https://example.com"}]},
          "turnComplete": true, "interactionStatus": "IDLE"}}""");
    assertThat(said.get(0).metadata(GeminiLiveParts.LANGUAGE_CODE)).isEqualTo("es-ES");
    assertThat(said.get(1).substream()).isEqualTo(Substreams.INPUT_TRANSCRIPTION);
    assertThat(said.get(1).metadata(GeminiLiveParts.INTERIM)).isEqualTo(true);
    assertThat(said.get(2).metadata(GeminiLiveParts.GROUNDING_METADATA))
        .isEqualTo(Map.of("webSearchQueries", List.of("weather")));
    assertThat(said.get(3).metadata(GeminiLiveParts.URL_CONTEXT_METADATA)).isNotNull();
    assertThat(said.get(4).isEndOfTurn()).isTrue();
    assertThat(said.get(4).metadata(GeminiLiveParts.INTERACTION_STATUS)).isEqualTo("IDLE");
    assertThat(parts("{\"serverContent\": {\"interactionStatus\": \"REQUIRES_ACTION\"}}"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.metadata(GeminiLiveParts.INTERACTION_STATUS))
                    .isEqualTo("REQUIRES_ACTION"));

    assertThat(
            parts(
                "{\"toolCall\": {\"functionCalls\": [{\"id\": \"a\", \"name\": \"f\", \"willContinue\": true}]}}"))
        .singleElement()
        .satisfies(p -> assertThat(p.metadata(GeminiLiveParts.WILL_CONTINUE)).isEqualTo(true));

    assertThat(
            parts(
                "{\"voiceActivity\": {\"voiceActivityType\": \"ACTIVITY_START\", \"audioOffset\": \"1.250s\"}}"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.isStartOfSpeech()).isTrue();
              assertThat(p.metadata(GeminiLiveParts.VOICE_ACTIVITY))
                  .isEqualTo(
                      Map.of("voiceActivityType", "ACTIVITY_START", "audioOffset", "1.250s"));
            });
    assertThat(parts("{\"voiceActivity\": {\"type\": \"ACTIVITY_END\"}}"))
        .singleElement()
        .satisfies(p -> assertThat(p.isEndOfSpeech()).isTrue());
    assertThat(
            parts(
                "{\"voiceActivityDetectionSignal\": {\"vadSignalType\": \"VAD_SIGNAL_TYPE_SOS\"}}"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.metadata(GeminiLiveParts.VAD_SIGNAL))
                    .isEqualTo(Map.of("vadSignalType", "VAD_SIGNAL_TYPE_SOS")));
  }
}
