package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Barge-in: the answer is cut and its item truncated to exactly what the player reported as heard, on the
 * processor's virtual clock.
 */
class OpenAiRealtimeBargeInTest {
  OpenAiRealtimeEmulator server;
  VirtualTimeScheduler clock;

  @BeforeEach
  void start() {
    server = OpenAiRealtimeEmulator.builder().build().start();
    clock = VirtualTimeScheduler.create();
  }

  @AfterEach
  void stop() {
    server.close();
    clock.dispose();
  }

  /** Plays each audio chunk right after the one before, from the time the first arrives: a player. */
  static final class Player {
    final HeardAudio heard;
    final VirtualTimeScheduler clock;
    double next = -1;

    Player(HeardAudio heard, VirtualTimeScheduler clock) {
      this.heard = heard;
      this.clock = clock;
    }

    void play(Part audio) {
      double start = next < 0 ? clock.now(TimeUnit.MILLISECONDS) : next;
      double millis = audio.byteSize() / 2 * 1000.0 / 24000;
      heard.released(audio, (long) start, millis);
      next = start + millis;
    }
  }

  @Test
  void speechOverTheAnswerInterruptsItAndTruncatesItsItemToTheMillisecondsHeard() throws Exception {
    byte[] answer = new byte[48000]; // 1 s at 24 kHz, sent as ten 100 ms deltas
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.audio(answer, "A long answer")))
            .on("input_audio_buffer.append", Reply.speechStarted())
            .build());
    HeardAudio heard = new HeardAudio(clock);
    Player player = new Player(heard, clock);
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> after = new ArrayList<>();
    OpenAiRealtimeProcessor model =
        builder(server).scheduler(clock).keepAlive(Duration.ZERO).playback(heard).build();
    int[] audioBytes = {0};
    StepVerifier.create(model.apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Tell me a story")))
        .thenConsumeWhile(
            p -> audioBytes[0] < answer.length,
            p -> {
              if (p.isAudio()) {
                player.play(p);
                audioBytes[0] += p.byteSize();
              }
            })
        .then(() -> clock.advanceTimeBy(Duration.ofMillis(437)))
        .then(() -> input.tryEmitNext(Part.audio(new byte[4800], 24000)))
        .recordWith(() -> after)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(after.stream().map(RealtimeTestSupport::kind).toList())
        .containsSubsequence("speech_started", "interrupted", "generation_complete");
    assertThat(after.stream().filter(Part::isInterrupted)).hasSize(1);
    assertThat(
            LiveParts.heardMillisOf(after.stream().filter(Part::isInterrupted).findFirst().get()))
        .hasValue(437);
    assertThat(
            after.stream()
                .filter(Part::isGenerationComplete)
                .findFirst()
                .orElseThrow()
                .metadata(RealtimeParts.RESPONSE_STATUS))
        .isEqualTo("cancelled");
    ClientMessage truncate = take(server, "conversation.item.truncate");
    assertThat(truncate.json().path("audio_end_ms").asLong()).isEqualTo(437);
    assertThat(truncate.json().path("content_index").asInt()).isZero();
    server.assertScriptUsedUp();
  }

  @Test
  void anInterruptedPartCancelsTheAnswerAndTruncatesToWhatWasHeard() throws Exception {
    byte[] answer = new byte[48000];
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.audio(answer, "A long answer")))
            .build());
    HeardAudio heard = new HeardAudio(clock);
    Player player = new Player(heard, clock);
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> after = new ArrayList<>();
    int[] audioBytes = {0};
    StepVerifier.create(
            builder(server)
                .scheduler(clock)
                .keepAlive(Duration.ZERO)
                .playback(heard)
                .build()
                .apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("Tell me a story")))
        .thenConsumeWhile(
            p -> audioBytes[0] < answer.length,
            p -> {
              if (p.isAudio()) {
                player.play(p);
                audioBytes[0] += p.byteSize();
              }
            })
        .then(() -> clock.advanceTimeBy(Duration.ofMillis(1250))) // past the end: all 1000 ms heard
        .then(() -> input.tryEmitNext(Part.interrupted()))
        .recordWith(() -> after)
        .thenConsumeWhile(p -> !p.isEndOfTurn())
        .expectNextMatches(Part::isEndOfTurn)
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);
    assertThat(after.stream().filter(Part::isInterrupted)).hasSize(1);
    assertThat(
            LiveParts.heardMillisOf(after.stream().filter(Part::isInterrupted).findFirst().get()))
        .hasValue(1000);
    assertThat(take(server, "response.cancel").json().path("response_id").asString())
        .startsWith("resp_");
    assertThat(take(server, "conversation.item.truncate").json().path("audio_end_ms").asLong())
        .isEqualTo(1000);
    server.assertScriptUsedUp();
  }
}
