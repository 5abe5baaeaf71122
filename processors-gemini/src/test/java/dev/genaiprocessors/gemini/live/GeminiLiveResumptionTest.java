package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.ConnectionClose;
import dev.genaiprocessors.testkit.gemini.Fault;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Long sessions: goAway, drops and closes, with the newest resumption handle; what may and may not resume. */
class GeminiLiveResumptionTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Part A = Part.text("A").withRole("model");
  static final Part B = Part.text("B").withRole("model");
  static final Part END = Part.endOfTurn().withRole("model");

  GeminiLiveEmulator server;
  Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    VirtualTimeScheduler.reset();
  }

  GeminiLiveProcessor.Builder live() {
    return GeminiLiveProcessor.builder()
        .uri(server.uri())
        .apiKey(server.apiKey())
        .model("gemini-live-2.5-flash-preview")
        .reconnect(3, Duration.ofMillis(10));
  }

  static Predicate<Part> handle(String handle) {
    return p -> GeminiLiveParts.resumptionHandle(p).filter(handle::equals).isPresent();
  }

  static Predicate<Part> cut(String reason, Predicate<Part> kind) {
    return p ->
        kind.test(p) && reason.equals(p.metadata().get(GeminiLiveParts.INTERRUPTION_REASON));
  }

  ClientMessage take(String type) throws InterruptedException {
    ClientMessage m = server.takeMessage(type, WAIT);
    assertThat(m).as("a %s message", type).isNotNull();
    return m;
  }

  void assertResumedWith(String handle) throws InterruptedException {
    assertThat(take("setup").body().has("sessionResumption")).isTrue();
    assertThat(take("clientContent").connection()).isEqualTo(1);
    ClientMessage setup = take("setup");
    assertThat(setup.connection()).isEqualTo(2);
    assertThat(setup.body().path("sessionResumption").path("handle").asString()).isEqualTo(handle);
    ClientMessage two = take("clientContent");
    assertThat(two.connection()).isEqualTo(2);
    assertThat(two.body().at("/turns/0/parts/0/text").asString()).isEqualTo("two");
    assertThat(server.takeMessage(Duration.ofMillis(200))).as("nothing sent twice").isNull();
  }

  @Test
  void goAwayResumesOnANewSocketAfterClosingTheOldWithNothingLostOrDuplicated() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("A"), Reply.turnComplete(), Fault.goAway(Duration.ofSeconds(30)))
            .turn(Reply.text("B"), Reply.turnComplete())
            .build());
    StepVerifier.create(
            live().build().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)))
        .expectNextMatches(handle("handle-1-1"))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(A, END)
        .expectNextMatches(handle("handle-1-2"))
        .expectNextMatches(GeminiLiveParts::isGoAway)
        .then(() -> input.tryEmitNext(Part.text("two"))) // held while the socket is switched
        .expectNextMatches(handle("handle-1-3")) // setupComplete of the new socket
        .expectNext(B, END)
        .expectNextMatches(handle("handle-1-4"))
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertResumedWith("handle-1-2");
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, "reconnecting"));
    assertThat(server.takeClose(WAIT)).isEqualTo(new ConnectionClose(2, 1000, ""));
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void goAwayThenClose1011DeadlineExpiredResumes() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(
                Reply.text("A"),
                Fault.goAway(Duration.ofSeconds(30)),
                Fault.close(1011, Fault.DEADLINE_EXPIRED))
            .turn(Reply.text("B"), Reply.turnComplete())
            .build());
    StepVerifier.create(
            live().build().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)))
        .expectNextMatches(handle("handle-1-1"))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(
            A) // a turn under way: the client waits for its end, but the server closes first
        .expectNextMatches(GeminiLiveParts::isGoAway)
        .expectNextMatches(cut("connection lost", Part::isInterrupted)) // the cut turn ends visibly
        .expectNextMatches(cut("connection lost", Part::isEndOfTurn))
        .expectNextMatches(handle("handle-1-2"))
        .then(() -> input.tryEmitNext(Part.text("two")))
        .expectNext(B, END)
        .thenCancel()
        .verify(WAIT);
    assertResumedWith("handle-1-1");
  }

  @Test
  void afterGoAwayTheClientSwitchesBeforeTheDeadlineEvenMidTurn() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("A"), Fault.goAway(Duration.ofSeconds(1)), Reply.hold())
            .build());
    StepVerifier.create(
            live().build().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)))
        .expectNextMatches(handle("handle-1-1"))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(A)
        .expectNextMatches(GeminiLiveParts::isGoAway)
        .expectNextMatches(cut("connection switched after goAway", Part::isInterrupted))
        .expectNextMatches(cut("connection switched after goAway", Part::isEndOfTurn))
        .expectNextMatches(handle("handle-1-2")) // the new socket, opened at half the time left
        .thenCancel()
        .verify(WAIT);
    assertThat(server.takeClose(WAIT))
        .isEqualTo(new ConnectionClose(1, 1000, "reconnecting")); // not the server's 1011
  }

  @Test
  void aDropWithoutCloseFrameResumes() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("A"), Reply.turnComplete(), Fault.drop())
            .turn(Reply.text("B"), Reply.turnComplete())
            .build());
    StepVerifier.create(
            live().build().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)))
        .expectNextMatches(handle("handle-1-1"))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(A, END)
        .expectNextMatches(handle("handle-1-2"))
        .expectNextMatches(handle("handle-1-3")) // resumed
        .then(() -> input.tryEmitNext(Part.text("two")))
        .expectNext(B, END)
        .thenCancel()
        .verify(WAIT);
    assertResumedWith("handle-1-2");
  }

  @Test
  void theFirstSetupIsTheStartedSessionEventAndAResumedConnectionTheResumedOne() throws Exception {
    server.enqueue(
        Script.builder()
            .turn(Reply.text("A"), Reply.turnComplete(), Fault.drop())
            .turn(Reply.text("B"), Reply.turnComplete())
            .build());
    Predicate<Part> started =
        p ->
            LiveParts.sessionEventOf(p)
                .filter(e -> e == LiveParts.SessionEvent.STARTED)
                .isPresent();
    Predicate<Part> resumed =
        p ->
            LiveParts.sessionEventOf(p)
                .filter(e -> e == LiveParts.SessionEvent.RESUMED)
                .isPresent();
    StepVerifier.create(
            live()
                .build()
                .apply(input.asFlux())
                .filter(p -> LiveParts.sessionEventOf(p).isPresent() || p.equals(B)))
        .expectNextMatches(started)
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNextMatches(resumed) // after the drop, on the new connection
        .then(() -> input.tryEmitNext(Part.text("two")))
        .expectNext(B)
        .thenCancel()
        .verify(WAIT);
  }

  @Test
  void theReconnectBackoffRunsOnTheInjectedScheduler() throws Exception {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    server.enqueue(
        Script.builder().turn(Reply.text("A"), Reply.turnComplete(), Fault.drop()).build());
    GeminiLiveProcessor processor =
        live()
            .scheduler(clock)
            .reconnect(3, Duration.ofMinutes(1))
            .setupTimeout(Duration.ofDays(1))
            .keepAlive(Duration.ZERO)
            .build();
    List<Part> out = new CopyOnWriteArrayList<>();
    Disposable session = processor.apply(input.asFlux()).subscribe(out::add);
    try {
      input.tryEmitNext(Part.text("one"));
      take("setup");
      take("clientContent");
      // A minute of backoff never passes in real time: only moving the virtual clock reconnects.
      ClientMessage resumed = null;
      for (int i = 0; i < 100 && resumed == null; i++) {
        resumed = server.takeMessage("setup", Duration.ofMillis(50));
        clock.advanceTimeBy(Duration.ofSeconds(30));
      }
      assertThat(resumed).isNotNull();
      assertThat(resumed.connection()).isEqualTo(2);
      assertThat(resumed.body().at("/sessionResumption/handle").asString()).isEqualTo("handle-1-2");
      assertThat(out).contains(A, END);
    } finally {
      session.dispose();
    }
  }

  @Test
  void aClose1011WithoutGoAwayIsNotResumable() {
    server.enqueue(
        Script.builder()
            .turn(
                Reply.text("A"),
                Reply.turnComplete(),
                Fault.close(1011, "The service is currently unavailable."))
            .build());
    StepVerifier.create(
            live()
                .build()
                .apply(input.asFlux())
                .filter(
                    p -> !GeminiLiveParts.isResumptionUpdate(p) && !GeminiLiveParts.isSessionId(p)))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(A, END)
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(ModelException.class);
              assertThat(((ModelException) e).closeCode()).isEqualTo(1011);
              assertThat(((ModelException) e).closeReason())
                  .isEqualTo("The service is currently unavailable.");
            })
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void aDropWithResumptionOffIsAnError() {
    server.enqueue(
        Script.builder().turn(Reply.text("A"), Reply.turnComplete(), Fault.drop()).build());
    StepVerifier.create(
            live()
                .sessionResumption(false)
                .build()
                .apply(input.asFlux())
                .filter(p -> !GeminiLiveParts.isSessionId(p)))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(A, END)
        .expectErrorSatisfies(
            e -> {
              assertThat(((ModelException) e).closeCode()).isEqualTo(1006);
              assertThat(e.getMessage()).contains("session resumption is off");
            })
        .verify(WAIT);
  }

  @Test
  void reconnectingGivesUpAfterTheAttemptsInARow() {
    server.enqueue(
        Script.builder().turn(Reply.text("A"), Reply.turnComplete()).turn(Fault.drop()).build());
    StepVerifier.create(
            live()
                .reconnect(2, Duration.ofMillis(5))
                .build()
                .apply(input.asFlux())
                .filter(
                    p -> !GeminiLiveParts.isResumptionUpdate(p) && !GeminiLiveParts.isSessionId(p)))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(A, END)
        .then(
            () -> {
              server.enqueue(
                  Script.builder().setupReply(Fault.drop()).build()); // every reconnect drops too
              input.tryEmitNext(Part.text("two"));
            })
        .expectNextMatches(
            cut("connection lost", Part::isInterrupted)) // the awaited answer to "two" is cut
        .expectNextMatches(cut("connection lost", Part::isEndOfTurn))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(ModelException.class)
                  .hasMessageContaining("2 reconnect attempts");
              assertThat(((ModelException) e).closeCode()).isEqualTo(1006);
            })
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(3);
  }

  @Test
  void pongsSlowerThanAPeriodButWithinTheDeadPeerWindowAreNotFailures() throws Exception {
    server.close();
    server = GeminiLiveEmulator.builder().pongDelay(Duration.ofMillis(300)).build().start();
    server.enqueue(
        Script.builder()
            .turn(Reply.text("A"), Reply.turnComplete())
            .turn(Reply.text("B"), Reply.turnComplete())
            .build());
    StepVerifier.create(
            live()
                .keepAlive(Duration.ofMillis(200))
                .build()
                .apply(input.asFlux())
                .filter(
                    p -> !GeminiLiveParts.isResumptionUpdate(p) && !GeminiLiveParts.isSessionId(p)))
        .then(() -> input.tryEmitNext(Part.text("one")))
        .expectNext(A, END)
        // Ten pings, each pong 1.5 periods late: 100 ms of slack per pong on the real clock.
        .expectNoEvent(Duration.ofSeconds(2))
        .then(() -> input.tryEmitNext(Part.text("two")))
        .expectNext(B, END)
        .thenCancel()
        .verify(WAIT);
    assertThat(server.pingCount()).isGreaterThanOrEqualTo(5);
    assertThat(server.connectionCount()).isEqualTo(1);
  }
}
