package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.is;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveParts.SessionEvent;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A turn of the conversation whose {@code response.create} was sent and not answered ({@code response.created}
 * not come) when the session expires: the continuation asks the new session for it after the history, once,
 * so the turn is answered there. An answer already created and cut by the expiry is not asked for again.
 */
class OpenAiRealtimeExpiryUnansweredTurnTest {
  OpenAiRealtimeEmulator server;

  /** The emulator's timers: the session's expiry. */
  VirtualTimeScheduler emulatorClock;

  @BeforeEach
  void start() {
    emulatorClock = VirtualTimeScheduler.create();
    server = RealtimeTestSupport.expiringAfterAnHour(emulatorClock);
  }

  @AfterEach
  void stop() {
    server.close();
    emulatorClock.dispose();
  }

  /** Waits until the emulator has received a client event of this type. */
  void awaitReceived(String type) {
    try {
      RealtimeTestSupport.take(server, type);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The client events of the second connection, in the order they came. */
  List<ClientMessage> secondConnection() throws InterruptedException {
    List<ClientMessage> second = new ArrayList<>();
    for (ClientMessage m; (m = server.takeMessage(Duration.ofMillis(200))) != null; ) {
      if (m.connection() == 2) {
        second.add(m);
      }
    }
    return second;
  }

  @Test
  void aTurnAskedForAndNotCreatedAtExpiryIsAnsweredOnceInTheNewSessionAfterItsHistory()
      throws Exception {
    server.enqueue(
        Script.builder()
            // The server stalls: this response.create is taken and never answered before the
            // expiry.
            .on("response.create")
            .on("response.create", Reply.response(Output.text("Once upon a time")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(
            builder(server).textOutput(true).continueOnExpiry(1, 10).build().apply(input.asFlux()))
        .then(
            () -> {
              // One task: the first connection gives no part before the expiry, and the verifier
              // runs the next task only on a signal.
              input.tryEmitNext(Part.text("Tell me a story"));
              awaitReceived("response.create"); // sent: the expiry comes before its answer
              emulatorClock.advanceTimeBy(Duration.ofMinutes(60));
            })
        .recordWith(() -> parts)
        // Nothing was created, so nothing is cut between the expiry and the new session.
        .expectNextMatches(p -> is(p, SessionEvent.EXPIRED))
        .expectNextMatches(p -> is(p, SessionEvent.CONTINUED))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);

    Part continued =
        parts.stream().filter(p -> is(p, SessionEvent.CONTINUED)).findFirst().orElseThrow();
    List<Part> answer = parts.subList(parts.indexOf(continued) + 1, parts.size());
    assertThat(RealtimeTestSupport.modelText(answer)).isEqualTo("Once upon a time");
    assertThat(answer.stream().map(RealtimeTestSupport::kind).toList())
        .containsSubsequence("text", "generation_complete", "end_of_turn");
    assertThat(answer).noneMatch(Part::isInterrupted);
    assertThat(answer.get(answer.size() - 1).metadata(RealtimeParts.INTERRUPTION_REASON)).isNull();
    assertThat(server.connectionCount()).isEqualTo(2);

    // The new session: its settings, the history with the user's turn, then one response.create.
    List<ClientMessage> second = secondConnection();
    assertThat(second)
        .extracting(ClientMessage::type)
        .containsExactly("session.update", "conversation.item.create", "response.create");
    assertThat(second.get(1).json().at("/item/role").asString()).isEqualTo("user");
    assertThat(second.get(1).json().at("/item/content/0/text").asString())
        .isEqualTo("Tell me a story");
    server.assertScriptUsedUp();
  }

  @Test
  void anAnswerCreatedAndCutByTheExpiryIsNotAskedForAgain() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.text("Once upon a time")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(
            builder(server).textOutput(true).continueOnExpiry(1, 10).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Tell me a story")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isText() || !"model".equals(p.role()))
        .expectNextMatches(Part::isText) // the answer was created: some of it is out
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofMinutes(60)))
        .thenConsumeWhile(p -> !is(p, SessionEvent.CONTINUED))
        .expectNextMatches(p -> is(p, SessionEvent.CONTINUED))
        .then(input::tryEmitComplete)
        // Nothing is asked for in the new session: the output ends once the input has.
        .expectComplete()
        .verify(WAIT);

    Part expired =
        parts.stream().filter(p -> is(p, SessionEvent.EXPIRED)).findFirst().orElseThrow();
    assertThat(parts.subList(parts.indexOf(expired) + 1, parts.size()))
        .extracting(RealtimeTestSupport::kind)
        .containsExactly("interrupted", "end_of_turn", "session_continued");
    assertThat(server.connectionCount()).isEqualTo(2);
    assertThat(secondConnection())
        .extracting(ClientMessage::type)
        .containsExactly("session.update", "conversation.item.create");
    server.assertScriptUsedUp();
  }
}
