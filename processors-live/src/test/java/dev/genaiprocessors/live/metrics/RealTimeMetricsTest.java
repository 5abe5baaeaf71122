package dev.genaiprocessors.live.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.LiveProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Each meter of {@link RealTimeMetrics}, measured under virtual time from scripted parts in and out. */
class RealTimeMetricsTest {
  static final int RATE = 16000;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final VirtualTimeScheduler time = VirtualTimeScheduler.create();

  @AfterEach
  void reset() {
    VirtualTimeScheduler.reset();
    time.dispose();
  }

  // ---------------------------------------------------------------- helpers

  /** A wait in a {@link #timeline}. */
  record Wait(Duration d) {}

  static Wait at(long millis) {
    return new Wait(Duration.ofMillis(millis));
  }

  /** The parts, each after the waits before it (relative to the previous part), on {@link #time}. */
  Flux<Part> timeline(Object... steps) {
    return Flux.defer(
        () -> {
          List<Mono<Part>> parts = new ArrayList<>();
          long[] wait = {0};
          for (Object step : steps) {
            if (step instanceof Wait w) {
              wait[0] += w.d().toMillis();
            } else {
              parts.add(Mono.delay(Duration.ofMillis(wait[0]), time).thenReturn((Part) step));
              wait[0] = 0;
            }
          }
          return Flux.concat(parts);
        });
  }

  /** A live provider that reads the input and answers with {@code output}, timed from its subscription. */
  static LiveProcessor provider(Flux<Part> output) {
    return new LiveProcessor() {
      @Override
      public Flux<Part> apply(Flux<Part> input) {
        return Flux.merge(input.then(Mono.<Part>empty()), output);
      }

      @Override
      public String provider() {
        return "scripted";
      }

      @Override
      public int inputSampleRate() {
        return RATE;
      }

      @Override
      public int outputSampleRate() {
        return RATE;
      }
    };
  }

  static Part audio(long millis) {
    return Part.audio(new byte[(int) (RATE * 2 * millis / 1000)], RATE).withRole("model");
  }

  static Part userAudio(long millis) {
    return Part.audio(new byte[(int) (RATE * 2 * millis / 1000)], RATE).withRole("user");
  }

  RealTimeMetrics metrics() {
    return RealTimeMetrics.builder()
        .registry(registry)
        .conversation("call-1")
        .scheduler(time)
        .build();
  }

  /**
   * Runs the conversation to its end in virtual time, on {@link #time} (which one test may use for
   * several conversations, so it is advanced by hand rather than by {@code withVirtualTime}, which
   * disposes it).
   */
  void run(Processor observed, Flux<Part> input) {
    StepVerifier.create(observed.apply(input))
        .then(() -> time.advanceTimeBy(Duration.ofMinutes(10)))
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(Duration.ofSeconds(10));
  }

  Timer timer(String name) {
    return registry.get(name).tag("conversation", "call-1").tag("stage", "scripted").timer();
  }

  double count(String name) {
    return registry
        .get(name)
        .tag("conversation", "call-1")
        .tag("stage", "scripted")
        .counter()
        .count();
  }

