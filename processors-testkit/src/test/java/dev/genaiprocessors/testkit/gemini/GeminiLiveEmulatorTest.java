package dev.genaiprocessors.testkit.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.testkit.gemini.RawClient.Frame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The emulator speaks the protocol as the reference's checklist says (section 1.13), checked with a bare client. */
class GeminiLiveEmulatorTest {
  static final Duration WAIT = Duration.ofSeconds(5);
  static final String SETUP = "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\"}}";

  GeminiLiveEmulator server;

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static JsonNode json(String text) {
    return EmulatorWire.parse(text);
  }

  static void assertClosed(RawClient client, int code, String reason) throws InterruptedException {
    WebSocketCloseStatus status = client.awaitEnd(WAIT);
    assertThat(status).isNotNull();
    assertThat(status.code()).isEqualTo(code);
    assertThat(status.reasonText()).isEqualTo(reason);
  }

  @Test
  void keyInTheQueryAndSetupCompleteInAPrettyPrintedBinaryFrame() throws Exception {
    try (RawClient client = new RawClient(URI.create(server.uri() + "?key=emulator-key"), null)) {
      client.send(SETUP);
      Frame frame = client.take(WAIT);
      assertThat(frame.binary()).isTrue();
      assertThat(frame.text()).contains("\n").endsWith("\n");
      assertThat(frame.json().at("/setupComplete/sessionId").asString())
          .startsWith("emulated-session-");
      assertThat(server.takeMessage(WAIT).json()).isEqualTo(json(SETUP));
    }
  }

  @Test
  void snakeCaseAndUrlSafeBase64AreAcceptedAndOutputIsCamelCaseWithDefaultsOmitted()
      throws Exception {
    byte[] audio = {(byte) 0xFB, (byte) 0xFF, (byte) 0xBF, 0};
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(audio);
    try (RawClient client = RawClient.connect(server)) {
      client.send(
          "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\", \"session_resumption\": {},"
              + " \"context_window_compression\": {\"trigger_tokens\": \"25600\", \"sliding_window\": {}}}}");
      assertThat(client.takeJson().at("/setupComplete/sessionId").asString())
          .startsWith("emulated-session-");
      assertThat(client.takeJson())
          .isEqualTo(
              json(
                  "{\"sessionResumptionUpdate\": {\"newHandle\": \"handle-1-1\", \"resumable\": true}}"));
      client.send(
          "{\"realtime_input\": {\"audio\": {\"mime_type\": \"audio/pcm;rate=16000\", \"data\": \""
              + urlSafe
              + "\"}}}");
      client.send(
          "{\"tool_response\": {\"function_responses\": [{\"id\": \"x\", \"name\": \"f\", \"scheduling\": \"SILENT\","
              + " \"response\": {\"my_key\": 1}}]}}");
      client.send(
          "{\"client_content\": {\"turns\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}], \"turn_complete\": true}}");
      assertThat(client.takeJson())
          .isEqualTo(
              json("{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"text\": \"hi\"}]}}}"));
      assertThat(client.takeJson())
          .isEqualTo(json("{\"serverContent\": {\"generationComplete\": true}}"));
      assertThat(client.takeJson())
          .isEqualTo(json("{\"serverContent\": {\"turnComplete\": true}}"));
      assertThat(client.takeJson())
          .isEqualTo(
              json(
                  "{\"sessionResumptionUpdate\": {\"newHandle\": \"handle-1-2\", \"resumable\": true}}"));
    }
    assertThat(
            server
                .takeMessage(WAIT)
                .body()
                .at("/contextWindowCompression/triggerTokens")
                .asString())
        .isEqualTo("25600");
    ClientMessage audioMessage = server.takeMessage(WAIT);
    assertThat(audioMessage.json())
        .isEqualTo(
            json(
                "{\"realtimeInput\": {\"audio\": {\"mimeType\": \"audio/pcm;rate=16000\", \"data\": \""
                    + urlSafe
                    + "\"}}}"));
    assertThat(audioMessage.audio()).isEqualTo(audio);
    assertThat(server.takeMessage(WAIT).body().at("/functionResponses/0/response/my_key").asInt())
        .isEqualTo(1);
  }

  @Test
  void aWrongKeyIsAcceptedAtTheUpgradeThenClosed1007() throws Exception {
    try (RawClient client = new RawClient(server.uri(), "wrong")) {
      assertClosed(client, 1007, "API key not valid. Please pass a valid API key.");
    }
  }

