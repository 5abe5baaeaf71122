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
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The reconnect budget is used by connections that end before the server said anything of substance. */
class GeminiLiveReconnectBudgetTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  GeminiLiveEmulator server;
  Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  GeminiLiveProcessor live() {
    return GeminiLiveProcessor.builder()
        .uri(server.uri())
        .apiKey(server.apiKey())
        .model("gemini-live-2.5-flash-preview")
        .reconnect(3, Duration.ofMillis(5))
        .build();
  }

  @Test
  void aServerThatAcceptsTheSetupThenAlwaysDropsEndsTheSessionAfterTheBudget() {
    server.enqueue(Script.builder().setupReply(Reply.setupComplete(), Fault.drop()).build());
    StepVerifier.create(
            live().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)).then())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("3 reconnect attempts")
                    .hasMessageContaining("made no progress")
                    .hasMessageContaining("connection 1: connection lost (1006 no close frame)")
                    .hasMessageContaining("connection 4: connection lost (1006 no close frame)"))
        .verify(WAIT);
    assertThat(server.connectionCount()).as("the first connection and 3 reconnects").isEqualTo(4);
  }

  @Test
  void aCleanCloseWithoutProgressAlsoUsesTheBudget() {
    server.enqueue(
        Script.builder().setupReply(Reply.setupComplete(), Fault.close(1000, "")).build());
    StepVerifier.create(live().apply(input.asFlux()).then())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("3 reconnect attempts")
                    .hasMessageContaining("closed before any progress"))
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(4);
  }

  @Test
  void progressBetweenDropsRestoresTheBudget() {
    // 5 turns, each cut by a drop after its content: 5 reconnects, more than the budget of 3, each
    // after progress.
    Script.Builder script = Script.builder();
    for (int i = 0; i < 5; i++) {
      script.turn(Reply.text("t" + i), Reply.turnComplete(), Fault.drop());
    }
    server.enqueue(script.turn(Reply.text("last"), Reply.turnComplete()).build());
    var steps =
        StepVerifier.create(
                live().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)))
            .expectNextMatches(GeminiLiveParts::isResumptionUpdate);
    for (int i = 0; i < 5; i++) {
      String said = String.valueOf(i);
      steps =
          steps
              .then(() -> input.tryEmitNext(Part.text(said)))
              .expectNext(Part.text("t" + i).withRole("model"))
              .expectNextMatches(Part::isEndOfTurn)
              .expectNextMatches(GeminiLiveParts::isResumptionUpdate) // after turnComplete
              .expectNextMatches(
                  GeminiLiveParts::isResumptionUpdate); // setupComplete of the next connection
    }
    steps
        .then(() -> input.tryEmitNext(Part.text("5")))
        .expectNext(Part.text("last").withRole("model"))
        .thenCancel()
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(6);
  }

  @Test
  void underVirtualTimeTheBudgetIsSpentOnlyAsTheInjectedClockMoves() throws Exception {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    server.enqueue(Script.builder().setupReply(Reply.setupComplete(), Fault.drop()).build());
    GeminiLiveProcessor processor =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model("gemini-live-2.5-flash-preview")
            .scheduler(clock)
            .reconnect(3, Duration.ofMinutes(1))
            .setupTimeout(Duration.ofDays(1))
            .keepAlive(Duration.ZERO)
            .build();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Disposable session = processor.apply(input.asFlux()).subscribe(p -> {}, error::set);
    try {
      assertThat(server.takeMessage("setup", WAIT)).isNotNull();
      // Minutes of backoff never pass in real time: without moving the clock there is no second
      // connection.
      assertThat(server.takeMessage("setup", Duration.ofMillis(300))).isNull();
      for (int i = 0; i < 200 && error.get() == null; i++) {
        clock.advanceTimeBy(Duration.ofMinutes(1));
        server.takeMessage(
            "setup", Duration.ofMillis(20)); // real time for the socket work between moves
      }
      assertThat(error.get())
          .isInstanceOf(ModelException.class)
          .hasMessageContaining("3 reconnect attempts");
      assertThat(server.connectionCount()).isEqualTo(4);
    } finally {
      session.dispose();
    }
  }

  @Test
  void goAwayRotationsOfConnectionsOpenAMinuteOrMoreUseNoAttemptEvenWithoutProgress()
      throws Exception {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    // Every connection: set up, then a goAway a real second later, with nothing of substance said.
    server.enqueue(
        Script.builder()
            .setupReply(
                Reply.setupComplete(),
                Reply.delay(Duration.ofSeconds(1)),
                Fault.goAway(Duration.ofMinutes(1)))
            .build());
    GeminiLiveProcessor processor =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model("gemini-live-2.5-flash-preview")
            .scheduler(clock)
            .reconnect(2, Duration.ofMillis(5))
            .setupTimeout(Duration.ofDays(1))
            .keepAlive(Duration.ZERO)
            .build();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Disposable session = processor.apply(input.asFlux()).subscribe(p -> {}, error::set);
    try {
      for (int connection = 1; connection <= 6; connection++) {
        assertThat(server.takeMessage("setup", WAIT))
            .as("the setup of connection %d", connection)
            .isNotNull();
        // Two minutes of the session's clock pass before this connection's goAway arrives.
        clock.advanceTimeBy(Duration.ofMinutes(2));
      }
      assertThat(error.get()).as("6 rotations without progress, on a budget of 2").isNull();
    } finally {
      session.dispose();
    }
  }

  @Test
  void goAwayRightAfterEverySetupStillUsesTheBudget() {
    server.enqueue(
        Script.builder()
            .setupReply(Reply.setupComplete(), Fault.goAway(Duration.ofMinutes(1)))
            .build());
    StepVerifier.create(live().apply(input.asFlux()).then())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("3 reconnect attempts")
                    .hasMessageContaining("switched after goAway before any progress"))
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(4);
  }
}
