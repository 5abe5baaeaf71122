package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelAuthenticationException;
import dev.genaiprocessors.core.error.ModelConnectionException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.core.error.ModelRateLimitException;
import dev.genaiprocessors.core.error.ModelRequestException;
import dev.genaiprocessors.core.error.ModelServerException;
import dev.genaiprocessors.testkit.openai.Fault;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Server errors and closes end the output with the right kind of ModelException, and never show the key. */
class OpenAiRealtimeErrorsTest {
  static final String SECRET = "sk-test-4f8a9c2e7b1d6053aa";

  OpenAiRealtimeEmulator server;

  @BeforeEach
  void start() {
    server = OpenAiRealtimeEmulator.builder().apiKey(SECRET).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Flux<Part> hi() {
    return Flux.concat(Flux.just(Part.text("Hi")), Flux.never());
  }

  @Test
  void aWrongKeyIsAnAuthenticationErrorThatNeverShowsTheKey() {
    String wrong = "sk-wrong-0123456789abcdef";
    OpenAiRealtimeProcessor model =
        OpenAiRealtimeProcessor.builder().uri(server.uri()).apiKey(wrong).build();
    assertThat(model.toString()).doesNotContain(wrong).contains("apiKey=***");
    StepVerifier.create(model.apply(hi()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelAuthenticationException.class)
                    .hasMessageContaining("invalid_api_key")
                    .hasMessageNotContaining(wrong)
                    .hasMessageNotContaining("0123456789abcdef"))
        .verify(WAIT);
  }

  @Test
  void aServerErrorEventEndsTheOutputAfterThePartsBeforeIt() {
    server.enqueue(
        Script.builder()
            .on("response.create", Fault.error("server_error", null, "The server had an error"))
            .build());
    StepVerifier.create(builder(server).build().apply(hi()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelServerException.class)
                    .hasMessageContaining("The server had an error"))
        .verify(WAIT);
  }

  @Test
  void rateLimitAndInvalidRequestErrorsHaveTheirKinds() {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Fault.error("invalid_request_error", "rate_limit_exceeded", "Slow down"))
            .build());
    StepVerifier.create(builder(server).build().apply(hi()))
        .expectError(ModelRateLimitException.class)
        .verify(WAIT);
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Fault.error("invalid_request_error", "invalid_value", "Bad value"))
            .build());
    StepVerifier.create(builder(server).build().apply(hi()))
        .expectError(ModelRequestException.class)
        .verify(WAIT);
  }

  @Test
  void aCloseTheProcessorDidNotAskForIsAnErrorByItsCode() {
    server.enqueue(
        Script.builder().on("response.create", Fault.close(1011, "internal error")).build());
    StepVerifier.create(builder(server).build().apply(hi()))
        .expectErrorSatisfies(
            e ->
                assertThat(e).isInstanceOf(ModelServerException.class).hasMessageContaining("1011"))
        .verify(WAIT);
    server.enqueue(Script.builder().on("response.create", Fault.drop()).build());
    StepVerifier.create(builder(server).build().apply(hi()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageContaining("1006"))
        .verify(WAIT);
  }

  @Test
  void aFrameOverTheLimitIsAProtocolErrorNamingTheLimit() {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.response(Output.text("x".repeat(100_000))))
            .build());
    StepVerifier.create(builder(server).textOutput(true).maxFrameBytes(65536).build().apply(hi()))
        .expectNextMatches(
            p -> RealtimeParts.rateLimitsOf(p).orElseThrow().get(0).get("name").equals("requests"))
        .thenConsumeWhile(p -> true)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelProtocolException.class)
                    .hasMessageContaining("65536")
                    .hasMessageContaining("maxFrameBytes"))
        .verify(WAIT);
  }

  @Test
  void aRefusedConnectionIsAConnectionError() {
    int port = server.port();
    server.close();
    StepVerifier.create(
            OpenAiRealtimeProcessor.builder()
                .uri(java.net.URI.create("ws://127.0.0.1:" + port + "/v1/realtime"))
                .apiKey(SECRET)
                .build()
                .apply(hi()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageNotContaining(SECRET))
        .verify(WAIT);
  }
}