  @Test
  void anotherPathIsNotFound() throws Exception {
    try (RawClient client =
        new RawClient(
            URI.create("ws://127.0.0.1:" + server.port() + "/ws/other"), "emulator-key")) {
      client.awaitEnd(WAIT);
      assertThat(client.error()).isNotNull().hasMessageContaining("404");
    }
    try (RawClient alpha =
        new RawClient(
            URI.create(server.uri().toString().replace("v1beta", "v1alpha")), "emulator-key")) {
      alpha.send(SETUP);
      assertThat(alpha.takeJson().at("/setupComplete/sessionId").asString())
          .startsWith("emulated-session-");
    }
  }

  @Test
  void anUnknownModelIs1008WithTheReasonCutAt123Bytes() throws Exception {
    try (RawClient client = RawClient.connect(server)) {
      client.send(
          "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\"}}"
              .replace("gemini-live", "gone"));
      WebSocketCloseStatus status = client.awaitEnd(WAIT);
      assertThat(status.code()).isEqualTo(1008);
      assertThat(status.reasonText())
          .startsWith(
              "models/gone-2.5-flash-preview is not found for API version v1beta, or is"
                  + " not supported for bidiGenerateContent.");
      assertThat(status.reasonText().getBytes(StandardCharsets.UTF_8))
          .hasSizeLessThanOrEqualTo(123);
    }
  }

  @Test
  void messagesBeforeSetupCompleteUnknownFieldsAndBadJsonAre1007() throws Exception {
    try (RawClient early = RawClient.connect(server)) {
      early.send("{\"clientContent\": {\"turnComplete\": true}}");
      assertClosed(early, 1007, "Request contains an invalid argument.");
    }
    try (RawClient unknown = RawClient.connect(server)) {
      unknown.send(SETUP).send("{\"realtimeOutput\": {}}");
      assertClosed(
          unknown,
          1007,
          "Invalid JSON payload received. Unknown name \"realtimeOutput\": Cannot find field.");
    }
    try (RawClient twoFields = RawClient.connect(server)) {
      twoFields.send(SETUP.replace("}}", "}, \"clientContent\": {}}"));
      assertClosed(twoFields, 1007, "Request contains an invalid argument.");
    }
    try (RawClient badBase64 = RawClient.connect(server)) {
      badBase64
          .send(SETUP)
          .send(
              "{\"realtimeInput\": {\"audio\": {\"mimeType\": \"audio/pcm\", \"data\": \"%%%\"}}}");
      assertThat(badBase64.awaitEnd(WAIT).code()).isEqualTo(1007);
    }
  }

  @Test
  void theGemini31ProfileRejectsClientContentAndMediaChunksAndIgnoresAffectiveSetups()
      throws Exception {
    String setup31 = "{\"setup\": {\"model\": \"models/gemini-3.1-flash-live-preview\"}}";
    try (RawClient content = RawClient.connect(server)) {
      content.send(setup31);
      assertThat(content.takeJson().at("/setupComplete/sessionId").asString())
          .startsWith("emulated-session-");
      content.send(
          "{\"clientContent\": {\"turns\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}]}}");
      assertClosed(content, 1007, "Request contains an invalid argument.");
    }
    try (RawClient chunks = RawClient.connect(server)) {
      chunks
          .send(setup31)
          .send(
              "{\"realtimeInput\": {\"mediaChunks\": [{\"mimeType\": \"audio/pcm\", \"data\": \"AAA=\"}]}}");
      assertThat(chunks.awaitEnd(WAIT).code()).isEqualTo(1007);
    }
    try (RawClient affective = RawClient.connect(server)) {
      affective.send(
          "{\"setup\": {\"model\": \"models/gemini-3.1-flash-live-preview\","
              + " \"generationConfig\": {\"enableAffectiveDialog\": true}}}");
      assertThat(affective.take(Duration.ofMillis(300))).as("no setupComplete, ever").isNull();
    }
    try (RawClient classic = RawClient.connect(server)) {
      classic
          .send(SETUP)
          .send(
              "{\"realtimeInput\": {\"mediaChunks\": [{\"mimeType\": \"audio/pcm\", \"data\": \"AAA=\"}]}}")
          .send("{\"realtimeInput\": {\"text\": \"still here?\"}}");
      classic.takeJson();
      assertThat(classic.takeJson())
          .isEqualTo(
              json(
                  "{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"text\": \"still here?\"}]}}}"));
    }
  }

