package dev.genaiprocessors.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.client.GenerationConfig;
import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartBufferOverflowException;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.gemini.GeminiApiEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Mapping both ways and streaming, against the loopback emulator. */
class GeminiModelTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  GeminiApiEmulator server;

  @BeforeEach
  void start() {
    server = GeminiApiEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  GeminiModel.Builder model() {
    return GeminiModel.builder("gemini-2.5-flash")
        .baseUrl(server.uri().toString())
        .apiKey(server.apiKey())
        .environment(name -> null)
        .retryPolicy(RetryPolicy.none());
  }

  static JsonNode json(String text) {
    return WireJson.MAPPER.readTree(text);
  }

  @Test
  void promptMapsToContentsSystemInstructionConfigAndTools() {
    server.enqueue(GeminiApiEmulator.text("ok"));
    ObjectNode schema = NODES.objectNode().put("type", "object");
    schema.putObject("properties").putObject("city").put("type", "string");
    Tool weather = Tool.of("get_weather", "Weather in a city", schema, args -> "sunny");
    GeminiModel model =
        model()
            .systemInstruction("Be brief.")
            .generationConfig(
                GenerationConfig.builder()
                    .temperature(0.5)
                    .topP(0.9)
                    .topK(40)
                    .maxOutputTokens(100)
                    .stopSequences(List.of("END"))
                    .seed(7)
                    .responseMimeType("text/plain")
                    .build())
            .rawGenerationConfig(
                (ObjectNode)
                    json("{\"thinkingConfig\":{\"thinkingBudget\":0},\"temperature\":0.25}"))
            .requestField(
                "safetySettings",
                json("[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_NONE\"}]"))
            .tools(weather)
            .build();
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    List<Part> prompt =
        List.of(
            Part.text("Also in French.").withRole("system"),
            Part.text("What is in this picture, "),
            Part.image(png, "image/png").withRole("user"),
            Part.text("and the weather in Paris?").withRole("user"),
            Part.text("Let me check.").withRole("model"),
            Part.functionCall("c1", "get_weather", json("{\"city\":\"Paris\"}"))
                .withRole("model")
                .withMetadata(ResponseMetadata.THOUGHT_SIGNATURE, "sig=="),
            Part.functionResult("c1", "get_weather", NODES.stringNode("sunny")).withRole("user"),
            Part.endOfTurn(),
            Part.status("not for the model"),
            Part.json(json("{\"k\":1}")).withRole("assistant"));

    StepVerifier.create(model.apply(Flux.fromIterable(prompt)))
        .expectNextMatches(p -> p.text().equals("ok"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);

    RecordedRequest sent = server.takeRequest(TIMEOUT);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(sent.queryParameter("alt")).isEqualTo("sse");
    assertThat(sent.header("x-goog-api-key")).isEqualTo(server.apiKey());
    assertThat(sent.header("content-type")).startsWith("application/json");
    String pngBase64 = Base64.getEncoder().encodeToString(png);
    assertThat(sent.bodyJson())
        .isEqualTo(
            json(
                """
        {"contents": [
           {"role": "user", "parts": [
              {"text": "What is in this picture, "},
              {"inlineData": {"mimeType": "image/png", "data": "%s"}},
              {"text": "and the weather in Paris?"}]},
           {"role": "model", "parts": [
              {"text": "Let me check."},
              {"functionCall": {"id": "c1", "name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "sig=="}]},
           {"role": "user", "parts": [
              {"functionResponse": {"id": "c1", "name": "get_weather", "response": {"result": "sunny"}}}]},
           {"role": "model", "parts": [{"text": "{\\"k\\":1}"}]}],
         "systemInstruction": {"parts": [{"text": "Be brief."}, {"text": "Also in French."}]},
         "generationConfig": {"temperature": 0.25, "topP": 0.9, "topK": 40, "maxOutputTokens": 100,
            "stopSequences": ["END"], "seed": 7, "responseMimeType": "text/plain", "thinkingConfig": {"thinkingBudget": 0}},
         "tools": [{"functionDeclarations": [{"name": "get_weather", "description": "Weather in a city",
            "parametersJsonSchema": {"type": "object", "properties": {"city": {"type": "string"}}}}]}],
         "safetySettings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}]}
        """
                    .formatted(pngBase64)));
  }

  @Test
  void responseSchemaImpliesJsonMimeType() {
    server.enqueue(GeminiApiEmulator.text("{}"));
    GeminiModel model =
        model()
            .generationConfig(
                GenerationConfig.builder().responseSchema(json("{\"type\":\"object\"}")).build())
            .build();
    StepVerifier.create(model.apply(Flux.just(Part.text("hi"))))
        .expectNextCount(2)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(server.takeRequest(TIMEOUT).bodyJson().get("generationConfig"))
        .isEqualTo(
            json(
                "{\"responseMimeType\":\"application/json\",\"responseJsonSchema\":{\"type\":\"object\"}}"));
  }

  @Test
  void answerPartsMapToTextBytesFunctionCallsAndASummary() {
    byte[] audio = "RIFF".getBytes(StandardCharsets.US_ASCII);
    ObjectNode inline = NODES.objectNode();
    inline
        .putObject("inlineData")
        .put("mimeType", "audio/wav")
        .put("data", Base64.getEncoder().encodeToString(audio));
    ObjectNode thought = NODES.objectNode().put("text", "thinking...").put("thought", true);
    ObjectNode code = NODES.objectNode();
    code.putObject("executableCode").put("language", "PYTHON").put("code", "print(1)");
    server.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.partChunk(thought))
            .event(GeminiApiEmulator.textChunk("Checking."))
            .event(GeminiApiEmulator.partChunk(inline))
            .event(GeminiApiEmulator.partChunk(code))
            .event(
                GeminiApiEmulator.functionCallChunk(
                    "fc-1", "get_weather", json("{\"city\":\"Paris\"}")))
            .event(GeminiApiEmulator.functionCallChunk(null, "get_time", NODES.objectNode()))
            .event(GeminiApiEmulator.finishChunk("STOP", 12, 30))
            .build());

    List<Part> parts =
        model().build().apply(Flux.just(Part.text("hi"))).collectList().block(TIMEOUT);

    assertThat(parts).hasSize(7);
    assertThat(parts.get(0))
        .isEqualTo(
            Part.text("thinking...")
                .withRole("model")
                .withMetadata(ResponseMetadata.THOUGHT, true));
    assertThat(parts.get(1)).isEqualTo(Part.text("Checking.").withRole("model"));
    assertThat(parts.get(2)).isEqualTo(Part.bytes(audio, "audio/wav").withRole("model"));
    assertThat(parts.get(3))
        .isEqualTo(Part.json(code.get("executableCode"), "executableCode").withRole("model"));
    assertThat(parts.get(4))
        .isEqualTo(
            Part.functionCall("fc-1", "get_weather", json("{\"city\":\"Paris\"}"))
                .withRole("model"));
    assertThat(parts.get(5))
        .isEqualTo(Part.functionCall(null, "get_time", NODES.objectNode()).withRole("model"));
    Part summary = parts.get(6);
    assertThat(ResponseMetadata.isSummary(summary)).isTrue();
    assertThat(summary.role()).isEqualTo("model");
    assertThat(summary.metadata(ResponseMetadata.FINISH_REASON)).isEqualTo("STOP");
    assertThat(summary.metadata(ResponseMetadata.USAGE_METADATA))
        .isEqualTo(
            Map.of("promptTokenCount", 12L, "candidatesTokenCount", 30L, "totalTokenCount", 42L));
    assertThat(summary.metadata(ResponseMetadata.MODEL_VERSION)).isEqualTo("gemini-emulator");
    assertThat(summary.metadata(ResponseMetadata.RESPONSE_ID)).asString().startsWith("emulated-");
  }

  @Test
  void thoughtSignaturesRoundTrip() {
    ObjectNode signed = NODES.objectNode();
    signed.putObject("functionCall").put("name", "f").putObject("args");
    signed.put("thoughtSignature", "opaque-sig");
    server.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.partChunk(signed))
            .event(GeminiApiEmulator.finishChunk("STOP", 1, 1))
            .build());
    server.enqueue(GeminiApiEmulator.text("done"));
    GeminiModel model = model().build();

    Part call = model.apply(Flux.just(Part.text("go"))).blockFirst(TIMEOUT);
    assertThat(call.metadata(ResponseMetadata.THOUGHT_SIGNATURE)).isEqualTo("opaque-sig");
    model
        .apply(Flux.just(Part.text("go"), call, Part.functionResult(null, "f", NODES.nullNode())))
        .blockLast(TIMEOUT);

    server.takeRequest(TIMEOUT);
    JsonNode second = server.takeRequest(TIMEOUT).bodyJson();
    assertThat(second.at("/contents/1"))
        .isEqualTo(
            json(
                "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{}},\"thoughtSignature\":\"opaque-sig\"}]}"));
  }

  @Test
  void partsArriveWhileTheServerIsStillHoldingTheRest() {
    Sinks.Empty<Void> gate = Sinks.empty();
    server.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.textChunk("Hel"))
            .await(gate.asMono())
            .event(GeminiApiEmulator.textChunk("lo"))
            .event(GeminiApiEmulator.finishChunk("STOP", 1, 2))
            .build());

    StepVerifier.create(model().build().apply(Flux.just(Part.text("hi"))))
        .expectNext(Part.text("Hel").withRole("model")) // the server has not sent "lo" yet
        .then(gate::tryEmitEmpty)
        .expectNext(Part.text("lo").withRole("model"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void anEmptyPromptMakesNoCall() {
    StepVerifier.create(model().build().apply(Flux.empty())).expectComplete().verify(TIMEOUT);
    StepVerifier.create(model().build().apply(Flux.just(Part.endOfTurn(), Part.status("x"))))
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void aPromptPastTheBoundFails() {
    StepVerifier.create(
            model().maxPromptParts(2).build().apply(Flux.range(0, 5).map(i -> Part.text("p" + i))))
        .expectError(PartBufferOverflowException.class)
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void modelPathsKeepTheirPrefix() {
    server.enqueue(GeminiApiEmulator.text("ok"));
    GeminiModel model = model().build().toBuilder().build();
    GeminiModel tuned =
        GeminiModel.builder("tunedModels/mine")
            .baseUrl(server.uri().toString())
            .apiKey(server.apiKey())
            .build();
    server.enqueue(GeminiApiEmulator.text("ok"));
    model.apply(Flux.just(Part.text("a"))).blockLast(TIMEOUT);
    tuned.apply(Flux.just(Part.text("a"))).blockLast(TIMEOUT);
    assertThat(server.takeRequest(TIMEOUT).path())
        .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(server.takeRequest(TIMEOUT).path())
        .isEqualTo("/v1beta/tunedModels/mine:streamGenerateContent");
  }

  @Test
  void cancellingClosesTheConnection() {
    Sinks.Empty<Void> never = Sinks.empty();
    server.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.textChunk("first"))
            .await(never.asMono())
            .build());

    StepVerifier.create(model().build().apply(Flux.just(Part.text("hi"))))
        .expectNext(Part.text("first").withRole("model"))
        .thenCancel()
        .verify(TIMEOUT);

    assertThat(server.awaitConnectionClosed(TIMEOUT))
        .as("the server saw the connection close")
        .isTrue();
  }
}
