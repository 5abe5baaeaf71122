package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.is;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.kind;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelConnectionException;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveParts.SessionEvent;
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
 * An answer of the conversation in flight when the session expires: with a continuation it ends visibly
 * ({@code interrupted}, then a model end of turn, both with {@link RealtimeParts#INTERRUPTION_REASON}) before
 * the {@code CONTINUED} part, as Gemini Live ends a turn cut by a lost connection; without one the output
 * fails as before.
 */
class OpenAiRealtimeExpiryCutTurnTest {
  /** 300 ms of PCM16 mono 24 kHz: three audio deltas of 100 ms. */
  static final byte[] SPEECH = new byte[14_400];

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

  @Test
  void anAnswerInFlightAtExpiryEndsWithInterruptedAndEndOfTurnBeforeTheConversationContinues() {
    server.enqueue(
        Script.builder()
            // The first answer stays open: its response.done never comes before the expiry.
            .on("response.create", Reply.openResponse(Output.audio(SPEECH, "Once upon a time")))
            .on("response.create", Reply.response(Output.audio(SPEECH, "Hello again")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).continueOnExpiry(1, 10).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Tell me a story")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isAudio())
        .expectNextMatches(Part::isAudio) // some of the answer is out
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofMinutes(60)))
        .thenConsumeWhile(p -> !is(p, SessionEvent.CONTINUED))
        .expectNextMatches(p -> is(p, SessionEvent.CONTINUED))
        .then(() -> input.tryEmitNext(Part.text("Are you there?")))
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);

    Part expired =
        parts.stream().filter(p -> is(p, SessionEvent.EXPIRED)).findFirst().orElseThrow();
    Part continued =
        parts.stream().filter(p -> is(p, SessionEvent.CONTINUED)).findFirst().orElseThrow();
    Part firstAudio = parts.stream().filter(Part::isAudio).findFirst().orElseThrow();
    Object cutResponse = firstAudio.metadata(RealtimeParts.RESPONSE_ID);
    assertThat(cutResponse).isNotNull();

    // The cut answer: audio, no generation-complete (nothing was generated to the end).
    List<Part> before = parts.subList(0, parts.indexOf(expired));
    assertThat(before).noneMatch(Part::isEndOfTurn).noneMatch(Part::isGenerationComplete);
    // Between the expiry and the new session: its end, and nothing else.
    List<Part> between = parts.subList(parts.indexOf(expired) + 1, parts.indexOf(continued));
    assertThat(between)
        .extracting(RealtimeTestSupport::kind)
        .containsExactly("interrupted", "end_of_turn");
    assertThat(between)
        .allSatisfy(
            p -> {
              assertThat(p.metadata(RealtimeParts.INTERRUPTION_REASON))
                  .isEqualTo(RealtimeParts.EXPIRED_AND_CONTINUED);
              assertThat(p.metadata(RealtimeParts.RESPONSE_ID)).isEqualTo(cutResponse);
            });
    assertThat(between.get(1).role()).isEqualTo("model");
    // No playback connected: nothing heard to report.
    assertThat(between.get(0).metadata(LiveParts.HEARD_MS)).isNull();

    // The next turn is answered in the new session, and ends as usual.
    List<Part> next = parts.subList(parts.indexOf(continued) + 1, parts.size());
    assertThat(next).anyMatch(Part::isAudio);
    assertThat(next).noneMatch(Part::isInterrupted);
    assertThat(next.stream().map(RealtimeTestSupport::kind).toList())
        .containsSubsequence("audio", "generation_complete", "end_of_turn");
    assertThat(next.get(next.size() - 1).metadata(RealtimeParts.INTERRUPTION_REASON)).isNull();
    assertThat(server.connectionCount()).isEqualTo(2);
    server.assertScriptUsedUp();
  }

  @Test
  void withoutContinuationAnAnswerInFlightAtExpiryEndsWithTheConnectionErrorAsBefore() {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.audio(SPEECH, "Once upon a time")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Tell me a story")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !p.isAudio())
        .expectNextMatches(Part::isAudio)
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofMinutes(60)))
        .thenConsumeWhile(p -> !is(p, SessionEvent.EXPIRED))
        .expectNextMatches(p -> is(p, SessionEvent.EXPIRED))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageContaining("continueOnExpiry"))
        .verify(WAIT);
    assertThat(parts).extracting(p -> kind(p)).doesNotContain("interrupted", "end_of_turn");
  }
}
