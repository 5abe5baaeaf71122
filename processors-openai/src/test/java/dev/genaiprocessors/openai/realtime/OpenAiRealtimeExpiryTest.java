package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.is;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelConnectionException;
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

/** The server's session limit: expiry, and continuation in a new session seeded with the transcript. */
class OpenAiRealtimeExpiryTest {
  OpenAiRealtimeEmulator server;
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

  void awaitAppend() {
    try {
      RealtimeTestSupport.take(server, "input_audio_buffer.append");
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anExpiredSessionContinuesInANewOneSeededWithTheConversationWhenOptedIn() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.response(Output.text("Hello Ann")))
            .on("response.create", Reply.response(Output.text("Your name is Ann")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(
            builder(server)
                .textOutput(true)
                .instructions("Be brief.")
                .continueOnExpiry(1, 10)
                .build()
                .apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("My name is Ann")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofMinutes(60)))
        .expectNextMatches(p -> is(p, SessionEvent.EXPIRED))
        .expectNextMatches(p -> is(p, SessionEvent.CONTINUED))
        .then(() -> input.tryEmitNext(Part.text("What is my name?")))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(RealtimeTestSupport.modelText(parts)).isEqualTo("Hello AnnYour name is Ann");
    assertThat(server.connectionCount()).isEqualTo(2);
    List<ClientMessage> second = new ArrayList<>();
    for (ClientMessage m; (m = server.takeMessage(Duration.ofMillis(200))) != null; ) {
      if (m.connection() == 2) {
        second.add(m);
      }
    }
    assertThat(second.get(0).type()).isEqualTo("session.update");
    assertThat(second.get(0).json().at("/session/instructions").asString()).isEqualTo("Be brief.");
    assertThat(second.subList(1, 4))
        .extracting(
            m ->
                m.json().at("/item/role").asString()
                    + ": "
                    + m.json().at("/item/content/0/text").asString())
        .containsExactly("user: My name is Ann", "assistant: Hello Ann", "user: What is my name?");
    server.assertScriptUsedUp();
  }

  @Test
  void withoutContinuationAnExpiredSessionEndsWithAConnectionErrorAfterTheExpiredEvent() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(builder(server).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.audio(new byte[4800], 24000)))
        .then(this::awaitAppend) // the session is open: its expiry timer runs
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofMinutes(60)))
        .expectNextMatches(p -> is(p, SessionEvent.EXPIRED))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageContaining("session_expired")
                    .hasMessageContaining("continueOnExpiry"))
        .verify(WAIT);
  }

  @Test
  void theContinuationBudgetIsKept() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(builder(server).continueOnExpiry(1, 10).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.audio(new byte[4800], 24000)))
        .then(this::awaitAppend) // the session is open: its expiry timer runs
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofMinutes(60)))
        .expectNextMatches(p -> is(p, SessionEvent.EXPIRED))
        .expectNextMatches(p -> is(p, SessionEvent.CONTINUED))
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofMinutes(60)))
        .expectNextMatches(p -> is(p, SessionEvent.EXPIRED))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageContaining("used up"))
        .verify(WAIT);
  }
}
