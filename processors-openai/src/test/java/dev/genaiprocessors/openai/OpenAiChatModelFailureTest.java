package dev.genaiprocessors.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.client.RecordingScheduler;
import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelConnectionException;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.openai.OpenAiApiEmulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Retries, typed errors and keeping the key secret. */
class OpenAiChatModelFailureTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final String SECRET = "sk-FAKE-secret-key-0123456789";

  OpenAiApiEmulator server;
  RecordingScheduler scheduler = new RecordingScheduler();

  @BeforeEach
  void start() {
    server = OpenAiApiEmulator.builder().apiKey(SECRET).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  OpenAiChatModel.Builder model(int attempts) {
    return OpenAiChatModel.builder("gpt-test")
        .baseUrl(server.uri().toString())
        .apiKey(SECRET)
        .environment(name -> null)
        .scheduler(scheduler)
        .retryPolicy(RetryPolicy.builder().maxAttempts(attempts).jitter(Duration.ZERO).build());
  }

  static Flux<Part> prompt() {
    return Flux.just(Part.text("hi").withRole("user"));
  }

  @Test
  void rateLimitedThenSuccessRetriesAfterTheBackoff() {
    server.enqueue(OpenAiApiEmulator.rateLimited());
    server.enqueue(OpenAiApiEmulator.text("fine"));

    StepVerifier.create(model(5).build().apply(prompt()))
        .expectNext(Part.text("fine").withRole("model"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1));
    assertThat(server.takeRequest(TIMEOUT).body()).isEqualTo(server.takeRequest(TIMEOUT).body());
  }

  @Test
  void unavailableExhaustsTheRetriesWithATypedError() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(OpenAiApiEmulator.unavailable());
    }

    StepVerifier.create(model(4).build().apply(prompt()))
        .expectErrorSatisfies(
            e -> {
              ModelException api = (ModelException) e;
              assertThat(api.kind()).isEqualTo(ModelException.Kind.SERVER);
              assertThat(api.statusCode()).isEqualTo(503);
              assertThat(api.apiStatus()).isEqualTo("server_error");
              assertThat(api.attempts()).isEqualTo(4);
              assertThat(api.provider()).isEqualTo("OpenAI-compatible");
            })
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(4);
    assertThat(scheduler.delays())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void aCutMidStreamIsRetriedAsAContinuation() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(OpenAiApiEmulator.roleChunk())
            .event(OpenAiApiEmulator.textChunk("Hello, "))
            .cutConnection()
            .build());
    server.enqueue(OpenAiApiEmulator.text("world."));

    StepVerifier.create(model(3).build().apply(prompt()))
        .expectNext(Part.text("Hello, ").withRole("model"))
        .expectNext(Part.text("world.").withRole("model"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);

    server.takeRequest(TIMEOUT);
    JsonNode messages = server.takeRequest(TIMEOUT).bodyJson().get("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(1))
        .isEqualTo(OpenAiChatModelTest.json("{\"role\":\"assistant\",\"content\":\"Hello, \"}"));
  }

  @Test
  void aCutWhileToolCallsAreIncompleteResendsAndAssemblesAfresh() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(OpenAiApiEmulator.toolCallChunk(0, "call_1", "f", "{\"a\""))
            .cutConnection()
            .build());
    server.enqueue(OpenAiApiEmulator.toolCall("call_1", "f", "{\"a\": 1}"));

    StepVerifier.create(model(3).build().apply(prompt()))
        .expectNext(
            Part.functionCall("call_1", "f", OpenAiChatModelTest.json("{\"a\":1}"))
                .withRole("model"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(server.takeRequest(TIMEOUT).body()).isEqualTo(server.takeRequest(TIMEOUT).body());
  }

  @Test
  void aStreamWithoutDoneOrFinishIsRetriedThenFails() {
    server.enqueue(ScriptedResponse.builder().event(OpenAiApiEmulator.roleChunk()).build());
    server.enqueue(ScriptedResponse.builder().event(OpenAiApiEmulator.roleChunk()).build());

    StepVerifier.create(model(2).build().apply(prompt()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageContaining("[DONE]")
                    .hasMessageContaining("gave up after 2 attempts"))
        .verify(TIMEOUT);
  }

  @Test
  void aConnectionRefusedIsRetriedThenATypedError() {
    int port = server.port();
    server.close();
    OpenAiChatModel model =
        OpenAiChatModel.builder("m")
            .baseUrl("http://127.0.0.1:" + port + "/v1")
            .environment(name -> null)
            .scheduler(scheduler)
            .retryPolicy(RetryPolicy.builder().maxAttempts(2).jitter(Duration.ZERO).build())
            .build();

    StepVerifier.create(model.apply(prompt()))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(ModelConnectionException.class)
                  .hasMessageContaining("127.0.0.1:" + port);
              assertThat(((ModelConnectionException) e).attempts()).isEqualTo(2);
            })
        .verify(TIMEOUT);
    assertThat(scheduler.delays()).hasSize(1);
  }

  @Test
  void badKeysAreAuthenticationErrorsThatNameTheVariable() {
    String wrong = "sk-FAKE-wrong-key-9876543210";

    StepVerifier.create(model(5).apiKey(wrong).build().apply(prompt()))
        .expectErrorSatisfies(
            e -> {
              ModelException api = (ModelException) e;
              assertThat(api.kind()).isEqualTo(ModelException.Kind.AUTHENTICATION);
              assertThat(api.statusCode()).isEqualTo(401);
              assertThat(api.apiStatus()).isEqualTo("invalid_api_key");
              assertThat(api.getMessage()).contains("OPENAI_API_KEY").doesNotContain(wrong);
            })
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void anUnknownModelIsNotFoundNamingIt() {
    server.close();
    server = OpenAiApiEmulator.builder().apiKey(SECRET).models("llama3.2").build().start();

    StepVerifier.create(model(5).build().apply(prompt()))
        .expectErrorSatisfies(
            e -> {
              ModelException api = (ModelException) e;
              assertThat(api.kind()).isEqualTo(ModelException.Kind.REQUEST);
              assertThat(api.apiStatus()).isEqualTo("model_not_found");
              assertThat(api.getMessage()).contains("'gpt-test'");
            })
        .verify(TIMEOUT);
  }

  @Test
  void errorShapesOfLocalServersAreRead() {
    server.enqueue(
        ScriptedResponse.json(
            404, "{\"error\":\"model \\\"x\\\" not found, try pulling it first\"}"));
    server.enqueue(
        ScriptedResponse.json(
            400,
            "{\"object\":\"error\",\"message\":\"max_tokens is too large\",\"type\":\"BadRequestError\",\"code\":400}"));
    OpenAiChatModel model = model(1).build();

    StepVerifier.create(model.apply(prompt()))
        .expectErrorSatisfies(
            e -> assertThat(((ModelException) e).apiMessage()).contains("try pulling it first"))
        .verify(TIMEOUT);
    StepVerifier.create(model.apply(prompt()))
        .expectErrorSatisfies(
            e -> {
              assertThat(((ModelException) e).apiMessage()).isEqualTo("max_tokens is too large");
              assertThat(((ModelException) e).apiStatus()).isEqualTo("BadRequestError");
              assertThat(((ModelException) e).kind()).isEqualTo(ModelException.Kind.REQUEST);
            })
        .verify(TIMEOUT);
  }

  @Test
  void malformedArgumentsAndChunksAreTypedErrors() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(OpenAiApiEmulator.toolCallChunk(0, "c1", "f", "{\"a\": "))
            .event(OpenAiApiEmulator.finishChunk("tool_calls"))
            .event(OpenAiApiEmulator.DONE)
            .build());
    server.enqueue(
        ScriptedResponse.builder()
            .event(OpenAiApiEmulator.toolCallChunk(0, "c1", "f", "[1, 2]"))
            .event(OpenAiApiEmulator.DONE)
            .build());
    server.enqueue(
        ScriptedResponse.builder()
            .event(OpenAiApiEmulator.textChunk("a"))
            .event("data is not json")
            .build());
    server.enqueue(ScriptedResponse.builder().event("{\"choices\": 3}").build());
    OpenAiChatModel model = model(5).build();

    StepVerifier.create(model.apply(prompt()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelProtocolException.class)
                    .hasMessageContaining("'f' (c1)")
                    .hasMessageContaining("not a JSON object"))
        .verify(TIMEOUT);
    StepVerifier.create(model.apply(prompt()))
        .expectError(ModelProtocolException.class)
        .verify(TIMEOUT);
    StepVerifier.create(model.apply(prompt()))
        .expectNextCount(1)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelProtocolException.class)
                    .hasMessageContaining("not JSON"))
        .verify(TIMEOUT);
    StepVerifier.create(model.apply(prompt()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelProtocolException.class)
                    .hasMessageContaining("choices"))
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void aServerErrorEventMidStreamIsRetried() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(
                "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"code\":null}}")
            .build());
    server.enqueue(OpenAiApiEmulator.text("ok"));

    StepVerifier.create(model(3).build().apply(prompt()))
        .expectNextCount(2)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void theKeyNeverShowsInErrorsOrToString() {
    String echo = "Incorrect API key provided: " + SECRET;
    List<ScriptedResponse> failures =
        List.of(
            OpenAiApiEmulator.error(400, "invalid_request_error", null, echo),
            OpenAiApiEmulator.error(401, "invalid_request_error", "invalid_api_key", echo),
            OpenAiApiEmulator.error(403, "invalid_request_error", null, echo),
            OpenAiApiEmulator.error(404, "invalid_request_error", "model_not_found", echo),
            OpenAiApiEmulator.error(429, "requests", "rate_limit_exceeded", echo),
            OpenAiApiEmulator.error(503, "server_error", null, echo),
            ScriptedResponse.json(502, "<html>" + SECRET + "</html>"),
            ScriptedResponse.builder().event("{" + SECRET).build(),
            ScriptedResponse.builder()
                .event(OpenAiApiEmulator.toolCallChunk(0, "c", "f", SECRET))
                .event(OpenAiApiEmulator.DONE)
                .build(),
            ScriptedResponse.builder()
                .event("{\"error\":{\"message\":\"" + SECRET + "\",\"type\":\"x\"}}")
                .build(),
            ScriptedResponse.builder()
                .event(OpenAiApiEmulator.textChunk("x"))
                .cutConnection()
                .build());
    OpenAiChatModel model = model(1).build();
    for (ScriptedResponse failure : failures) {
      server.enqueue(failure);
      Throwable error = model.apply(prompt()).then().materialize().block(TIMEOUT).getThrowable();
      assertThat(error).as(failure.toString()).isNotNull();
      for (Throwable t = error; t != null; t = t.getCause()) {
        assertThat(t.getMessage()).as(failure.toString()).doesNotContain(SECRET);
        assertThat(t.toString()).doesNotContain(SECRET);
      }
    }
    assertThat(model.toString()).doesNotContain(SECRET).contains("gpt-test");
    RecordedRequest sent = server.takeRequest(TIMEOUT);
    assertThat(sent.header("authorization")).isEqualTo("Bearer " + SECRET);
    assertThat(sent.toString()).doesNotContain(SECRET);
  }

  @Test
  void buildersValidateAtOnce() {
    assertThatThrownBy(() -> OpenAiChatModel.builder(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OpenAiChatModel.builder("m").baseUrl("localhost:11434"))
        .hasMessageContaining("http");
    assertThatThrownBy(() -> OpenAiChatModel.builder("m").apiKey("a\nb"))
        .hasMessageContaining("line breaks");
    assertThatThrownBy(() -> OpenAiChatModel.builder("m").readTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("readTimeout");
  }
}
