package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.is;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.take;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveParts.SessionEvent;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.Fault;
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
 * Out-of-band answers still in flight when the session would end: after the input completes they are waited
 * for (at most the drain timeout), and when the drain timeout or the session's expiry cuts them off, each ends
 * with a marked generation-complete part carrying {@link OutOfBandRequest#ERROR} and a marked end of turn, as
 * the {@link dev.genaiprocessors.live.LiveProcessor} contract says; none is left without its end.
 */
class OpenAiRealtimeOutOfBandInFlightTest {
  OpenAiRealtimeEmulator server;

  /** The emulator's timers: session expiry and {@link Fault#delay}. */
  VirtualTimeScheduler emulatorClock;

  /** The processor's timers: the drain timeout and keep-alive. */
  VirtualTimeScheduler processorClock;

  @BeforeEach
  void start() {
    emulatorClock = VirtualTimeScheduler.create();
    processorClock = VirtualTimeScheduler.create();
    server = RealtimeTestSupport.expiringAfterAnHour(emulatorClock);
  }

  @AfterEach
  void stop() {
    server.close();
    emulatorClock.dispose();
    processorClock.dispose();
  }

  static Part request(String id) {
    return OutOfBandRequest.builder().id(id).emptyInput().textOnly().build().toPart();
  }

  /** The parts of the answer to one request, in order. */
  static List<Part> answerTo(String id, List<Part> parts) {
    return parts.stream().filter(p -> id.equals(p.metadata(OutOfBandRequest.OUT_OF_BAND))).toList();
  }

  static boolean isText(Part p, String requestId) {
    return p.isText() && requestId.equals(p.metadata(OutOfBandRequest.OUT_OF_BAND));
  }

  /** The answer ends with a generation-complete part with this error, then an end of turn. */
  static void assertEndsWithError(List<Part> answer, String error) {
    assertThat(answer).hasSizeGreaterThanOrEqualTo(2);
    Part complete = answer.get(answer.size() - 2);
    assertThat(complete.isGenerationComplete())
        .as("the generation-complete of %s", answer)
        .isTrue();
    assertThat((String) complete.metadata(OutOfBandRequest.ERROR)).startsWith(error);
    assertThat(answer.get(answer.size() - 1).isEndOfTurn()).isTrue();
    assertThat(answer.subList(0, answer.size() - 2)).noneMatch(Part::isGenerationComplete);
  }

  @Test
  void anOutOfBandAnswerThatComesAfterTheInputEndedIsWaitedForBeforeTheOutputCompletes()
      throws Exception {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Fault.delay(Duration.ofSeconds(1)),
                Reply.response(Output.text("Travel")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(builder(server).textOutput(true).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(request("oob-1")))
        // The emulator handles events in order: once it has the audio, the response.create's delay
        // is
        // running, and its response.created has not left.
        .then(() -> input.tryEmitNext(Part.audio(new byte[4800], 24000)))
        .then(() -> awaitMessage("input_audio_buffer.append"))
        .then(input::tryEmitComplete)
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofSeconds(1)))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);

    List<Part> answer = answerTo("oob-1", parts);
    assertThat(RealtimeTestSupport.modelText(answer)).isEqualTo("Travel");
    assertThat(answer.get(answer.size() - 1).isEndOfTurn()).isTrue();
    assertThat(answer).noneMatch(p -> p.metadata(OutOfBandRequest.ERROR) != null);
    server.assertScriptUsedUp();
  }

  @Test
  void outOfBandAnswersTheDrainTimeoutCutsOffEndWithAnErrorThenTheOutputCompletes() {
    server.enqueue(
        Script.builder()
            // oob-1: created, its answer under way; oob-2: not even created.
            .on("response.create", Reply.openResponse(Output.text("Thinking")))
            .on(
                "response.create",
                Fault.delay(Duration.ofHours(1)),
                Reply.response(Output.text("late")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(
            builder(server)
                .textOutput(true)
                .scheduler(processorClock)
                .drainTimeout(Duration.ofSeconds(5))
                .build()
                .apply(input.asFlux()))
        .then(() -> input.tryEmitNext(request("oob-1")))
        .then(() -> input.tryEmitNext(request("oob-2")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !isText(p, "oob-1"))
        .expectNextMatches(p -> isText(p, "oob-1"))
        .then(() -> awaitMessage("response.create"))
        .then(() -> awaitMessage("response.create"))
        .then(input::tryEmitComplete)
        .then(() -> processorClock.advanceTimeBy(Duration.ofSeconds(5)))
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(WAIT);

    String notAnswered =
        "not answered before the session ended: the drain timeout of 5000 ms passed after the"
            + " input ended; a longer drainTimeout";
    List<Part> first = answerTo("oob-1", parts);
    assertThat(RealtimeTestSupport.modelText(first)).isEqualTo("Thinking");
    assertEndsWithError(first, notAnswered);
    List<Part> second = answerTo("oob-2", parts);
    assertThat(second).hasSize(2);
    assertEndsWithError(second, notAnswered);
  }

  @Test
  void outOfBandAnswersInFlightAtExpiryEndWithAnErrorAndTheConversationContinues()
      throws Exception {
    server.enqueue(
        Script.builder()
            // oob-1: created, its answer under way; oob-2: not even created when the session
            // expires.
            .on("response.create", Reply.openResponse(Output.text("Thinking")))
            .on(
                "response.create",
                Fault.delay(Duration.ofHours(2)),
                Reply.response(Output.text("late")))
            .on("response.create", Reply.response(Output.text("Hello there")))
            .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(
            builder(server).textOutput(true).continueOnExpiry(1, 10).build().apply(input.asFlux()))
        .then(() -> input.tryEmitNext(request("oob-1")))
        .then(() -> input.tryEmitNext(request("oob-2")))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !isText(p, "oob-1"))
        .expectNextMatches(p -> isText(p, "oob-1"))
        .then(() -> awaitMessage("response.create"))
        .then(() -> awaitMessage("response.create"))
        .then(() -> emulatorClock.advanceTimeBy(Duration.ofMinutes(60)))
        .thenConsumeWhile(p -> !is(p, SessionEvent.CONTINUED))
        .expectNextMatches(p -> is(p, SessionEvent.CONTINUED))
        .then(() -> input.tryEmitNext(Part.text("Hi")))
        .thenConsumeWhile(p -> !(p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p)))
        .expectNextMatches(p -> p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p))
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(WAIT);

    Part expired =
        parts.stream().filter(p -> is(p, SessionEvent.EXPIRED)).findFirst().orElseThrow();
    Part continued =
        parts.stream().filter(p -> is(p, SessionEvent.CONTINUED)).findFirst().orElseThrow();
    // Between the expiry and the new session: the end of each answer, and nothing else.
    List<Part> between = parts.subList(parts.indexOf(expired) + 1, parts.indexOf(continued));
    assertThat(between).hasSize(4).allMatch(OutOfBandRequest::isOutOfBand);
    String expiredError = "the session expired (session_expired) before it was answered";
    List<Part> first = answerTo("oob-1", parts);
    assertThat(RealtimeTestSupport.modelText(first)).isEqualTo("Thinking");
    assertEndsWithError(first, expiredError);
    List<Part> second = answerTo("oob-2", parts);
    assertThat(second).hasSize(2);
    assertEndsWithError(second, expiredError);

    List<Part> conversation = parts.subList(parts.indexOf(continued) + 1, parts.size());
    assertThat(RealtimeTestSupport.modelText(conversation)).isEqualTo("Hello there");
    assertThat(conversation).noneMatch(OutOfBandRequest::isOutOfBand);
    // The requests were not sent again to the new session.
    List<ClientMessage> creates = new ArrayList<>();
    for (ClientMessage m;
        (m = server.takeMessage("response.create", Duration.ofMillis(200))) != null; ) {
      creates.add(m);
    }
    assertThat(creates)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.connection()).isEqualTo(2);
              assertThat(m.json().path("event_id").isMissingNode()).isTrue();
            });
    server.assertScriptUsedUp();
  }

  void awaitMessage(String type) {
    try {
      take(server, type);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
