package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Scheduling;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.gemini.live.ClientMessages.Kind;
import dev.genaiprocessors.gemini.live.ClientMessages.Outgoing;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ClientMessagesTest {
  static final byte[] PCM = {1, 0, 2, 0, -1, -1, 0, 127};
  static final String PCM64 = Base64.getEncoder().encodeToString(PCM);

  static GeminiLiveSettings settings(ModelProfile profile, boolean manualActivity) {
    GeminiLiveSettings s = new GeminiLiveSettings();
    s.model("m");
    s.profile(profile);
    if (manualActivity) {
      s.activityDetection(ActivityDetection.manual());
    }
    return s;
  }

  static Outgoing classic(Part part) {
    return ClientMessages.encode(part, ClientMessagesTest.settings(ModelProfile.CLASSIC, false));
  }

  static Outgoing gemini31(Part part) {
    return ClientMessages.encode(part, ClientMessagesTest.settings(ModelProfile.GEMINI_3_1, false));
  }

  static JsonNode json(String text) {
    return Wire.JSON.readTree(text);
  }

  static void assertJson(Outgoing message, String expected) {
    assertThat(json(message.json())).isEqualTo(json(expected));
  }

  @Test
  void textIsAClientContentTurnWithTurnCompleteTrueByDefault() {
    Outgoing m = classic(Part.text("What's the weather in Paris?"));
    assertJson(
        m,
        "{\"clientContent\": {\"turns\": [{\"role\": \"user\", \"parts\": [{\"text\": \"What's the weather in Paris?\"}]}],"
            + " \"turnComplete\": true}}");
    assertThat(m.kind()).isEqualTo(Kind.CONTENT);
    assertThat(m.triggersTurn()).isTrue();
  }

  @Test
  void turnCompleteFalseInMetadataWaitsForMore() {
    Outgoing m = classic(Part.text("Hi").withMetadata(PartMetadata.TURN_COMPLETE, false));
    assertJson(
        m,
        "{\"clientContent\": {\"turns\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Hi\"}]}], \"turnComplete\": false}}");
    assertThat(m.triggersTurn()).isFalse();
  }

  @Test
  void modelTextSeedsHistoryWithRoleModel() {
    assertJson(
        classic(
            Part.text("Hello!").withRole("model").withMetadata(PartMetadata.TURN_COMPLETE, false)),
        "{\"clientContent\": {\"turns\": [{\"role\": \"model\", \"parts\": [{\"text\": \"Hello!\"}]}], \"turnComplete\": false}}");
  }

  @Test
  void endOfTurnIsTurnCompleteOnly() {
    assertJson(classic(Part.endOfTurn()), "{\"clientContent\": {\"turnComplete\": true}}");
    assertThat(classic(Part.text("")).kind()).isEqualTo(Kind.IGNORED);
  }

  @Test
  void textGoesAsRealtimeTextForGemini31AndOnTheRealtimeSubstream() {
    String expected = "{\"realtimeInput\": {\"text\": \"Turn on the lights\"}}";
    assertJson(gemini31(Part.text("Turn on the lights")), expected);
    assertJson(
        classic(Part.text("Turn on the lights").withSubstream(Substreams.REALTIME)), expected);
    assertThat(gemini31(Part.text("x")).triggersTurn()).isTrue();
    assertJson(gemini31(Part.endOfTurn()), "{\"realtimeInput\": {\"audioStreamEnd\": true}}");
  }

  @Test
  void audioIsRealtimeAudioAt16kHzUnlessTheRateSaysOtherwise() {
    Outgoing m = classic(Part.audio(PCM, 16000).withSubstream(Substreams.REALTIME));
    assertJson(
        m,
        "{\"realtimeInput\": {\"audio\": {\"mimeType\": \"audio/pcm;rate=16000\", \"data\": \""
            + PCM64
            + "\"}}}");
    assertThat(m.kind()).isEqualTo(Kind.MEDIA);
    assertThat(m.droppable()).isTrue();
    assertJson(
        classic(Part.bytes(PCM, "audio/pcm")),
        "{\"realtimeInput\": {\"audio\": {\"mimeType\": \"audio/pcm;rate=16000\", \"data\": \""
            + PCM64
            + "\"}}}");
    assertJson(
        gemini31(Part.bytes(PCM, "audio/l16; rate=24000")),
        "{\"realtimeInput\": {\"audio\": {\"mimeType\": \"audio/pcm;rate=24000\", \"data\": \""
            + PCM64
            + "\"}}}");
  }

  @Test
  void imagesAreVideoFramesOnRealtimeAndInlineTurnsOnTheDefaultSubstreamOfClassic() {
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    String data = Base64.getEncoder().encodeToString(jpeg);
    String video =
        "{\"realtimeInput\": {\"video\": {\"mimeType\": \"image/jpeg\", \"data\": \""
            + data
            + "\"}}}";
    assertJson(classic(Part.image(jpeg, "image/jpeg").withSubstream(Substreams.REALTIME)), video);
    assertJson(gemini31(Part.image(jpeg, "image/jpeg")), video);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> classic(Part.bytes(jpeg, "video/mp4").withSubstream(Substreams.REALTIME)))
        .isInstanceOf(UnsupportedPartException.class)
        .hasMessageContaining("video/mp4")
        .hasMessageContaining("image frames");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> gemini31(Part.bytes(jpeg, "video/webm")))
        .isInstanceOf(UnsupportedPartException.class);
    assertJson(
        classic(Part.image(jpeg, "image/jpeg")),
        "{\"clientContent\": {\"turns\": [{\"role\": \"user\", \"parts\": "
            + "[{\"inlineData\": {\"mimeType\": \"image/jpeg\", \"data\": \""
            + data
            + "\"}}]}], \"turnComplete\": true}}");
  }

  @Test
  void speechEventsAreActivitySignalsOnlyWhenDetectionIsManual() {
    assertJson(
        ClientMessages.encode(
            Part.startOfSpeech(), ClientMessagesTest.settings(ModelProfile.CLASSIC, true)),
        "{\"realtimeInput\": {\"activityStart\": {}}}");
    Outgoing end =
        ClientMessages.encode(
            Part.endOfSpeech(), ClientMessagesTest.settings(ModelProfile.GEMINI_3_1, true));
    assertJson(end, "{\"realtimeInput\": {\"activityEnd\": {}}}");
    assertThat(end.triggersTurn()).isTrue();
    assertThat(classic(Part.startOfSpeech()).kind()).isEqualTo(Kind.IGNORED);
    assertThat(classic(Part.endOfSpeech()).kind()).isEqualTo(Kind.IGNORED);
  }

  @Test
  void audioStreamEndControlPart() {
    Part end =
        Part.text("")
            .withSubstream(Substreams.REALTIME)
            .withMetadata(PartMetadata.AUDIO_STREAM_END, true);
    Outgoing m = classic(end);
    assertJson(m, "{\"realtimeInput\": {\"audioStreamEnd\": true}}");
    assertThat(m.kind()).isEqualTo(Kind.CONTENT);
    assertThat(m.triggersTurn()).as("the server answers what it flushed").isTrue();
    assertThat(classic(Part.audioStreamEnd())).isEqualTo(m);
    assertThat(
            ClientMessages.encode(Part.audioStreamEnd(), settings(ModelProfile.CLASSIC, true))
                .kind())
        .as("only with automatic activity detection")
        .isEqualTo(Kind.IGNORED);
  }

  @Test
  void functionResponsesAreToolResponsesWithOutputSchedulingAndWillContinue() {
    Part result =
        Part.of(
            new PartContent.FunctionResponse(
                "fc-1",
                "get_weather",
                json("{\"result\": {\"tempC\": 21, \"sky\": \"clear\"}}"),
                Scheduling.WHEN_IDLE,
                true,
                false));
    Outgoing m = classic(result.withSubstream("function_call"));
    assertJson(
        m,
        "{\"toolResponse\": {\"functionResponses\": [{\"id\": \"fc-1\", \"name\": \"get_weather\","
            + " \"response\": {\"output\": {\"tempC\": 21, \"sky\": \"clear\"}}, \"scheduling\": \"WHEN_IDLE\", \"willContinue\": true}]}}");
    assertThat(m.kind()).isEqualTo(Kind.TOOL_RESPONSE);
    assertThat(m.answered()).isEmpty(); // willContinue keeps the call open

    Outgoing last = gemini31(Part.functionResult("fc-1", "get_weather", json("\"sunny\"")));
    assertJson(
        last,
        "{\"toolResponse\": {\"functionResponses\": [{\"id\": \"fc-1\", \"name\": \"get_weather\","
            + " \"response\": {\"output\": \"sunny\"}}]}}");
    assertThat(last.answered()).containsExactly("fc-1");

    Outgoing silent =
        classic(
            Part.of(
                result
                    .functionResponse()
                    .withScheduling(Scheduling.SILENT)
                    .withWillContinue(false)));
    assertThat(silent.triggersTurn()).isFalse();
    assertJson(
        classic(Part.functionError("fc-2", "f", "boom")),
        "{\"toolResponse\": {\"functionResponses\": [{\"id\": \"fc-2\", \"name\": \"f\", \"response\": {\"error\": \"boom\"}}]}}");
  }

  @Test
  void otherSubstreamsAndJsonPassThrough() {
    assertThat(classic(Part.text("note").withSubstream("notes")).kind())
        .isEqualTo(Kind.PASS_THROUGH);
    assertThat(classic(Part.status("working")).kind()).isEqualTo(Kind.PASS_THROUGH);
    assertThat(classic(Part.json(json("{\"a\": 1}"))).kind()).isEqualTo(Kind.PASS_THROUGH);
  }

  @Test
  void underThe31ProfileTextWaitsForItsTurnToCompleteAndAnEndOfTurnSendsIt() {
    ClientMessages encoder = new ClientMessages(settings(ModelProfile.GEMINI_3_1, false));
    assertThat(
            encoder
                .encode(
                    Part.text("My name is Ada.").withMetadata(PartMetadata.TURN_COMPLETE, false))
                .kind())
        .isEqualTo(Kind.IGNORED);
    Outgoing sent = encoder.encode(Part.text("What is my name?"));
    assertJson(sent, "{\"realtimeInput\": {\"text\": \"My name is Ada.\\nWhat is my name?\"}}");
    assertThat(sent.triggersTurn()).isTrue();
    encoder.encode(Part.text("Held").withMetadata(PartMetadata.TURN_COMPLETE, false));
    assertJson(encoder.encode(Part.endOfTurn()), "{\"realtimeInput\": {\"text\": \"Held\"}}");
    assertJson(encoder.encode(Part.endOfTurn()), "{\"realtimeInput\": {\"audioStreamEnd\": true}}");
    assertThat(
            new ClientMessages(settings(ModelProfile.GEMINI_3_1, true))
                .encode(Part.endOfTurn())
                .kind())
        .isEqualTo(Kind.IGNORED);
  }

  @Test
  void underThe31ProfileModelTurnsAndDocumentsAfterTheSetupAreRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> gemini31(Part.text("I said so").withRole("model")))
        .isInstanceOf(UnsupportedPartException.class)
        .hasMessageContaining("initialHistory");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> gemini31(Part.bytes(new byte[] {1}, "application/pdf")))
        .isInstanceOf(UnsupportedPartException.class)
        .hasMessageContaining("application/pdf");
    assertJson(
        classic(Part.text("I said so").withRole("model")),
        "{\"clientContent\": {\"turns\": [{\"role\": \"model\", \"parts\": [{\"text\": \"I said so\"}]}], \"turnComplete\": true}}");
  }

  @Test
  void initialHistoryIsOneClientContentWithATurnPerRoleChange() {
    String history =
        ClientMessages.history(
            java.util.List.of(
                Part.text("Hi").withRole("user"),
                Part.text("there"),
                Part.text("Hello!").withRole("model")));
    assertThat(json(history))
        .isEqualTo(
            json(
                "{\"clientContent\": {\"turns\": ["
                    + "{\"role\": \"user\", \"parts\": [{\"text\": \"Hi\"}, {\"text\": \"there\"}]},"
                    + "{\"role\": \"model\", \"parts\": [{\"text\": \"Hello!\"}]}], \"turnComplete\": false}}"));
    assertThat(ClientMessages.history(java.util.List.of())).isNull();
  }

  /** The old path of a media message: the bytes copied, Base64 as a String, a tree, its text. */
  static String viaTree(String field, String mimeType, byte[] data) {
    var blob =
        Wire.object()
            .put("mimeType", mimeType)
            .put("data", Base64.getEncoder().encodeToString(data));
    var body = Wire.object();
    body.set(field, blob);
    var message = Wire.object();
    message.set("realtimeInput", body);
    return Wire.JSON.writeValueAsString(message);
  }

  @Test
  void mediaFramesAreTheTreesTextByteForByteForEveryLengthAndKind() {
    ClientMessages encoder =
        new ClientMessages(ClientMessagesTest.settings(ModelProfile.GEMINI_3_1, false));
    for (int n : new int[] {0, 2, 4, 638, 640, 642, 3200}) {
      byte[] pcm = new byte[n];
      new java.util.Random(n).nextBytes(pcm);
      Outgoing m = encoder.encode(Part.audio(pcm.clone(), 16000));
      assertThat(m.kind()).isEqualTo(Kind.MEDIA);
      assertThat(m.json()).isEqualTo(viaTree("audio", "audio/pcm;rate=16000", pcm));
      assertThat(m.utf8())
          .isEqualTo(
              viaTree("audio", "audio/pcm;rate=16000", pcm)
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Outgoing at24 = encoder.encode(Part.audio(pcm.clone(), 24000));
      assertThat(at24.json()).isEqualTo(viaTree("audio", "audio/pcm;rate=24000", pcm));
    }
    byte[] odd = {1, 2, 3, 4, 5};
    Outgoing image =
        encoder.encode(Part.image(odd, "image/jpeg").withSubstream(Substreams.REALTIME));
    assertThat(image.json()).isEqualTo(viaTree("video", "image/jpeg", odd));
    Outgoing again = encoder.encode(Part.audio(new byte[] {9, 9}, 16000));
    assertThat(again.json()).isEqualTo(viaTree("audio", "audio/pcm;rate=16000", new byte[] {9, 9}));
  }
}
