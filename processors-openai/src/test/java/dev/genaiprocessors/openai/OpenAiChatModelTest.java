package dev.genaiprocessors.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.client.GenerationConfig;
import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.functions.FunctionCalling;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.openai.OpenAiApiEmulator;
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

/** Mapping both ways, streaming and tool calls, against the loopback emulator. */
class OpenAiChatModelTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  OpenAiApiEmulator server;

  @BeforeEach
  void start() {
    // Any key or none, as a local server: these tests check which key the model sends.
    server = OpenAiApiEmulator.builder().acceptAnyApiKey().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  OpenAiChatModel.Builder model() {
    return OpenAiChatModel.builder("gpt-test")
        .baseUrl(server.uri().toString())
        .environment(name -> null)
        .retryPolicy(RetryPolicy.none());
  }

  static JsonNode json(String text) {
    return WireJson.MAPPER.readTree(text);
  }

  static Tool weatherTool() {
    ObjectNode schema = NODES.objectNode().put("type", "object");
    schema.putObject("properties").putObject("city").put("type", "string");
    return Tool.of(
        "get_weather",
        "Weather in a city",
        schema,
        args -> "sunny in " + args.path("city").asString());
  }

  @Test
  void promptMapsToMessagesToolsAndSettings() {
    server.enqueue(OpenAiApiEmulator.text("ok"));
    OpenAiChatModel model =
        model()
            .apiKey("sk-test-key")
            .systemInstruction("Be brief.")
            .generationConfig(
                GenerationConfig.builder()
                    .temperature(0.5)
                    .topP(0.9)
                    .maxOutputTokens(100)
                    .stopSequences(List.of("END"))
                    .seed(7)
                    .responseMimeType("application/json")
                    .build())
            .requestField("frequency_penalty", NODES.numberNode(0.5))
            .tools(weatherTool())
            .build();
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    byte[] wav = {'R', 'I', 'F', 'F'};
    List<Part> prompt =
        List.of(
            Part.text("Reply in French.").withRole("system"),
            Part.text("What is this "),
            Part.image(png, "image/png").withRole("user"),
            Part.bytes(wav, "audio/wav").withRole("user"),
            Part.text("and the weather?").withRole("user"),
            Part.text("Let me check.").withRole("model"),
            Part.text("(thinking)").withRole("model").withMetadata(ResponseMetadata.THOUGHT, true),
            Part.functionCall("call_a", "get_weather", json("{\"city\":\"Paris\"}"))
                .withRole("model"),
            Part.functionCall(null, "get_weather", json("{\"city\":\"Rome\"}")).withRole("model"),
            Part.functionResult("call_a", "get_weather", NODES.stringNode("sunny"))
                .withRole("user"),
            Part.functionResult(null, "get_weather", NODES.stringNode("rainy")).withRole("user"),
            Part.endOfTurn(),
            Part.debug("not for the model"),
            Part.text("Thanks").withRole("user"));

    StepVerifier.create(model.apply(Flux.fromIterable(prompt)))
        .expectNext(Part.text("ok").withRole("model"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);

    RecordedRequest sent = server.takeRequest(TIMEOUT);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("authorization")).isEqualTo("Bearer sk-test-key");
    assertThat(sent.header("accept")).isEqualTo("text/event-stream");
    String pngUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    String wavData = Base64.getEncoder().encodeToString(wav);
    assertThat(sent.bodyJson())
        .isEqualTo(
            json(
                """
        {"model": "gpt-test",
         "messages": [
           {"role": "system", "content": "Be brief."},
           {"role": "system", "content": "Reply in French."},
           {"role": "user", "content": [
              {"type": "text", "text": "What is this "},
              {"type": "image_url", "image_url": {"url": "%s"}},
              {"type": "input_audio", "input_audio": {"data": "%s", "format": "wav"}},
              {"type": "text", "text": "and the weather?"}]},
           {"role": "assistant", "content": "Let me check.", "tool_calls": [
              {"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
              {"id": "call_0", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"}}]},
           {"role": "tool", "tool_call_id": "call_a", "content": "{\\"result\\":\\"sunny\\"}"},
           {"role": "tool", "tool_call_id": "call_0", "content": "{\\"result\\":\\"rainy\\"}"},
           {"role": "user", "content": "Thanks"}],
         "stream": true,
         "stream_options": {"include_usage": true},
         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
         "temperature": 0.5, "top_p": 0.9, "max_tokens": 100, "stop": ["END"], "seed": 7,
         "response_format": {"type": "json_object"},
         "frequency_penalty": 0.5}
        """
                    .formatted(pngUrl, wavData)));
  }

  @Test
  void withoutAKeyNoAuthorizationIsSentAndTheEnvironmentKeyIsUsedWhenSet() {
    server.enqueue(OpenAiApiEmulator.text("a"));
    server.enqueue(OpenAiApiEmulator.text("b"));
    model()
        .includeUsage(false)
        .generationConfig(
            GenerationConfig.builder().responseSchema(json("{\"type\":\"object\"}")).build())
        .build()
        .apply(Flux.just(Part.text("hi")))
        .blockLast(TIMEOUT);
    Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-from-env");
    model().environment(env::get).build().apply(Flux.just(Part.text("hi"))).blockLast(TIMEOUT);

    RecordedRequest keyless = server.takeRequest(TIMEOUT);
    assertThat(keyless.header("authorization")).isNull();
    assertThat(keyless.bodyJson().has("stream_options")).isFalse();
    assertThat(keyless.bodyJson().get("response_format"))
        .isEqualTo(
            json(
                "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"response\",\"schema\":{\"type\":\"object\"}}}"));
    assertThat(server.takeRequest(TIMEOUT).header("authorization")).isEqualTo("Bearer sk-from-env");
  }

  @Test
  void textDeltasArriveAsTheServerSendsThem() {
    Sinks.Empty<Void> gate = Sinks.empty();
    server.enqueue(
        ScriptedResponse.builder()
            .event(OpenAiApiEmulator.roleChunk())
            .event(OpenAiApiEmulator.textChunk("Hel"))
            .await(gate.asMono())
            .event(OpenAiApiEmulator.textChunk("lo"))
            .event(OpenAiApiEmulator.finishChunk("stop"))
            .event(OpenAiApiEmulator.usageChunk(3, 2))
            .event(OpenAiApiEmulator.DONE)
            .build());

    StepVerifier.create(model().build().apply(Flux.just(Part.text("hi"))))
        .expectNext(Part.text("Hel").withRole("model")) // the server has not sent "lo" yet
        .then(gate::tryEmitEmpty)
        .expectNext(Part.text("lo").withRole("model"))
        .assertNext(
            summary -> {
              assertThat(ResponseMetadata.isSummary(summary)).isTrue();
              assertThat(summary.metadata(ResponseMetadata.FINISH_REASON)).isEqualTo("stop");
              assertThat(summary.metadata(ResponseMetadata.USAGE_METADATA))
                  .isEqualTo(
                      Map.of("prompt_tokens", 3L, "completion_tokens", 2L, "total_tokens", 5L));
              assertThat(summary.metadata(ResponseMetadata.MODEL_VERSION))
                  .isEqualTo("openai-emulator");
              assertThat(summary.metadata(ResponseMetadata.RESPONSE_ID))
                  .isEqualTo("chatcmpl-emulated");
            })
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void fragmentedToolCallsAreAssembledIntoWholeCalls() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(OpenAiApiEmulator.roleChunk())
            .event(OpenAiApiEmulator.textChunk("Checking both."))
            .event(OpenAiApiEmulator.toolCallChunk(0, "call_1", "get_weather", ""))
            .event(OpenAiApiEmulator.toolCallChunk(0, null, null, "{\"ci"))
            .event(OpenAiApiEmulator.toolCallChunk(1, "call_2", "get_time", "{}"))
            .event(OpenAiApiEmulator.toolCallChunk(0, null, null, "ty\": \"Paris\"}"))
            .event(OpenAiApiEmulator.finishChunk("tool_calls"))
            .event(OpenAiApiEmulator.DONE)
            .build());

    StepVerifier.create(model().build().apply(Flux.just(Part.text("hi"))))
        .expectNext(Part.text("Checking both.").withRole("model"))
        .expectNext(
            Part.functionCall("call_1", "get_weather", json("{\"city\":\"Paris\"}"))
                .withRole("model"))
        .expectNext(Part.functionCall("call_2", "get_time", NODES.objectNode()).withRole("model"))
        .assertNext(
            summary ->
                assertThat(summary.metadata(ResponseMetadata.FINISH_REASON))
                    .isEqualTo("tool_calls"))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void reasoningDeltasAreThoughts() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(
                "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"},\"finish_reason\":null}]}")
            .event(OpenAiApiEmulator.textChunk("answer"))
            .event(OpenAiApiEmulator.finishChunk("stop"))
            .event(OpenAiApiEmulator.DONE)
            .build());

    StepVerifier.create(model().build().apply(Flux.just(Part.text("hi"))))
        .expectNext(Part.text("hmm").withRole("model").withMetadata(ResponseMetadata.THOUGHT, true))
        .expectNext(Part.text("answer").withRole("model"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void functionCallingRunsAToolRoundTripOverTheWire() {
    server.enqueue(OpenAiApiEmulator.toolCall("call_9", "get_weather", "{\"city\": \"Oslo\"}"));
    server.enqueue(OpenAiApiEmulator.text("It is sunny in Oslo."));
    OpenAiChatModel model = model().tools(weatherTool()).build();
    FunctionCalling agent = FunctionCalling.builder(model).tools(weatherTool()).build();

    List<Part> out =
        agent
            .apply(Flux.just(Part.text("Weather in Oslo?").withRole("user")))
            .collectList()
            .block(TIMEOUT);

    assertThat(out)
        .filteredOn(Part::isText)
        .extracting(Part::text)
        .contains("It is sunny in Oslo.");
    server.takeRequest(TIMEOUT);
    JsonNode second = server.takeRequest(TIMEOUT).bodyJson();
    assertThat(second.get("messages"))
        .isEqualTo(
            json(
                """
        [{"role": "user", "content": "Weather in Oslo?"},
         {"role": "assistant", "tool_calls": [{"id": "call_9", "type": "function",
            "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"}}]},
         {"role": "tool", "tool_call_id": "call_9", "content": "{\\"result\\":\\"sunny in Oslo\\"}"}]
        """));
  }

  @Test
  void anEmptyPromptMakesNoCall() {
    StepVerifier.create(model().systemInstruction("s").build().apply(Flux.just(Part.endOfTurn())))
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void contentTheApiCannotCarryIsRejected() {
    StepVerifier.create(model().build().apply(Flux.just(Part.bytes(new byte[] {1}, "video/mp4"))))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("video/mp4"))
        .verify(TIMEOUT);
    StepVerifier.create(
            model().build().apply(Flux.just(Part.functionResult(null, "f", NODES.nullNode()))))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no id"))
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void cancellingClosesTheConnection() {
    Sinks.Empty<Void> never = Sinks.empty();
    server.enqueue(
        ScriptedResponse.builder()
            .event(OpenAiApiEmulator.textChunk("first"))
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
