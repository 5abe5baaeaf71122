package dev.genaiprocessors.examples.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One pipeline, the same code, on both live providers against their emulators: only the line that builds
 * the processor (and the emulator's script, which speaks each provider's protocol) differs. What the
 * pipeline reads is the {@link LiveProcessor} contract's vocabulary.
 */
class BothLiveProvidersTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** A provider under test: its emulator, scripted in its own protocol, and its processor. */
  interface Fixture extends AutoCloseable {
    LiveProcessor processor();

    void scriptTextAnswer(String text);

    void scriptAudioAnswer(byte[] pcm24k, String transcript);

    void scriptToolCall(String callId, String name, String answerAfterResult);

    /** Two text answers, with the provider's session limit reached after the first. */
    void scriptTwoAnswersAcrossTheSessionLimit(String first, String second);

    /** The processor, set to go on past the provider's session limit. */
    LiveProcessor processorThatOutlivesTheLimit();

    /** Reaches the limit, where a clock does it (after the first answer). */
    void reachTheLimit();

    /** The session event that says the conversation went on. */
    LiveParts.SessionEvent wentOn();

    @Override
    void close();
  }

  static Stream<String> providers() {
    return Stream.of("gemini", "openai");
  }

  Fixture fixture;

  Fixture open(String provider) {
    fixture = provider.equals("gemini") ? new GeminiFixture() : new OpenAiFixture();
    return fixture;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Runs the pipeline until the model's turn ends; the parts it emitted. */
  static List<Part> turn(LiveProcessor live, Part... userParts) {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> out = new CopyOnWriteArrayList<>();
    Flux<Part> output = live.apply(input.asFlux());
    for (Part p : userParts) {
      input.tryEmitNext(p);
    }
    output
        .doOnNext(out::add)
        .doOnNext(
            p -> {
              // A tool of the pipeline: slow (300 ms), answered by the function's id.
              if (p.isFunctionCall()) {
                Mono.delay(Duration.ofMillis(300))
                    .subscribe(
                        t ->
                            input.tryEmitNext(
                                Part.functionResult(
                                    p.functionCall().id(),
                                    p.functionCall().name(),
                                    JsonNodeFactory.instance.objectNode().put("time", "noon"))));
              }
            })
        // The model's turn is over at an end of turn that follows its answer (an end of turn after
        // a
        // function call alone is the provider's, while the tool runs).
        .takeUntil(p -> p.isEndOfTurn() && out.stream().anyMatch(BothLiveProvidersTest::isAnswer))
        .then()
        .block(WAIT);
    return out;
  }

  static boolean isAnswer(Part p) {
    return p.isAudio() || (p.isText() && !p.text().isEmpty() && "model".equals(p.role()));
  }

  static String modelText(List<Part> parts) {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      if (p.isText()
          && "model".equals(p.role())
          && p.substream().isEmpty()
          && !p.isTranscription()) {
        sb.append(p.text());
      }
    }
    return sb.toString();
  }

  /** What the model said: the final output transcription when there is one, else its deltas joined. */
  static String spoken(List<Part> parts) {
    List<Part> transcripts =
        parts.stream()
            .filter(p -> p.isTranscription() && p.substream().startsWith("output"))
            .toList();
    return transcripts.stream()
        .filter(Part::isFinalTranscription)
        .reduce((a, b) -> b)
        .map(Part::text)
        .orElseGet(() -> transcripts.stream().map(Part::text).reduce("", String::concat));
  }

  static byte[] audioOut(List<Part> parts, int rate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part p : parts) {
      if (p.isAudio()) {
        assertThat(p.mimeType()).contains("rate=" + rate);
        out.writeBytes(p.bytes());
      }
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aTextTurn(String provider) {
    Fixture f = open(provider);
    f.scriptTextAnswer("Hello there");

    List<Part> parts = turn(f.processor(), Part.text("Hi"));

    assertThat(modelText(parts)).isEqualTo("Hello there");
    assertThat(parts.get(parts.size() - 1).isEndOfTurn()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("providers")
  void anAudioTurnWithTranscripts(String provider) {
    Fixture f = open(provider);
    byte[] pcm = new byte[24_000 / 10 * 2 * 3]; // 300 ms at 24 kHz
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (byte) (i * 7);
    }
    f.scriptAudioAnswer(pcm, "It is sunny.");

    List<Part> parts = turn(f.processor(), Part.text("Weather?"));

    LiveProcessor live = f.processor();
    assertThat(audioOut(parts, live.outputSampleRate())).isEqualTo(pcm);
    assertThat(spoken(parts)).isEqualTo("It is sunny.");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aToolCallWithASlowTool(String provider) {
    Fixture f = open(provider);
    f.scriptToolCall("call-1", "get_time", "It is noon.");

    List<Part> parts = turn(f.processor(), Part.text("What time is it?"));

    assertThat(parts).filteredOn(Part::isFunctionCall).hasSize(1);
    assertThat(
            parts.stream()
                .filter(Part::isFunctionCall)
                .findFirst()
                .orElseThrow()
                .functionCall()
                .name())
        .isEqualTo("get_time");
    assertThat(modelText(parts)).isEqualTo("It is noon.");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aSessionLimitIsSurvivedWithNothingLost(String provider) throws Exception {
    Fixture f = open(provider);
    f.scriptTwoAnswersAcrossTheSessionLimit("Hello Ann", "Your name is Ann");
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    BlockingQueue<Part> out = new LinkedBlockingQueue<>();
    Disposable session =
        f.processorThatOutlivesTheLimit().apply(input.asFlux()).subscribe(out::add);
    try {
      List<Part> seen = new ArrayList<>();
      input.tryEmitNext(Part.text("My name is Ann"));
      takeUntil(out, seen, Part::isEndOfTurn);
      f.reachTheLimit();
      takeUntil(
          out, seen, p -> LiveParts.sessionEventOf(p).filter(e -> e == f.wentOn()).isPresent());
      input.tryEmitNext(Part.text("What is my name?"));
      takeUntil(out, seen, Part::isEndOfTurn);

      assertThat(modelText(seen)).isEqualTo("Hello AnnYour name is Ann");
    } finally {
      session.dispose();
    }
  }

  static void takeUntil(BlockingQueue<Part> out, List<Part> seen, Predicate<Part> last)
      throws InterruptedException {
    while (true) {
      Part p = out.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(p).as("a part within %s (seen so far: %s)", WAIT, seen).isNotNull();
      seen.add(p);
      if (last.test(p)) {
        return;
      }
    }
  }

  /** Gemini Live. */
  static final class GeminiFixture implements Fixture {
    final GeminiLiveEmulator emulator = GeminiLiveEmulator.builder().build().start();

    @Override
    public LiveProcessor processor() {
      return GeminiLiveProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .model("gemini-live-2.5-flash-preview")
          .build();
    }

    @Override
    public void scriptTextAnswer(String text) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.gemini.Script.builder()
              .turn(
                  dev.genaiprocessors.testkit.gemini.Reply.text(text),
                  dev.genaiprocessors.testkit.gemini.Reply.turnComplete())
              .build());
    }

    @Override
    public void scriptAudioAnswer(byte[] pcm24k, String transcript) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.gemini.Script.builder()
              .turn(
                  dev.genaiprocessors.testkit.gemini.Reply.audio(pcm24k, 24_000),
                  dev.genaiprocessors.testkit.gemini.Reply.outputTranscription(transcript),
                  dev.genaiprocessors.testkit.gemini.Reply.turnComplete())
              .build());
    }

    @Override
    public void scriptToolCall(String callId, String name, String answerAfterResult) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.gemini.Script.builder()
              .turn(
                  dev.genaiprocessors.testkit.gemini.Reply.toolCall(callId, name, "{}"),
                  dev.genaiprocessors.testkit.gemini.Reply.awaitToolResponse(),
                  dev.genaiprocessors.testkit.gemini.Reply.text(answerAfterResult),
                  dev.genaiprocessors.testkit.gemini.Reply.turnComplete())
              .build());
    }

    @Override
    public void scriptTwoAnswersAcrossTheSessionLimit(String first, String second) {
      // The server's routine limit: a goAway after the first answer; the client moves to a new
      // connection with the resumption handle.
      emulator.enqueue(
          dev.genaiprocessors.testkit.gemini.Script.builder()
              .turn(
                  dev.genaiprocessors.testkit.gemini.Reply.text(first),
                  dev.genaiprocessors.testkit.gemini.Reply.turnComplete(),
                  dev.genaiprocessors.testkit.gemini.Fault.goAway(Duration.ofSeconds(30)))
              .turn(
                  dev.genaiprocessors.testkit.gemini.Reply.text(second),
                  dev.genaiprocessors.testkit.gemini.Reply.turnComplete())
              .build());
    }

    @Override
    public LiveProcessor processorThatOutlivesTheLimit() {
      return GeminiLiveProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .model("gemini-live-2.5-flash-preview")
          .reconnect(3, Duration.ofMillis(10))
          .build();
    }

    @Override
    public void reachTheLimit() {
      // scripted: the goAway follows the first answer
    }

    @Override
    public LiveParts.SessionEvent wentOn() {
      return LiveParts.SessionEvent.RESUMED;
    }

    @Override
    public void close() {
      emulator.close();
    }
  }

  /** OpenAI Realtime. */
  static final class OpenAiFixture implements Fixture {
    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    final dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator emulator =
        dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator.builder()
            .sessionDuration(Duration.ofMinutes(60))
            .timers(clock)
            .build()
            .start();

    @Override
    public LiveProcessor processor() {
      return OpenAiRealtimeProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .build();
    }

    @Override
    public void scriptTextAnswer(String text) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.openai.Script.builder()
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.response(
                      dev.genaiprocessors.testkit.openai.Output.text(text)))
              .build());
    }

    @Override
    public void scriptAudioAnswer(byte[] pcm24k, String transcript) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.openai.Script.builder()
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.response(
                      dev.genaiprocessors.testkit.openai.Output.audio(pcm24k, transcript)))
              .build());
    }

    @Override
    public void scriptToolCall(String callId, String name, String answerAfterResult) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.openai.Script.builder()
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.response(
                      dev.genaiprocessors.testkit.openai.Output.functionCall(callId, name, "{}")))
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.response(
                      dev.genaiprocessors.testkit.openai.Output.text(answerAfterResult)))
              .build());
    }

    @Override
    public void scriptTwoAnswersAcrossTheSessionLimit(String first, String second) {
      scriptTextAnswer(first);
      scriptTextAnswer(second);
    }

    @Override
    public LiveProcessor processorThatOutlivesTheLimit() {
      // OpenAI has no resumption: opt in to a new session seeded with the conversation.
      return OpenAiRealtimeProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .continueOnExpiry(1, 10)
          .build();
    }

    @Override
    public void reachTheLimit() {
      clock.advanceTimeBy(
          Duration.ofMinutes(60)); // the emulator's session_expired, then close 1001
    }

    @Override
    public LiveParts.SessionEvent wentOn() {
      return LiveParts.SessionEvent.CONTINUED;
    }

    @Override
    public void close() {
      emulator.close();
      clock.dispose();
    }
  }
}
