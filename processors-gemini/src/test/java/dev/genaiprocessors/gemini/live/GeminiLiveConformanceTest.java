package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.genai.types.CodeExecutionResult;
import com.google.genai.types.Content;
import com.google.genai.types.ExecutableCode;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.GroundingMetadata;
import com.google.genai.types.LiveClientMessage;
import com.google.genai.types.LiveServerContent;
import com.google.genai.types.LiveServerMessage;
import com.google.genai.types.LiveServerSetupComplete;
import com.google.genai.types.LiveServerToolCall;
import com.google.genai.types.Transcription;
import com.google.genai.types.UrlContextMetadata;
import com.google.genai.types.UrlMetadata;
import com.google.genai.types.VoiceActivity;
import com.google.genai.types.VoiceActivityDetectionSignal;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Scheduling;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.ActivityHandling;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.MediaResolution;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.Modality;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.ThinkingLevel;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.TurnCoverage;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official SDK ({@code com.google.genai:google-genai}, test scope) judges the wire: every frame the
 * processor sends, with every builder setting and every input kind, is read by the SDK's
 * {@code LiveClientMessage.fromJson} and written back by {@code toJson} with nothing lost; and every server
 * field the SDK's builders can set reaches a part.
 */
class GeminiLiveConformanceTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final byte[] PCM = {1, 0, 2, 0, 3, 0, 4, 0};
  static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};

  GeminiLiveEmulator server;

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Drives a session to its end and returns every frame the emulator received, as sent. */
  List<ClientMessage> frames(GeminiLiveProcessor processor, Part... input)
      throws InterruptedException {
    StepVerifier.create(processor.apply(Flux.just(input)))
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);
    List<ClientMessage> frames = new ArrayList<>();
    for (ClientMessage m = server.takeMessage(Duration.ofMillis(200));
        m != null;
        m = server.takeMessage(Duration.ofMillis(200))) {
      frames.add(m);
    }
    return frames;
  }

  /** The SDK reads the frame and writes it back unchanged (numbers compared by value: its topK is a float). */
  static void assertTheSdkKeepsEverything(ClientMessage frame) {
    String sent = frame.json().toString();
    String back = LiveClientMessage.fromJson(sent).toJson();
    JsonNode again = Wire.JSON.readTree(back);
    assertThat(sameJson(frame.json(), again))
        .as("the SDK reads %s%n and writes back %s", sent, back)
        .isTrue();
  }

  static boolean sameJson(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<String> names = a.propertyNames().iterator(); names.hasNext(); ) {
        String name = names.next();
        if (!b.has(name) || !sameJson(a.get(name), b.get(name))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameJson(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  @Test
  void theJudgeNoticesWhatTheSdkDrops() {
    JsonNode sent =
        Wire.JSON.readTree(
            "{\"setup\": {\"model\": \"models/m\", \"tools\": [{\"functionDeclarations\":"
                + " [{\"name\": \"f\", \"strict\": true}]}]}}");
    JsonNode back = Wire.JSON.readTree(LiveClientMessage.fromJson(sent.toString()).toJson());
    assertThat(sameJson(sent, back)).as("strict is not in the API's FunctionDeclaration").isFalse();
  }

  GeminiLiveProcessor.Builder live(String model) {
    return GeminiLiveProcessor.builder()
        .uri(server.uri())
        .apiKey(server.apiKey())
        .model(model)
        .drainTimeout(Duration.ofSeconds(5));
  }

  @Test
  void everySettingAndEveryInputKindOfThe25GenerationIsReadByTheSdkWithNothingLost()
      throws Exception {
    ObjectNode schema =
        (ObjectNode)
            Wire.JSON.readTree(
                """
        {"type": "object", "$defs": {"Unit": {"type": "string", "enum": ["C", "F"]}},
         "properties": {"city": {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[A-Z]",
                                 "description": "a city", "default": "Paris", "example": "Rome"},
                        "unit": {"$ref": "#/$defs/Unit"},
                        "days": {"type": ["integer", "null"], "minimum": 1, "maximum": 7},
                        "when": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "number"}]},
                        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 0, "maxItems": 3},
                        "extra": {"type": "object", "minProperties": 0, "maxProperties": 2, "nullable": true}},
         "required": ["city"], "propertyOrdering": ["city", "unit"], "title": "Weather", "strict": true}""");
    Tool weather = Tool.of("get_weather", "Get weather", schema, args -> "sunny");
    Tool clock =
        Tool.of("get_time", "Get time", Wire.object().put("type", "object"), args -> "noon");
    GeminiLiveProcessor processor =
        live("gemini-live-2.5-flash-preview")
            .responseModalities(Modality.AUDIO)
            .voice("Kore")
            .languageCode("en-US")
            .systemInstruction("You are terse.")
            .tools(clock)
            .nonBlockingTools(weather)
            .builtInTools(
                BuiltInTool.GOOGLE_SEARCH, BuiltInTool.CODE_EXECUTION, BuiltInTool.URL_CONTEXT)
            .temperature(0.7)
            .topP(0.9)
            .topK(40)
            .maxOutputTokens(256)
            .seed(7)
            .mediaResolution(MediaResolution.MEDIUM)
            .thinkingBudget(512)
            .thinkingLevel(ThinkingLevel.LOW)
            .includeThoughts(true)
            .enableAffectiveDialog(true)
            .proactiveAudio(true)
            .safetySettings(
                new SafetySetting(
                    SafetySetting.Category.HATE_SPEECH,
                    SafetySetting.Threshold.BLOCK_LOW_AND_ABOVE))
            .inputTranscription(true)
            .outputTranscription(true)
            .activityDetection(ActivityDetection.preset(ActivityDetection.Preset.MEDIUM))
            .activityHandling(ActivityHandling.NO_INTERRUPTION)
            .turnCoverage(TurnCoverage.TURN_INCLUDES_ALL_INPUT)
            .contextWindowCompression(25600, 12800)
            .initialHistory(
                Part.text("I am Ada.").withRole("user"), Part.text("Hello Ada!").withRole("model"))
            .apiVersion(ApiVersion.V1)
            .build();
    List<ClientMessage> frames =
        frames(
            processor,
            Part.text("Hi"),
            Part.text("Noted.").withRole("model").withMetadata(PartMetadata.TURN_COMPLETE, false),
            Part.endOfTurn(),
            Part.text("lights on").withSubstream(Substreams.REALTIME),
            Part.audio(PCM, 16000).withSubstream(Substreams.REALTIME),
            Part.audioStreamEnd(),
            Part.image(JPEG, "image/jpeg").withSubstream(Substreams.REALTIME),
            Part.image(JPEG, "image/jpeg"),
            Part.bytes(new byte[] {'%', 'P', 'D', 'F'}, "application/pdf"),
            Part.of(
                new PartContent.FunctionResponse(
                    "fc-1",
                    "get_weather",
                    Wire.object().put("result", "sunny"),
                    Scheduling.WHEN_IDLE,
                    true,
                    false)),
            Part.functionResult("fc-2", "get_time", Wire.NODES.stringNode("noon")),
            Part.functionError("fc-3", "get_time", "boom"));
    assertThat(frames)
        .extracting(ClientMessage::type)
        .contains("setup", "clientContent", "realtimeInput", "toolResponse");
    assertThat(frames.size()).isGreaterThanOrEqualTo(13);
    frames.forEach(GeminiLiveConformanceTest::assertTheSdkKeepsEverything);
  }

  @Test
  void manualActivityAnd31FramesAreReadByTheSdkWithNothingLost() throws Exception {
    List<ClientMessage> manual =
        frames(
            live("gemini-live-2.5-flash-preview")
                .activityDetection(ActivityDetection.manual())
                .sessionResumption(false)
                .build(),
            Part.startOfSpeech(),
            Part.audio(PCM, 16000),
            Part.endOfSpeech());
    assertThat(manual)
        .extracting(m -> m.body().propertyNames().iterator().next())
        .contains("activityStart", "audio", "activityEnd");
    manual.forEach(GeminiLiveConformanceTest::assertTheSdkKeepsEverything);

    List<ClientMessage> v31 =
        frames(
            live("gemini-3.1-flash-live-preview")
                .initialHistory(Part.text("I am Ada.").withRole("user"))
                .build(),
            Part.text("held").withMetadata(PartMetadata.TURN_COMPLETE, false),
            Part.endOfTurn(),
            Part.image(JPEG, "image/png"));
    v31.forEach(GeminiLiveConformanceTest::assertTheSdkKeepsEverything);
  }

  static List<Part> decodeAll(String... sdkJson) throws ModelProtocolException {
    List<Part> parts = new ArrayList<>();
    for (String json : sdkJson) {
      for (ServerEvent e : ServerMessages.decode(json.getBytes(StandardCharsets.UTF_8))) {
        if (e.part() != null) {
          parts.add(e.part());
        }
      }
    }
    return parts;
  }

  @Test
  void everyServerFieldBuiltWithTheSdkReachesAPart() throws Exception {
    String setupComplete =
        LiveServerMessage.builder()
            .setupComplete(LiveServerSetupComplete.builder().sessionId("sdk-session"))
            .build()
            .toJson();
    String code =
        LiveServerMessage.builder()
            .serverContent(
                LiveServerContent.builder()
                    .modelTurn(
                        Content.builder()
                            .role("model")
                            .parts(
                                com.google.genai.types.Part.builder()
                                    .executableCode(
                                        ExecutableCode.builder()
                                            .language("PYTHON")
                                            .code("print(6*7)")),
                                com.google.genai.types.Part.builder()
                                    .codeExecutionResult(
                                        CodeExecutionResult.builder()
                                            .outcome("OUTCOME_OK")
                                            .output("42")))))
            .build()
            .toJson();
    String content =
        LiveServerMessage.builder()
            .serverContent(
                LiveServerContent.builder()
                    .inputTranscription(Transcription.builder().text("hola").languageCode("es-ES"))
                    .interimInputTranscription(Transcription.builder().text("hol"))
                    .groundingMetadata(
                        GroundingMetadata.builder().webSearchQueries("weather in Paris"))
                    .urlContextMetadata(
                        UrlContextMetadata.builder()
                            .urlMetadata(UrlMetadata.builder().retrievedUrl("https://example.com")))
                    .turnComplete(true)
                    .interactionStatus("IDLE"))
            .build()
            .toJson();
    String toolCall =
        LiveServerMessage.builder()
            .toolCall(
                LiveServerToolCall.builder()
                    .functionCalls(
                        FunctionCall.builder()
                            .id("fc-1")
                            .name("get_weather")
                            .args(Map.of("city", "Paris"))
                            .willContinue(true)))
            .build()
            .toJson();
    String activity =
        LiveServerMessage.builder()
            .voiceActivity(
                VoiceActivity.builder()
                    .voiceActivityType("ACTIVITY_START")
                    .audioOffset(Duration.ofMillis(1250)))
            .build()
            .toJson();
    String vad =
        LiveServerMessage.builder()
            .voiceActivityDetectionSignal(
                VoiceActivityDetectionSignal.builder().vadSignalType("VAD_SIGNAL_TYPE_SOS"))
            .build()
            .toJson();

    List<Part> parts = decodeAll(setupComplete, code, content, toolCall, activity, vad);
    assertThat(parts)
        .anySatisfy(p -> assertThat(GeminiLiveParts.sessionId(p)).contains("sdk-session"));
    assertThat(parts)
        .anySatisfy(
            p -> {
              assertThat(p.mimeType()).contains(GeminiLiveParts.EXECUTABLE_CODE);
              assertThat(p.json().path("code").asString()).isEqualTo("print(6*7)");
            });
    assertThat(parts)
        .anySatisfy(
            p -> {
              assertThat(p.mimeType()).contains(GeminiLiveParts.CODE_EXECUTION_RESULT);
              assertThat(p.json().path("output").asString()).isEqualTo("42");
            });
    assertThat(parts)
        .anySatisfy(
            p -> {
              assertThat(p.text()).isEqualTo("hola");
              assertThat(p.metadata(GeminiLiveParts.LANGUAGE_CODE)).isEqualTo("es-ES");
            });
    assertThat(parts)
        .anySatisfy(
            p -> {
              assertThat(p.text()).isEqualTo("hol");
              assertThat(p.metadata(GeminiLiveParts.INTERIM)).isEqualTo(true);
            });
    assertThat(parts)
        .anySatisfy(
            p ->
                assertThat(p.metadata(GeminiLiveParts.GROUNDING_METADATA))
                    .isEqualTo(Map.of("webSearchQueries", List.of("weather in Paris"))));
    assertThat(parts)
        .anySatisfy(
            p ->
                assertThat(String.valueOf(p.metadata(GeminiLiveParts.URL_CONTEXT_METADATA)))
                    .contains("https://example.com"));
    assertThat(parts)
        .anySatisfy(
            p -> {
              assertThat(p.isEndOfTurn()).isTrue();
              assertThat(p.metadata(GeminiLiveParts.INTERACTION_STATUS)).isEqualTo("IDLE");
            });
    assertThat(parts)
        .anySatisfy(
            p -> {
              assertThat(p.isFunctionCall()).isTrue();
              assertThat(p.functionCall().args().path("city").asString()).isEqualTo("Paris");
              assertThat(p.metadata(GeminiLiveParts.WILL_CONTINUE)).isEqualTo(true);
            });
    assertThat(parts)
        .anySatisfy(
            p -> {
              assertThat(p.isStartOfSpeech()).isTrue();
              assertThat(String.valueOf(p.metadata(GeminiLiveParts.VOICE_ACTIVITY)))
                  .contains("ACTIVITY_START")
                  .contains("1.25");
            });
    assertThat(parts)
        .anySatisfy(
            p ->
                assertThat(p.metadata(GeminiLiveParts.VAD_SIGNAL))
                    .isEqualTo(Map.of("vadSignalType", "VAD_SIGNAL_TYPE_SOS")));
  }

  @Test
  void serverMessagesBuiltWithTheSdkReachTheOutputThroughASession() {
    String code =
        LiveServerMessage.builder()
            .serverContent(
                LiveServerContent.builder()
                    .modelTurn(
                        Content.builder()
                            .parts(
                                com.google.genai.types.Part.builder()
                                    .executableCode(
                                        ExecutableCode.builder().language("PYTHON").code("1+1")))))
            .build()
            .toJson();
    String status =
        LiveServerMessage.builder()
            .serverContent(LiveServerContent.builder().turnComplete(true).interactionStatus("IDLE"))
            .build()
            .toJson();
    server.enqueue(Script.builder().turn(Reply.raw(code), Reply.raw(status)).build());
    StepVerifier.create(
            GeminiLiveProcessorTest.content(
                    live("gemini-live-2.5-flash-preview")
                        .build()
                        .apply(Flux.just(Part.text("compute"))))
                .filter(p -> !GeminiLiveParts.isSessionId(p)))
        .assertNext(p -> assertThat(p.json().path("code").asString()).isEqualTo("1+1"))
        .assertNext(
            p -> assertThat(p.metadata(GeminiLiveParts.INTERACTION_STATUS)).isEqualTo("IDLE"))
        .expectComplete()
        .verify(WAIT);
  }
}