  static long millis(Timer t) {
    return (long) t.totalTime(TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- tests

  @Test
  void eachLatencyOfASpokenTurnIsMeasuredExactly() {
    RealTimeMetrics metrics = metrics();
    // The user speaks for a second, then stops; the answer's transcript comes 300 ms later, its
    // audio
    // 500 ms later, and its end of turn 700 ms later.
    Flux<Part> input = timeline(userAudio(1000), at(1000), Part.endOfSpeech());
    Flux<Part> output =
        timeline(
            at(1300),
            Part.outputTranscription("Hello", false),
            at(200),
            audio(200),
            at(100),
            audio(200),
            at(100),
            Part.endOfTurn().withRole("model"));
    run(metrics.observe(provider(output)), input);

    assertThat(millis(timer(RealTimeMetrics.TIME_TO_FIRST_TOKEN))).isEqualTo(300);
    assertThat(millis(timer(RealTimeMetrics.TIME_TO_FIRST_AUDIO))).isEqualTo(500);
    assertThat(millis(timer(RealTimeMetrics.SPEECH_TO_ANSWER))).isEqualTo(500);
    assertThat(millis(timer(RealTimeMetrics.PROCESSING))).isEqualTo(700);
    for (String t :
        List.of(
            RealTimeMetrics.TIME_TO_FIRST_TOKEN,
            RealTimeMetrics.TIME_TO_FIRST_AUDIO,
            RealTimeMetrics.SPEECH_TO_ANSWER,
            RealTimeMetrics.PROCESSING)) {
      assertThat(timer(t).count()).as(t).isEqualTo(1);
    }
    assertThat(count(RealTimeMetrics.ANSWERS)).isEqualTo(1);
    assertThat(count(RealTimeMetrics.UNDERRUNS)).isZero();
    assertThat(count(RealTimeMetrics.INTERRUPTIONS)).isZero();
    assertThat(
            registry
                .get(RealTimeMetrics.PARTS)
                .tag("direction", "in")
                .tag("kind", "audio")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(RealTimeMetrics.AUDIO).tag("direction", "out").counter().count())
        .isEqualTo(0.4);

    RealTimeReport report = metrics.report();
    RealTimeReport.Stage stage = report.stages().get(0);
    assertThat(stage.name()).isEqualTo("scripted");
    assertThat(stage.performance().messagesSent()).isEqualTo(2);
    assertThat(stage.performance().messagesReceived()).isEqualTo(4);
    assertThat(stage.performance().duration()).isEqualTo(Duration.ofMillis(1700));
    assertThat(stage.realTime().timeToFirstAudio().count()).isEqualTo(1);
    assertThat(stage.realTime().timeToFirstAudio().mean()).isEqualTo(Duration.ofMillis(500));
    assertThat(report.isRealtimeCapable()).isTrue();
    assertThat(report.recommendations()).isEmpty();
  }

  @Test
  void aTypedTurnEndsAtItsEndOfTurnNotAtTheTextBeforeIt() {
    RealTimeMetrics metrics = metrics();
    // A processor that reads text into its prompt answers at the end of turn (as
    // LiveModelProcessor).
    Flux<Part> input = timeline(Part.text("hello").withRole("user"), at(1000), Part.endOfTurn());
    Flux<Part> output = timeline(at(1100), Part.text("hi").withRole("model"), Part.endOfTurn());
    run(metrics.observe(provider(output)), input);

    assertThat(millis(timer(RealTimeMetrics.TIME_TO_FIRST_TOKEN))).isEqualTo(100);
    assertThat(timer(RealTimeMetrics.TIME_TO_FIRST_AUDIO).count()).isZero();
    assertThat(timer(RealTimeMetrics.SPEECH_TO_ANSWER).count()).isZero();
  }

  @Test
  void theProvidersEndOfSpeechEndsTheTurnBeforeALaterAudioStreamEnd() {
    RealTimeMetrics metrics = metrics();
    Flux<Part> input = timeline(userAudio(500), at(800), Part.audioStreamEnd());
    Flux<Part> output =
        timeline(at(500), Part.endOfSpeech(), at(400), audio(100), Part.endOfTurn());
    run(metrics.observe(provider(output)), input);

    assertThat(millis(timer(RealTimeMetrics.SPEECH_TO_ANSWER))).isEqualTo(400);
    assertThat(millis(timer(RealTimeMetrics.TIME_TO_FIRST_AUDIO))).isEqualTo(400);
  }

  @Test
  void withNoSpeechEventsTheFinalInputTranscriptionEndsTheTurn() {
    RealTimeMetrics metrics = metrics();
    Flux<Part> input = timeline(userAudio(1000), at(1000), userAudio(1000));
    Flux<Part> output =
        timeline(
            at(1500),
            Part.inputTranscription("what time", false),
            at(100),
            Part.inputTranscription("what time is it", true),
            at(250),
            audio(100),
            Part.endOfTurn());
    run(metrics.observe(provider(output)), input);

    assertThat(millis(timer(RealTimeMetrics.TIME_TO_FIRST_AUDIO))).isEqualTo(250);
    assertThat(timer(RealTimeMetrics.SPEECH_TO_ANSWER).count()).isZero();
  }

  @Test
  void anEmptyFinalInputTranscriptionEndsNoTurn() {
    RealTimeMetrics metrics = metrics();
    Flux<Part> input = timeline(userAudio(1000), at(2000), userAudio(1000));
    Flux<Part> output =
        timeline(
            at(1500),
            Part.inputTranscription("", true), // nothing was heard: no answer comes
            at(2000),
            Part.inputTranscription("what time is it", true),
            at(250),
            audio(100),
            Part.endOfTurn());
    run(metrics.observe(provider(output)), input);

    assertThat(timer(RealTimeMetrics.TIME_TO_FIRST_AUDIO).count()).isEqualTo(1);
    assertThat(millis(timer(RealTimeMetrics.TIME_TO_FIRST_AUDIO))).isEqualTo(250);
  }

  @Test
  void interruptionLatencyRunsFromTheUsersStartOfSpeechToTheLastAudioOfTheAnswer() {
    RealTimeMetrics metrics = metrics();
    Flux<Part> input = timeline(Part.endOfTurn(), at(300), Part.startOfSpeech());
    Flux<Part> output =
        timeline(
            at(100),
            audio(1000),
            at(250),
            audio(1000),
            at(70),
            audio(1000),
            at(80),
            Part.interrupted(),
            Part.endOfTurn().withRole("model"));
    run(metrics.observe(provider(output)), input);

    // Speech started at 300; the last audio left at 420.
    assertThat(timer(RealTimeMetrics.INTERRUPTION_LATENCY).count()).isEqualTo(1);
    assertThat(millis(timer(RealTimeMetrics.INTERRUPTION_LATENCY))).isEqualTo(120);
    assertThat(count(RealTimeMetrics.INTERRUPTIONS)).isEqualTo(1);
    assertThat(timer(RealTimeMetrics.PROCESSING).count())
        .as("an interrupted answer has no processing time")
        .isZero();
    assertThat(metrics.report().stages().get(0).quality().interruptions()).isEqualTo(1);
  }

  @Test
  void anAnswerCutBeforeItsFirstPartCountsAsAnInterruptionWithNoLatency() {
    RealTimeMetrics metrics = metrics();
    Flux<Part> input = timeline(Part.endOfTurn(), at(50), Part.startOfSpeech());
    Flux<Part> output = timeline(at(60), Part.interrupted(), Part.endOfTurn().withRole("model"));
    run(metrics.observe(provider(output)), input);

    assertThat(count(RealTimeMetrics.INTERRUPTIONS)).isEqualTo(1);
    assertThat(count(RealTimeMetrics.ANSWERS)).isZero();
    assertThat(timer(RealTimeMetrics.INTERRUPTION_LATENCY).count()).isZero();
  }

  @Test
  void anUnderrunIsAnAudioPartThatCameAfterTheAudioBeforeItRanDry() {
    RealTimeMetrics metrics = metrics();
    Flux<Part> input = timeline(Part.endOfTurn());
    Flux<Part> output =
        timeline(
            at(100),
            audio(100), // plays until 200
            at(50),
            audio(100), // until 300
            at(300),
            audio(100), // came at 450: ran dry for 150 ms; plays until 550
            at(50),
            audio(100), // until 650
            Part.endOfTurn().withRole("model"),
            at(5000),
            Part.text("next")
                .withRole("model"), // a new answer: the silence between answers is no gap
            audio(100),
            Part.endOfTurn().withRole("model"));
    run(metrics.observe(provider(output)), input);

    assertThat(count(RealTimeMetrics.UNDERRUNS)).isEqualTo(1);
    assertThat(timer(RealTimeMetrics.AUDIO_GAPS).count()).isEqualTo(1);
    assertThat(millis(timer(RealTimeMetrics.AUDIO_GAPS))).isEqualTo(150);
    RealTimeReport.Quality quality = metrics.report().stages().get(0).quality();
    assertThat(quality.underruns()).isEqualTo(1);
    // 1 underrun in 0.5 s of audio: 120 per minute of audio.
    assertThat(quality.underrunsPerMinute())
        .isCloseTo(120.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void theVerdictFlipsWhenTheTimeToFirstAudioPassesItsLimit() {
    assertThat(verdictWithFirstAudioAfter(900).isRealtimeCapable()).isTrue();
    RealTimeReport slow = verdictWithFirstAudioAfter(1200);
    assertThat(slow.isRealtimeCapable()).isFalse();
    assertThat(slow.recommendations())
        .singleElement()
        .asString()
        .startsWith("scripted: p95 time to first audio 1")
        .contains("ms is above 1000 ms.");
    assertThat(slow.format())
        .contains("Real-time capable: no")
        .contains("  - scripted: p95 time to first audio");
  }

  RealTimeReport verdictWithFirstAudioAfter(long millis) {
    RealTimeMetrics metrics =
        RealTimeMetrics.builder()
            .registry(new SimpleMeterRegistry())
            .conversation("call-1")
            .scheduler(time)
            .build();
    run(
        metrics.observe(provider(timeline(at(millis), audio(100), Part.endOfTurn()))),
        timeline(Part.endOfTurn()));
    return metrics.report();
  }

  @Test
  void theVerdictFlipsOnUnderrunsAndOnErrorsAtTheirStatedLimits() {
    RealTimeThresholds lenient =
        new RealTimeThresholds(
            Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofMillis(500), 200, 0.5);
    RealTimeMetrics metrics =
        RealTimeMetrics.builder()
            .registry(registry)
            .conversation("call-1")
            .scheduler(time)
            .thresholds(lenient)
            .build();
    run(
        metrics.observe(
            provider(
                timeline(
                    at(100), audio(100), at(300), audio(400), Part.endOfTurn().withRole("model")))),
        timeline(Part.endOfTurn()));
    // 1 underrun in 0.5 s of audio: 120 per minute, under 200.
    assertThat(metrics.report().isRealtimeCapable()).isTrue();
    RealTimeReport strict =
        new RealTimeReport("call-1", metrics.report().stages(), RealTimeThresholds.DEFAULTS);
    assertThat(strict.isRealtimeCapable()).isFalse();
    assertThat(strict.recommendations())
        .singleElement()
        .asString()
        .contains("120.0 underruns per minute of audio is above 1.0");

    // An answer and a failure: an error rate of 50 %, at the lenient limit, then over it.
    StepVerifier.create(
            metrics
                .observe(provider(Flux.error(new IllegalStateException("boom"))))
                .apply(Flux.empty()))
        .verifyError(IllegalStateException.class);
    assertThat(count(RealTimeMetrics.ERRORS)).isEqualTo(1);
    assertThat(metrics.report().stages().get(0).quality().errorRate()).isEqualTo(0.5);
    assertThat(metrics.report().isRealtimeCapable()).isTrue();
    run(
        metrics.observe(provider(timeline(Part.exception(new RuntimeException("x"))))),
        Flux.empty());
    assertThat(metrics.report().isRealtimeCapable()).isFalse();
    assertThat(metrics.report().recommendations()).anyMatch(r -> r.contains("error rate 66.7 %"));
  }

  @Test
  void withNoRegistryNothingIsRecordedAndTheProcessorIsReturnedAsItIs() {
    RealTimeMetrics off = RealTimeMetrics.builder().scheduler(time).build();
    LiveProcessor live = provider(timeline(audio(100)));
    Processor processor = input -> input;

    assertThat(off.observe(live)).isSameAs(live);
    assertThat(off.observe("stage", processor)).isSameAs(processor);
    run(off.observe(live), timeline(Part.endOfTurn()));
    RealTimeReport report = off.report();
    assertThat(report.stages()).isEmpty();
    assertThat(report.isRealtimeCapable()).isFalse();
    assertThat(report.format()).contains("nothing recorded");
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void whatTheProvidersSendQueueDropsIsCountedThroughTheContext() {
    RealTimeMetrics metrics = metrics();
    LiveProcessor dropping =
        new LiveProcessor() {
          @Override
          public Flux<Part> apply(Flux<Part> input) {
            return Flux.deferContextual(
                context -> {
                  MediaDrops drops = MediaDrops.in(context);
                  return input.doOnNext(p -> drops.dropped(1)).then(Mono.<Part>empty()).flux();
                });
          }

          @Override
          public String provider() {
            return "scripted";
          }

          @Override
          public int inputSampleRate() {
            return RATE;
          }

          @Override
          public int outputSampleRate() {
            return RATE;
          }
        };
    run(metrics.observe(dropping), timeline(userAudio(20), userAudio(20), userAudio(20)));

    assertThat(count(RealTimeMetrics.DROPPED_MEDIA)).isEqualTo(3);
    RealTimeReport report = metrics.report();
    assertThat(report.stages().get(0).quality().droppedMedia()).isEqualTo(3);
    assertThat(report.recommendations())
        .anyMatch(r -> r.startsWith("scripted: 3 media messages were dropped"));
    assertThat(MediaDrops.in(reactor.util.context.Context.empty())).isSameAs(MediaDrops.NONE);
  }

  @Test
  void theObservedProviderKeepsItsNameAndRatesAndCloseRemovesTheMeters() {
    RealTimeMetrics metrics = metrics();
    LiveProcessor observed = metrics.observe(provider(Flux.empty()));
    assertThat(observed.provider()).isEqualTo("scripted");
    assertThat(observed.inputSampleRate()).isEqualTo(RATE);
    assertThat(observed.outputSampleRate()).isEqualTo(RATE);
    run(observed, timeline(userAudio(20)));
    Counter parts =
        registry.get(RealTimeMetrics.PARTS).tag("direction", "in").tag("kind", "audio").counter();
    assertThat(parts.count()).isEqualTo(1);

    metrics.close();
    assertThat(registry.getMeters()).isEmpty();
    assertThat(metrics.report().stages().get(0).performance().messagesSent()).isEqualTo(1);
  }

  @Test
  void aFunctionResultAsksForANewAnswerTimedFromIt() {
    RealTimeMetrics metrics = metrics();
    Flux<Part> input =
        timeline(
            Part.endOfTurn(),
            at(500),
            Part.functionResult(
                "1",
                "time",
                tools.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode()
                    .put("time", "noon")));
    Flux<Part> output =
        timeline(
            at(100),
            Part.functionCall(
                "1", "time", tools.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
            at(650),
            audio(100),
            Part.endOfTurn().withRole("model"));
    run(metrics.observe(provider(output)), input);

    assertThat(timer(RealTimeMetrics.TIME_TO_FIRST_TOKEN).count()).isEqualTo(2);
    // 100 ms to the call, then 250 ms from the result to the audio.
    assertThat(millis(timer(RealTimeMetrics.TIME_TO_FIRST_TOKEN))).isEqualTo(350);
    assertThat(millis(timer(RealTimeMetrics.TIME_TO_FIRST_AUDIO))).isEqualTo(250);
    assertThat(metrics.report().stages().get(0).performance().functionCalls()).isEqualTo(1);
  }
}