  @Test
  void activitySignalsNeedManualDetectionAndActivityStartInterrupts() throws Exception {
    try (RawClient automatic = RawClient.connect(server)) {
      automatic.send(SETUP).send("{\"realtimeInput\": {\"activityStart\": {}}}");
      assertClosed(automatic, 1007, "Request contains an invalid argument.");
    }
    server.enqueue(
        Script.builder()
            .turn(Reply.text("Once"), Reply.toolCall("fc-1", "f", "{}"), Reply.hold())
            .build());
    try (RawClient manual = RawClient.connect(server)) {
      manual.send(
          "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\","
              + " \"realtimeInputConfig\": {\"automaticActivityDetection\": {\"disabled\": true}}}}");
      manual.takeJson();
      manual
          .send("{\"realtimeInput\": {\"activityStart\": {}}}")
          .send("{\"realtimeInput\": {\"activityEnd\": {}}}");
      assertThat(manual.takeJson())
          .isEqualTo(
              json("{\"serverContent\": {\"modelTurn\": {\"parts\": [{\"text\": \"Once\"}]}}}"));
      assertThat(manual.takeJson())
          .isEqualTo(
              json("{\"toolCall\": {\"functionCalls\": [{\"id\": \"fc-1\", \"name\": \"f\"}]}}"));
      manual.send("{\"realtimeInput\": {\"activityStart\": {}}}");
      assertThat(manual.takeJson()).isEqualTo(json("{\"serverContent\": {\"interrupted\": true}}"));
      assertThat(manual.takeJson())
          .isEqualTo(json("{\"toolCallCancellation\": {\"ids\": [\"fc-1\"]}}"));
      assertThat(manual.takeJson())
          .isEqualTo(json("{\"serverContent\": {\"turnComplete\": true}}"));
    }
  }

  @Test
  void goAwayCarriesADurationStringThenTheDeadlineCloses1011() throws Exception {
    server.enqueue(
        Script.builder().turn(Reply.usage(0, 5), Fault.goAway(Duration.ofMillis(200))).build());
    try (RawClient client = RawClient.connect(server)) {
      client.send(SETUP).send("{\"realtimeInput\": {\"text\": \"hi\"}}");
      client.takeJson();
      assertThat(client.takeJson())
          .isEqualTo(
              json("{\"usageMetadata\": {\"responseTokenCount\": 5, \"totalTokenCount\": 5}}"));
      assertThat(client.takeJson()).isEqualTo(json("{\"goAway\": {\"timeLeft\": \"0.200s\"}}"));
      assertClosed(client, 1011, Fault.DEADLINE_EXPIRED);
    }
  }

  @Test
  void resumingWhileTheOldSocketIsOpenIs1011AndAfterItClosedWorks() throws Exception {
    String setupWithResumption =
        "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\", \"sessionResumption\": {}}}";
    String resume =
        "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\","
            + " \"sessionResumption\": {\"handle\": \"handle-1-1\"}}}";
    try (RawClient first = RawClient.connect(server)) {
      first.send(setupWithResumption);
      first.takeJson();
      assertThat(first.takeJson().at("/sessionResumptionUpdate/newHandle").asString())
          .isEqualTo("handle-1-1");
      try (RawClient early = RawClient.connect(server)) {
        early.send(resume);
        assertClosed(early, 1011, "The service is currently unavailable.");
      }
      first.sendClose(1000);
      first.awaitEnd(WAIT);
    }
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, "bye"));
    try (RawClient resumed = RawClient.connect(server)) {
      resumed.send(resume);
      assertThat(resumed.takeJson().at("/setupComplete/sessionId").asString())
          .startsWith("emulated-session-");
      assertThat(resumed.takeJson().at("/sessionResumptionUpdate/newHandle").asString())
          .isEqualTo("handle-1-2");
    }
    try (RawClient unknownHandle = RawClient.connect(server)) {
      unknownHandle.send(resume.replace("handle-1-1", "nope"));
      assertThat(unknownHandle.awaitEnd(WAIT).code()).isEqualTo(1007);
    }
  }

  @Test
  void aDropHasNoCloseFrameAndRawFramesAreSentAsTheyAre() throws Exception {
    server.enqueue(
        Script.builder()
            .setupReply(Reply.raw("{\"setupComplete\":{\"sessionId\":\"s-1\"}}"), Fault.drop())
            .build());
    try (RawClient client = RawClient.connect(server)) {
      client.send(SETUP);
      assertThat(client.take(WAIT).text()).isEqualTo("{\"setupComplete\":{\"sessionId\":\"s-1\"}}");
      assertThat(client.awaitEnd(WAIT)).isNull();
    }
  }
}
