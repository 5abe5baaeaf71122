package dev.genaiprocessors.live.geminilive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.emulator.Fault;
import dev.genaiprocessors.live.emulator.GeminiLiveEmulator;
import dev.genaiprocessors.live.emulator.Reply;
import dev.genaiprocessors.live.emulator.Script;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

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
    return GeminiLiveProcessor.builder().uri(server.uri()).apiKey(server.apiKey()).model("gemini-live-2.5-flash-preview")
        .reconnect(3, Duration.ofMillis(5)).build();
  }

  @Test
  void aServerThatAcceptsTheSetupThenAlwaysDropsEndsTheSessionAfterTheBudget() {
    server.enqueue(Script.builder().setupReply(Reply.setupComplete(), Fault.drop()).build());
    StepVerifier.create(live().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)).then())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LiveSessionException.class)
            .hasMessageContaining("3 reconnect attempts")
            .hasMessageContaining("made no progress")
            .hasMessageContaining("connection 1: connection lost (1006 no close frame)")
            .hasMessageContaining("connection 4: connection lost (1006 no close frame)"))
        .verify(WAIT);
    assertThat(server.connectionCount()).as("the first connection and 3 reconnects").isEqualTo(4);
  }

  @Test
  void aCleanCloseWithoutProgressAlsoUsesTheBudget() {
    server.enqueue(Script.builder().setupReply(Reply.setupComplete(), Fault.close(1000, "")).build());
    StepVerifier.create(live().apply(input.asFlux()).then())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LiveSessionException.class)
            .hasMessageContaining("3 reconnect attempts")
            .hasMessageContaining("closed before any progress"))
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(4);
  }

  @Test
  void progressBetweenDropsRestoresTheBudget() {
    // 5 turns, each cut by a drop after its content: 5 reconnects, more than the budget of 3, each after progress.
    Script.Builder script = Script.builder();
    for (int i = 0; i < 5; i++) {
      script.turn(Reply.text("t" + i), Reply.turnComplete(), Fault.drop());
    }
    server.enqueue(script.turn(Reply.text("last"), Reply.turnComplete()).build());
    var steps = StepVerifier.create(live().apply(input.asFlux()).filter(p -> !GeminiLiveParts.isSessionId(p)))
        .expectNextMatches(GeminiLiveParts::isResumptionUpdate);
    for (int i = 0; i < 5; i++) {
      String said = String.valueOf(i);
      steps = steps.then(() -> input.tryEmitNext(Part.text(said)))
          .expectNext(Part.text("t" + i).withRole("model"))
          .expectNextMatches(Part::isEndOfTurn)
          .expectNextMatches(GeminiLiveParts::isResumptionUpdate)  // after turnComplete
          .expectNextMatches(GeminiLiveParts::isResumptionUpdate); // setupComplete of the next connection
    }
    steps.then(() -> input.tryEmitNext(Part.text("5")))
        .expectNext(Part.text("last").withRole("model"))
        .thenCancel()
        .verify(WAIT);
    assertThat(server.connectionCount()).isEqualTo(6);
  }
}
