package dev.genaiprocessors.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.client.RecordingScheduler;
import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelConnectionException;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.gemini.GeminiApiEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Retries, typed errors and keeping the key secret. */
class GeminiModelFailureTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final String SECRET = "AIzaFAKE-secret-key-0123456789";

  GeminiApiEmulator server;
  RecordingScheduler scheduler = new RecordingScheduler();

  @BeforeEach
  void start() {
    server = GeminiApiEmulator.builder().apiKey(SECRET).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    VirtualTimeScheduler.reset();
  }

  GeminiModel.Builder model(int attempts) {
    return GeminiModel.builder("gemini-2.5-flash")
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
    server.enqueue(GeminiApiEmulator.rateLimited());
    server.enqueue(GeminiApiEmulator.rateLimited());
    server.enqueue(GeminiApiEmulator.text("fine"));

    StepVerifier.create(model(5).build().apply(prompt()))
        .expectNext(Part.text("fine").withRole("model"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(server.requestCount()).isEqualTo(3);
    JsonNode first = server.takeRequest(TIMEOUT).bodyJson();
    assertThat(server.takeRequest(TIMEOUT).bodyJson()).isEqualTo(first);
    assertThat(server.takeRequest(TIMEOUT).bodyJson()).isEqualTo(first);
  }

  @Test
  void retryWaitsInVirtualTime() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    server.enqueue(GeminiApiEmulator.rateLimited());
    server.enqueue(GeminiApiEmulator.text("fine"));
    List<Part> got = new ArrayList<>();
    model(5).scheduler(time).build().apply(prompt()).subscribe(got::add);

    assertThat(server.takeRequest(TIMEOUT)).isNotNull();
    // The retry waits for virtual time: nothing is sent until the clock moves past 1 s.
    assertThat(server.takeRequest(Duration.ofMillis(200))).isNull();
    RecordedRequest retry = null;
    for (int i = 0;
        i < 100 && retry == null;
        i++) { // the 429 may still be on its way: step until it is sent
      time.advanceTimeBy(Duration.ofSeconds(1));
      retry = server.takeRequest(Duration.ofMillis(50));
    }
    assertThat(retry).isNotNull();
  }

  @Test
  void cancellingDuringTheBackoffSendsNoRetry() throws InterruptedException {
    Semaphore scheduled = new Semaphore(0);
    Semaphore cancelled = new Semaphore(0);
    Scheduler holding =
        new Scheduler() { // holds timed tasks forever: the test decides what happens during the
          // wait
          @Override
          public Disposable schedule(Runnable task) {
            return Schedulers.parallel().schedule(task);
          }

          @Override
          public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            if (unit.toNanos(delay) >= RecordingScheduler.DEADLINES_FROM.toNanos()) {
              return () -> {}; // the call's deadline: held too, but not the wait this test is about
            }
            scheduled.release();
            return cancelled::release;
          }

          @Override
          public Worker createWorker() {
            return Schedulers.parallel().createWorker();
          }
        };
    server.enqueue(GeminiApiEmulator.rateLimited());
    Disposable subscription = model(5).scheduler(holding).build().apply(prompt()).subscribe();

    assertThat(scheduled.tryAcquire(10, TimeUnit.SECONDS))
        .as("the retry wait was scheduled")
        .isTrue();
    subscription.dispose();

    assertThat(cancelled.tryAcquire(10, TimeUnit.SECONDS)).as("the wait was cancelled").isTrue();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void serverRetryDelayIsHonoured() {
    server.enqueue(
        ScriptedResponse.builder()
            .status(429)
            .header("retry-after", "7")
            .raw(
                "{\"error\":{\"code\":429,\"message\":\"slow down\",\"status\":\"RESOURCE_EXHAUSTED\"}}")
            .build());
    server.enqueue(
        ScriptedResponse.json(
            429,
            """
        {"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED",
          "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"12.5s"}]}}"""));
    server.enqueue(GeminiApiEmulator.text("fine"));

    StepVerifier.create(model(5).build().apply(prompt()))
        .expectNextCount(2)
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(scheduler.delays())
        .containsExactly(Duration.ofSeconds(7), Duration.ofMillis(12_500));
  }

  @Test
  void unavailableExhaustsTheRetriesWithATypedError() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(GeminiApiEmulator.unavailable());
    }

    StepVerifier.create(model(3).build().apply(prompt()))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(ModelException.class);
              ModelException api = (ModelException) e;
              assertThat(api.kind()).isEqualTo(ModelException.Kind.SERVER);
              assertThat(api.statusCode()).isEqualTo(503);
              assertThat(api.apiStatus()).isEqualTo("UNAVAILABLE");
              assertThat(api.attempts()).isEqualTo(3);
              assertThat(api.isRetryable()).isTrue();
              assertThat(api.getMessage()).contains("after 3 attempts").contains("overloaded");
            })
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void aCutMidStreamIsRetriedAsAContinuation() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.textChunk("Hello, "))
            .cutConnection()
            .build());
    server.enqueue(GeminiApiEmulator.text("world."));

    StepVerifier.create(model(3).build().apply(prompt()))
        .expectNext(Part.text("Hello, ").withRole("model"))
        .expectNext(Part.text("world.").withRole("model"))
        .expectNextMatches(ResponseMetadata::isSummary)
        .expectComplete()
        .verify(TIMEOUT);

    JsonNode first = server.takeRequest(TIMEOUT).bodyJson();
    JsonNode second = server.takeRequest(TIMEOUT).bodyJson();
    assertThat(first.get("contents")).hasSize(1);
    assertThat(second.get("contents")).hasSize(2);
    assertThat(second.at("/contents/0")).isEqualTo(first.at("/contents/0"));
    assertThat(second.at("/contents/1"))
        .isEqualTo(GeminiModelTest.json("{\"role\":\"model\",\"parts\":[{\"text\":\"Hello, \"}]}"));
  }

  @Test
  void aCutBeforeAnyByteResendsTheSameRequest() {
    server.enqueue(ScriptedResponse.builder().cutConnection().build());
    server.enqueue(GeminiApiEmulator.text("ok"));

    StepVerifier.create(model(3).build().apply(prompt()))
        .expectNextCount(2)
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(server.takeRequest(TIMEOUT).body()).isEqualTo(server.takeRequest(TIMEOUT).body());
    assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void aCutAfterAFunctionCallIsNotRetried() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(
                GeminiApiEmulator.functionCallChunk(
                    null, "f", JsonNodeFactory.instance.objectNode()))
            .cutConnection()
            .build());

    StepVerifier.create(model(3).build().apply(prompt()))
        .expectNextMatches(Part::isFunctionCall)
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(ModelConnectionException.class)
                  .hasMessageContaining("not retried after 1 part(s)");
              assertThat(((ModelConnectionException) e).partsEmitted()).isEqualTo(1);
              assertThat(((ModelConnectionException) e).attempts()).isEqualTo(1);
            })
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aCutAfterOutputFailsWhenContinuationIsOff() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.textChunk("partial"))
            .cutConnection()
            .build());

    StepVerifier.create(
            model(3)
                .retryPolicy(RetryPolicy.builder().continueAfterOutput(false).build())
                .build()
                .apply(prompt()))
        .expectNext(Part.text("partial").withRole("model"))
        .expectError(ModelConnectionException.class)
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aStreamThatEndsBeforeFinishingIsRetriedThenFails() {
    for (int i = 0; i < 2; i++) {
      server.enqueue(ScriptedResponse.builder().event(GeminiApiEmulator.textChunk("")).build());
    }

    StepVerifier.create(model(2).build().apply(prompt()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageContaining("ended before Gemini sent a finishReason")
                    .hasMessageContaining("gave up after 2 attempts"))
        .verify(TIMEOUT);
  }

  @Test
  void badKeysAreAuthenticationErrorsThatNameTheVariables() {
    server.enqueue(GeminiApiEmulator.badApiKey());
    server.enqueue(
        GeminiApiEmulator.error(
            401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
    server.enqueue(
        GeminiApiEmulator.error(403, "PERMISSION_DENIED", "The caller does not have permission"));
    GeminiModel model = model(5).build();
    for (int status : new int[] {400, 401, 403}) {
      StepVerifier.create(model.apply(prompt()))
          .expectErrorSatisfies(
              e -> {
                ModelException api = (ModelException) e;
                assertThat(api.kind()).isEqualTo(ModelException.Kind.AUTHENTICATION);
                assertThat(api.statusCode()).isEqualTo(status);
                assertThat(api.attempts()).isEqualTo(1);
                assertThat(api.getMessage())
                    .contains("GEMINI_API_KEY")
                    .contains("GOOGLE_API_KEY")
                    .doesNotContain(SECRET);
              })
          .verify(TIMEOUT);
    }
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void anUnknownModelIsNotFoundNamingIt() {
    server.close();
    server = GeminiApiEmulator.builder().apiKey(SECRET).models("gemini-2.5-pro").build().start();

    StepVerifier.create(model(5).build().apply(prompt()))
        .expectErrorSatisfies(
            e -> {
              ModelException api = (ModelException) e;
              assertThat(api.kind()).isEqualTo(ModelException.Kind.REQUEST);
              assertThat(api.statusCode()).isEqualTo(404);
              assertThat(api.apiStatus()).isEqualTo("NOT_FOUND");
              assertThat(api.getMessage()).contains("'gemini-2.5-flash'");
            })
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void aBadRequestIsNotRetried() {
    server.enqueue(
        GeminiApiEmulator.error(
            400, "INVALID_ARGUMENT", "Invalid value at 'generation_config.temperature'"));

    StepVerifier.create(model(5).build().apply(prompt()))
        .expectErrorSatisfies(
            e -> assertThat(((ModelException) e).kind()).isEqualTo(ModelException.Kind.REQUEST))
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void malformedEventsAreTypedErrorsAndNotRetried() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.textChunk("ok"))
            .event("{not json")
            .build());
    server.enqueue(ScriptedResponse.builder().event("{\"candidates\": {\"oops\": 1}}").build());
    server.enqueue(
        ScriptedResponse.builder()
            .event(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":[1]}}]}}]}")
            .build());
    server.enqueue(
        ScriptedResponse.builder()
            .header("content-type", "text/html")
            .raw("<html>proxy</html>")
            .build());
    GeminiModel model = model(5).build();

    StepVerifier.create(model.apply(prompt()))
        .expectNext(Part.text("ok").withRole("model"))
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
                    .hasMessageContaining("candidates"))
        .verify(TIMEOUT);
    StepVerifier.create(model.apply(prompt()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelProtocolException.class)
                    .hasMessageContaining("args"))
        .verify(TIMEOUT);
    StepVerifier.create(model.apply(prompt()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelProtocolException.class)
                    .hasMessageContaining("text/html"))
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void anErrorEventInsideTheStreamIsTyped() {
    server.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.textChunk("a"))
            .event(
                "{\"error\":{\"code\":400,\"message\":\"bad turn\",\"status\":\"INVALID_ARGUMENT\"}}")
            .build());

    StepVerifier.create(model(5).build().apply(prompt()))
        .expectNextCount(1)
        .expectErrorSatisfies(
            e -> assertThat(((ModelException) e).apiMessage()).isEqualTo("bad turn"))
        .verify(TIMEOUT);
  }

  @Test
  void aMissingKeyFailsAtSubscriptionNamingBothVariables() {
    GeminiModel model =
        GeminiModel.builder("gemini-2.5-flash")
            .baseUrl(server.uri().toString())
            .environment(name -> null)
            .build();

    StepVerifier.create(model.apply(Flux.never()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("GEMINI_API_KEY")
                    .hasMessageContaining("GOOGLE_API_KEY"))
        .verify(TIMEOUT);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void theKeyComesFromTheEnvironment() {
    server.close();
    server = GeminiApiEmulator.builder().acceptAnyApiKey().build().start();
    server.enqueue(GeminiApiEmulator.text("a"));
    server.enqueue(GeminiApiEmulator.text("b"));
    Map<String, String> env = Map.of("GEMINI_API_KEY", "from-gemini-var");
    GeminiModel.builder("m")
        .baseUrl(server.uri().toString())
        .environment(env::get)
        .build()
        .apply(prompt())
        .blockLast(TIMEOUT);
    Map<String, String> both =
        Map.of("GEMINI_API_KEY", "from-gemini-var", "GOOGLE_API_KEY", "from-google-var");
    GeminiModel.builder("m")
        .baseUrl(server.uri().toString())
        .environment(both::get)
        .build()
        .apply(prompt())
        .blockLast(TIMEOUT);

    assertThat(server.takeRequest(TIMEOUT).header("x-goog-api-key")).isEqualTo("from-gemini-var");
    assertThat(server.takeRequest(TIMEOUT).header("x-goog-api-key")).isEqualTo("from-google-var");
  }

  @Test
  void theKeyNeverShowsInErrorsOrToString() {
    String echo = "API key " + SECRET + " not valid.";
    List<ScriptedResponse> failures =
        List.of(
            GeminiApiEmulator.badApiKey(),
            GeminiApiEmulator.error(400, "INVALID_ARGUMENT", echo),
            GeminiApiEmulator.error(401, "UNAUTHENTICATED", echo),
            GeminiApiEmulator.error(403, "PERMISSION_DENIED", echo),
            GeminiApiEmulator.error(404, "NOT_FOUND", echo),
            GeminiApiEmulator.error(429, "RESOURCE_EXHAUSTED", echo),
            GeminiApiEmulator.error(503, "UNAVAILABLE", echo),
            ScriptedResponse.json(500, "<html>" + SECRET + "</html>"),
            ScriptedResponse.builder().event("{broken " + SECRET).build(),
            ScriptedResponse.builder()
                .event("{\"error\":{\"code\":500,\"message\":\"" + SECRET + "\"}}")
                .build(),
            ScriptedResponse.builder().header("content-type", "text/plain").raw(SECRET).build(),
            ScriptedResponse.builder()
                .event(GeminiApiEmulator.textChunk("x"))
                .cutConnection()
                .build());
    GeminiModel model = model(1).build();
    for (ScriptedResponse failure : failures) {
      server.enqueue(failure);
      Throwable error =
          model
              .apply(prompt())
              .then()
              .onErrorResume(e -> reactor.core.publisher.Mono.error(e))
              .materialize()
              .block(TIMEOUT)
              .getThrowable();
      assertThat(error).as(failure.toString()).isNotNull();
      for (Throwable t = error; t != null; t = t.getCause()) {
        assertThat(t.getMessage()).as(failure.toString()).doesNotContain(SECRET);
        assertThat(t.toString()).doesNotContain(SECRET);
      }
    }
    assertThat(model.toString()).doesNotContain(SECRET).contains("gemini-2.5-flash");
    assertThat(model.toBuilder().toString()).doesNotContain(SECRET);
    RecordedRequest sent = server.takeRequest(TIMEOUT);
    assertThat(sent.header("x-goog-api-key")).isEqualTo(SECRET);
    assertThat(sent.toString()).doesNotContain(SECRET);
  }

  @Test
  void buildersValidateAtOnce() {
    assertThatThrownBy(() -> GeminiModel.builder("bad model"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GeminiModel.builder("m").baseUrl("ftp://x"))
        .hasMessageContaining("http");
    assertThatThrownBy(() -> GeminiModel.builder("m").baseUrl("https://h/?key=1"))
        .hasMessageContaining("query");
    assertThatThrownBy(() -> GeminiModel.builder("m").apiKey(" ")).hasMessageContaining("blank");
    assertThatThrownBy(() -> GeminiModel.builder("m").readTimeout(Duration.ZERO))
        .hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> GeminiModel.builder("m").maxPromptParts(0))
        .hasMessageContaining("maxPromptParts");
  }

  @Test
  void theEmulatorRejectsWhatTheRealApiWould() {
    StepVerifier.create(
            GeminiModel.builder("m")
                .baseUrl(server.uri().toString())
                .apiKey("wrong-key")
                .build()
                .apply(prompt()))
        .expectErrorSatisfies(
            e ->
                assertThat(((ModelException) e).kind())
                    .isEqualTo(ModelException.Kind.AUTHENTICATION))
        .verify(TIMEOUT);
    assertThat(WireJson.tryParse("{")).isNull();
  }
}
