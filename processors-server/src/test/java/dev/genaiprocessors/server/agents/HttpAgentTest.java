package dev.genaiprocessors.server.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.agents.AgentResult;
import dev.genaiprocessors.live.agents.AgentTask;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The HTTP agent contract against a real server on 127.0.0.1; its timeouts and backoff on virtual time. */
class HttpAgentTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final JsonMapper JSON = JsonMapper.builder().build();

  record Seen(String path, String body, String key) {}

  final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  final AtomicInteger flaky = new AtomicInteger();
  final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  /** Released each time a timer shorter than a second is armed on the clock: a retry's backoff. */
  final Semaphore backoffArmed = new Semaphore(0);

  /**
   * The agent's clock: {@link #clock}, telling the test when a backoff is armed. The backoff is armed
   * on the client's thread once it has read the retryable answer, which may be after the test saw
   * the request; advancing before that would leave it due a whole advance later.
   */
  final Scheduler agentClock =
      new Scheduler() {
        @Override
        public Disposable schedule(Runnable task) {
          return clock.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
          Disposable armed = clock.schedule(task, delay, unit);
          if (delay > 0 && unit.toMillis(delay) < 1_000) {
            backoffArmed.release();
          }
          return armed;
        }

        @Override
        public long now(TimeUnit unit) {
          return clock.now(unit);
        }

        @Override
        public Worker createWorker() {
          return clock.createWorker();
        }
      };

  final DisposableServer server =
      HttpServer.create()
          .host("127.0.0.1")
          .port(0)
          .route(
              r ->
                  r.post(
                      "/{path}",
                      (req, res) ->
                          req.receive()
                              .aggregate()
                              .asString()
                              .defaultIfEmpty("")
                              .flatMap(
                                  body -> {
                                    String path = req.param("path");
                                    seen.add(
                                        new Seen(
                                            path,
                                            body,
                                            req.requestHeaders().get("Idempotency-Key")));
                                    return switch (path) {
                                      case "ok" ->
                                          res.header("Content-Type", "application/json")
                                              .sendString(
                                                  Mono.just(
                                                      "{\"status\":\"completed\",\"results\":[{\"action\":\"email_sent\",\"to\":\"bob\"}],"
                                                          + "\"timestamp\":\"2026-12-07T20:00:00Z\"}"))
                                              .then();
                                      case "seconds" ->
                                          res.sendString(
                                                  Mono.just(
                                                      "{\"status\":\"completed\",\"results\":[],\"timestamp\":1765137600.5}"))
                                              .then();
                                      case "bad-json" ->
                                          res.sendString(Mono.just("{\"status\": completed"))
                                              .then();
                                      case "no-results" ->
                                          res.sendString(
                                                  Mono.just(
                                                      "{\"status\":\"completed\",\"timestamp\":1}"))
                                              .then();
                                      case "flaky" ->
                                          flaky.getAndIncrement() == 0
                                              ? res.status(503).sendString(Mono.just("busy")).then()
                                              : res.sendString(
                                                      Mono.just(
                                                          "{\"status\":\"completed\",\"results\":[{\"action\":\"calendar_updated\"}],\"timestamp\":0}"))
                                                  .then();
                                      case "refuse" ->
                                          res.status(400)
                                              .sendString(Mono.just("no such tool"))
                                              .then();
                                      case "large" ->
                                          res.sendString(Mono.just("x".repeat(5_000))).then();
                                      default -> Mono.never(); // "never": the server never answers
                                    };
                                  })))
          .bindNow();

  @AfterEach
  void stop() {
    server.disposeNow();
    clock.dispose();
  }

  HttpAgent.Builder agent(String path) {
    return HttpAgent.builder(URI.create("http://127.0.0.1:" + server.port() + "/" + path))
        .scheduler(agentClock);
  }

  static AgentTask task(Part call) {
    return new AgentTask(
        "conv-7",
        2,
        "t3",
        List.of(
            Part.text("Email Bob that I am late").withRole("user"),
            Part.text("Sure.").withRole("model")),
        call);
  }

  Seen next() throws InterruptedException {
    Seen s = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(s).as("a request within %s", WAIT).isNotNull();
    return s;
  }

  @Test
  void postsTheHistoryWithItsIdsAndReadsTheResult() throws Exception {
    Part call =
        Part.functionCall(
            "call-1", "send_email", JsonNodeFactory.instance.objectNode().put("to", "bob"));
    AgentResult r = agent("ok").build().run(task(call)).block(WAIT);

    assertThat(r.status()).isEqualTo("completed");
    assertThat(r.results())
        .singleElement()
        .satisfies(a -> assertThat(a.get("action").asString()).isEqualTo("email_sent"));
    assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-12-07T20:00:00Z"));
    Seen s = next();
    assertThat(s.key()).isEqualTo("conv-7:t3");
    JsonNode body = JSON.readTree(s.body());
    assertThat(body.get("conversation_id").asString()).isEqualTo("conv-7");
    assertThat(body.get("turn_id").asLong()).isEqualTo(2);
    assertThat(body.get("task_id").asString()).isEqualTo("t3");
    assertThat(body.at("/history/0/role").asString()).isEqualTo("user");
    assertThat(body.at("/history/0/content").asString()).isEqualTo("Email Bob that I am late");
    assertThat(body.at("/history/1/role").asString()).isEqualTo("model");
    assertThat(body.at("/tool/name").asString()).isEqualTo("send_email");
    assertThat(body.at("/tool/arguments/to").asString()).isEqualTo("bob");

    AgentResult seconds = agent("seconds").build().run(task(null)).block(WAIT);
    assertThat(seconds.timestamp()).isEqualTo(Instant.ofEpochMilli(1_765_137_600_500L));
    assertThat(JSON.readTree(next().body()).has("tool")).isFalse();
  }

  @Test
  void badJsonFailsAtOnceWithWhatWasWrong() throws Exception {
    assertThatThrownBy(() -> agent("bad-json").build().run(task(null)).block(WAIT))
        .isInstanceOf(AgentCallException.class)
        .hasMessageContaining("not a JSON object")
        .hasMessageContaining("{\"status\": completed")
        .satisfies(e -> assertThat(((AgentCallException) e).retryable()).isFalse());
    assertThatThrownBy(() -> agent("no-results").build().run(task(null)).block(WAIT))
        .hasMessageContaining("no \"results\" array");
    next();
    next();
    assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).as("not retried").isNull();
  }

  @Test
  void aStatusThatIsNotRetryableFailsAtOnce() throws Exception {
    assertThatThrownBy(() -> agent("refuse").build().run(task(null)).block(WAIT))
        .isInstanceOf(AgentCallException.class)
        .hasMessageContaining("HTTP 400 (not retried): no such tool")
        .satisfies(e -> assertThat(((AgentCallException) e).statusCode()).isEqualTo(400));
    next();
    assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aRetryableStatusIsTriedAgainAfterTheBackoff() throws Exception {
    StepVerifier.create(agent("flaky").build().run(task(null)))
        .then(this::awaitRequest)
        .then(this::awaitBackoffArmed)
        .then(() -> assertThat(seen).as("no retry before the backoff").isEmpty())
        .then(
            () ->
                clock.advanceTimeBy(Duration.ofMillis(750))) // 500 ms plus at most 250 ms of jitter
        .assertNext(
            r ->
                assertThat(r.results().get(0).get("action").asString())
                    .isEqualTo("calendar_updated"))
        .expectComplete()
        .verify(WAIT);
    assertThat(next().key()).isEqualTo("conv-7:t3"); // the retry carries the same key
  }

  @Test
  void aServerThatNeverAnswersTimesOutEachAttemptThenFails() throws Exception {
    StepVerifier.create(
            agent("never")
                .attemptTimeout(Duration.ofSeconds(5))
                .retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(2)
                        .initialBackoff(Duration.ofSeconds(1))
                        .jitter(Duration.ZERO)
                        .build())
                .build()
                .run(task(null)))
        .then(this::awaitRequest)
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(5))) // attempt 1 times out
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(1))) // the backoff
        .then(this::awaitRequest)
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(5))) // attempt 2 times out
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(AgentCallException.class)
                    .hasMessageContaining("did not answer within 5000 ms")
                    .hasMessageContaining("gave up after 2 attempts"))
        .verify(WAIT);
  }

  @Test
  void aTooLargeAnswerFails() {
    assertThatThrownBy(
            () -> agent("large").maxResponseBytes(1_000).build().run(task(null)).block(WAIT))
        .isInstanceOf(AgentCallException.class)
        .hasMessageContaining("more than 1000 bytes");
  }

  @Test
  void aRefusedConnectionIsRetryable() {
    DisposableServer gone = HttpServer.create().host("127.0.0.1").port(0).bindNow();
    int port = gone.port();
    gone.disposeNow();
    assertThatThrownBy(
            () ->
                HttpAgent.builder(URI.create("http://127.0.0.1:" + port + "/agent"))
                    .retryPolicy(RetryPolicy.none())
                    .build()
                    .run(task(null))
                    .block(WAIT))
        .isInstanceOf(AgentCallException.class)
        .hasMessageContaining("http://127.0.0.1:" + port + "/agent")
        .satisfies(e -> assertThat(((AgentCallException) e).retryable()).isTrue());
  }

  @Test
  void onlyHttpAddressesAreTaken() {
    assertThatThrownBy(() -> HttpAgent.builder(URI.create("ftp://127.0.0.1/agent")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://127.0.0.1:8090/agent");
    assertThatThrownBy(() -> HttpAgent.builder(URI.create("http://user:pw@127.0.0.1:1/agent")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("pw");
  }

  /** Waits until the retry's backoff timer is on the clock, so that moving the clock reaches it. */
  void awaitBackoffArmed() {
    try {
      assertThat(backoffArmed.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("the backoff armed after the retryable answer")
          .isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  void awaitRequest() {
    try {
      next();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
