package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.testkit.gemini.Fault;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A server that stops answering, pongs included, is noticed within 2 keep-alive periods. */
class GeminiLiveDeadPeerTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  GeminiLiveEmulator server;
  Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
    server.enqueue(Script.builder().setupReply(Reply.setupComplete(), Fault.silence()).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  GeminiLiveProcessor.Builder live() {
    return GeminiLiveProcessor.builder()
        .uri(server.uri())
        .apiKey(server.apiKey())
        .model("gemini-live-2.5-flash-preview");
  }

  @Test
  void aSilentServerWithoutHandleFailsWithATypedErrorAfterTwoSilentPeriodsOfTheInjectedClock()
      throws Exception {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Sinks.One<Part> sessionId = Sinks.one();
    Disposable session =
        live()
            .scheduler(clock)
            .sessionResumption(false)
            .keepAlive(Duration.ofMinutes(1))
            .setupTimeout(Duration.ofDays(1))
            .build()
            .apply(input.asFlux())
            .subscribe(p -> sessionId.tryEmitValue(p), error::set);
    try {
      assertThat(sessionId.asMono().block(WAIT)).matches(GeminiLiveParts::isSessionId);
      // A tick runs in turn with the session's tasks, possibly on the socket's thread after
      // advanceTimeBy returned; each waits until the tick's ping is out (the next tick is armed
      // before it), so the next advance finds the next tick due.
      clock.advanceTimeBy(Duration.ofMinutes(1)); // the setupComplete was heard: a ping
      awaitPings(1);
      clock.advanceTimeBy(Duration.ofMinutes(1)); // one silent period
      awaitPings(2);
      assertThat(error.get()).isNull();
      clock.advanceTimeBy(Duration.ofMinutes(1)); // two: dead
      StepVerifier.create(
              Mono.fromCallable(error::get)
                  .repeatWhenEmpty(500, f -> f.delayElements(Duration.ofMillis(20))))
          .assertNext(
              e ->
                  assertThat(e)
                      .isInstanceOf(ModelException.class)
                      .hasMessageContaining("not even a pong")
                      .hasMessageContaining("2 keep-alive periods of PT1M")
                      .hasMessageContaining("session resumption is off"))
          .verifyComplete();
      assertThat(server.pingCount()).isGreaterThanOrEqualTo(2);
      assertThat(server.connectionCount()).isEqualTo(1);
    } finally {
      session.dispose();
    }
  }

  /** Waits, within {@link #WAIT}, until the emulator has counted this many pings. */
  void awaitPings(int pings) {
    StepVerifier.create(
            Mono.fromCallable(server::pingCount)
                .filter(n -> n >= pings)
                .repeatWhenEmpty(500, f -> f.delayElements(Duration.ofMillis(20))))
        .expectNextCount(1)
        .verifyComplete();
  }

  @Test
  void aSilentServerWithAHandleIsResumedUntilTheBudgetIsSpent() {
    StepVerifier.create(
            live()
                .keepAlive(Duration.ofMillis(50))
                .reconnect(2, Duration.ofMillis(5))
                .build()
                .apply(input.asFlux())
                .then())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("2 reconnect attempts")
                    .hasMessageContaining(
                        "connection 3: connection lost (1006 no answer from the server"))
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(3);
  }
}
