package dev.genaiprocessors.examples.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor;
import dev.genaiprocessors.testkit.gemini.GeminiApiEmulator;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
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

    /** The processor, told by the player what the user heard. */
    LiveProcessor processorPlayedBy(HeardAudio heard);

    /** An audio answer that goes on until the user speaks over it. */
    void scriptAnAnswerTheUserCuts(byte[] pcm24k);

    /**
     * What the user does to speak over the answer, as the provider hears it: Gemini's emulator takes a new
     * turn as a barge-in; OpenAI's server VAD hears speech start in the user's audio.
     */
    List<Part> userSpeaksOver();

    /** Checks what the provider's model keeps of the cut answer. */
    void assertTheModelKeepsOnly(String answerId, long heardMillis) throws InterruptedException;

    /** The processor, answering out-of-band requests and told by the player what was heard. */
    LiveProcessor processorWithOutOfBand(HeardAudio heard);

    /** An audio answer for the conversation, and a text answer for an out-of-band request. */
    void scriptAnAnswerBesideAnOutOfBandOne(byte[] pcm24k, String transcript, String outOfBand);

    /**
     * An out-of-band answer that fails (the provider's server error for it), then a text answer for the
     * conversation.
     */
    void scriptAFailedOutOfBandAnswerThenATextAnswer(String text);

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

  /** One second of model speech at 24 kHz. */
  static byte[] speech() {
    byte[] pcm = new byte[24_000 * 2];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (byte) (i * 7);
    }
    return pcm;
  }

  /**
   * The pipeline with a real player: the provider's output goes through an {@link AudioRateLimiter} on a
   * virtual clock that reports to {@code heard}; {@code received} counts the audio bytes and
   * {@code turnsIn} the end-of-turn parts that reach the player.
   */
  static Flux<Part> played(
      Flux<Part> output,
      VirtualTimeScheduler clock,
      HeardAudio heard,
      AtomicLong received,
      CountDownLatch audioIn,
      long audioBytes,
      CountDownLatch conversationTurnIn) {
    Processor player =
        AudioRateLimiter.builder()
            .scheduler(clock)
            .listener(heard)
            // An out-of-band answer is not speech for the user: it leaves at once.
            .overtakes(OutOfBandRequest::isOutOfBand)
            .build();
    // Counted once the player has taken the part (a doOnNext would count it before), so that a test
    // moves the clock only when the audio is queued.
    return afterEach(
            output,
            p -> {
              if (p.isAudio()
                  && !OutOfBandRequest.isOutOfBand(p)
                  && received.addAndGet(p.byteSize()) >= audioBytes) {
                audioIn.countDown();
              }
              if (p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p)) {
                conversationTurnIn.countDown();
              }
            })
        .transform(player);
  }

  /** The flux, with {@code after} run on each part once the subscriber's onNext has returned. */
  static Flux<Part> afterEach(Flux<Part> flux, java.util.function.Consumer<Part> after) {
    return flux.transform(
        Operators.<Part, Part>lift(
            (scannable, actual) ->
                new CoreSubscriber<Part>() {
                  @Override
                  public void onSubscribe(Subscription s) {
                    actual.onSubscribe(s);
                  }

                  @Override
                  public void onNext(Part p) {
                    actual.onNext(p);
                    after.accept(p);
                  }

                  @Override
                  public void onError(Throwable t) {
                    actual.onError(t);
                  }

                  @Override
                  public void onComplete() {
                    actual.onComplete();
                  }

                  @Override
                  public reactor.util.context.Context currentContext() {
                    return actual.currentContext();
                  }
                }));
  }

  static long audioMillis(List<Part> parts) {
    long bytes = parts.stream().filter(Part::isAudio).mapToLong(Part::byteSize).sum();
    return bytes / 2 * 1000 / 24_000;
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aBargeInIsTruncatedToWhatWasHeard(String provider) throws Exception {
    Fixture f = open(provider);
    byte[] answer = speech();
    f.scriptAnAnswerTheUserCuts(answer);
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    HeardAudio heard = new HeardAudio(clock);
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    BlockingQueue<Part> out = new LinkedBlockingQueue<>();
    CountDownLatch audioIn = new CountDownLatch(1);
    Disposable session =
        played(
                f.processorPlayedBy(heard).apply(input.asFlux()),
                clock,
                heard,
                new AtomicLong(),
                audioIn,
                answer.length,
                new CountDownLatch(1))
            .subscribe(out::add);
    try {
      List<Part> seen = new ArrayList<>();
      input.tryEmitNext(Part.text("Tell me a story"));
      assertThat(audioIn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("the whole answer reaches the player")
          .isTrue();
      // The user listens for 437 ms of the answer's second, then speaks over it.
      clock.advanceTimeBy(Duration.ofMillis(437));
      // The player's timer may run on the thread that still delivers the answer's last part (its
      // tasks
      // run one at a time), after advanceTimeBy returns: wait until it has let out what was due by
      // 437 ms (and its 50 ms lead, in 50 ms chunks), so that the barge-in finds it played.
      takeUntil(out, seen, p -> audioMillis(seen) >= 500);
      f.userSpeaksOver().forEach(input::tryEmitNext);
      takeUntil(out, seen, Part::isInterrupted);

      Part interrupted = seen.get(seen.size() - 1);
      assertThat(LiveParts.heardMillisOf(interrupted)).hasValue(437);
      // The player let out only what was due by then (437 ms and its 50 ms lead, in 50 ms chunks),
      // and dropped the rest of the second.
      List<Part> playedAudio = seen.stream().filter(Part::isAudio).toList();
      assertThat(audioMillis(playedAudio)).isEqualTo(500);
      String answerId = (String) playedAudio.get(0).metadata(LiveParts.ANSWER_ID);
      assertThat(playedAudio).allMatch(p -> answerId.equals(p.metadata(LiveParts.ANSWER_ID)));
      f.assertTheModelKeepsOnly(answerId, 437);
    } finally {
      session.dispose();
      clock.dispose();
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void anOutOfBandResponseRunsBesideTheConversation(String provider) throws Exception {
    Fixture f = open(provider);
    byte[] answer = speech();
    f.scriptAnAnswerBesideAnOutOfBandOne(answer, "Once upon a time.", "story");
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    HeardAudio heard = new HeardAudio(clock);
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    BlockingQueue<Part> out = new LinkedBlockingQueue<>();
    CountDownLatch audioIn = new CountDownLatch(1);
    CountDownLatch turnIn = new CountDownLatch(1);
    Disposable session =
        played(
                f.processorWithOutOfBand(heard).apply(input.asFlux()),
                clock,
                heard,
                new AtomicLong(),
                audioIn,
                answer.length,
                turnIn)
            .subscribe(out::add);
    try {
      List<Part> seen = new ArrayList<>();
      input.tryEmitNext(Part.text("Tell me a story"));
      input.tryEmitNext(
          OutOfBandRequest.builder()
              .id("classify-1")
              .instructions("Classify the user's request in one word.")
              .metadata("purpose", "classify")
              .textOnly()
              .build()
              .toPart());
      // The out-of-band answer arrives while the conversation's answer is still playing (the
      // virtual clock has not moved).
      takeUntil(out, seen, p -> p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p));
      List<Part> outOfBand = seen.stream().filter(OutOfBandRequest::isOutOfBand).toList();
      assertThat(modelText(outOfBand)).isEqualTo("story");
      assertThat(outOfBand)
          .allSatisfy(
              p -> {
                assertThat(p.metadata(OutOfBandRequest.OUT_OF_BAND)).isEqualTo("classify-1");
                assertThat(p.metadata(OutOfBandRequest.REQUEST_METADATA))
                    .isEqualTo(Map.of("purpose", "classify"));
              });
      assertThat(outOfBand).noneMatch(Part::isAudio);

      assertThat(audioIn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(turnIn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      // The answer plays out as the clock moves.
      playUntil(out, seen, clock, p -> p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p));
      List<Part> conversation =
          seen.stream().filter(p -> !OutOfBandRequest.isOutOfBand(p)).toList();
      assertThat(audioOut(conversation, 24_000)).isEqualTo(answer);
      assertThat(spoken(conversation)).isEqualTo("Once upon a time.");
      assertThat(modelText(conversation)).isEmpty();
    } finally {
      session.dispose();
      clock.dispose();
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aFailedOutOfBandAnswerEndsWithItsErrorAndTheConversationGoesOn(String provider)
      throws Exception {
    Fixture f = open(provider);
    f.scriptAFailedOutOfBandAnswerThenATextAnswer("Hello there");
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    BlockingQueue<Part> out = new LinkedBlockingQueue<>();
    Disposable session =
        f.processorWithOutOfBand(new HeardAudio()).apply(input.asFlux()).subscribe(out::add);
    try {
      List<Part> seen = new ArrayList<>();
      input.tryEmitNext(
          OutOfBandRequest.builder()
              .id("classify-2")
              .instructions("Classify the user's request in one word.")
              .metadata("purpose", "classify")
              .input(Part.text("Book me a flight"))
              .textOnly()
              .build()
              .toPart());
      takeUntil(out, seen, p -> p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p));
      List<Part> outOfBand = seen.stream().filter(OutOfBandRequest::isOutOfBand).toList();
      assertThat(outOfBand)
          .allSatisfy(
              p -> assertThat(p.metadata(OutOfBandRequest.OUT_OF_BAND)).isEqualTo("classify-2"));
      List<Part> complete = outOfBand.stream().filter(Part::isGenerationComplete).toList();
      assertThat(complete).hasSize(1);
      assertThat(complete.get(0).metadata(OutOfBandRequest.ERROR))
          .as("the error on %s", outOfBand)
          .isInstanceOfSatisfying(String.class, error -> assertThat(error).isNotBlank());
      assertThat(outOfBand.indexOf(complete.get(0))).isLessThan(outOfBand.size() - 1);
      assertThat(outOfBand.get(outOfBand.size() - 1).isEndOfTurn()).isTrue();

      // The failure ended that answer only: the conversation goes on.
      List<Part> next = new ArrayList<>();
      input.tryEmitNext(Part.text("Hi"));
      takeUntil(out, next, p -> p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p));
      assertThat(modelText(next)).isEqualTo("Hello there");
      assertThat(next).noneMatch(p -> p.metadata(OutOfBandRequest.ERROR) != null);
    } finally {
      session.dispose();
    }
  }

  /**
   * Takes parts until {@code last}, moving the player's clock 50 ms whenever nothing comes for 20 ms (parts
   * of the provider, such as Gemini's resumption updates, may reach the player while the clock moves).
   */
  static void playUntil(
      BlockingQueue<Part> out, List<Part> seen, VirtualTimeScheduler clock, Predicate<Part> last)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Part p = out.poll(20, TimeUnit.MILLISECONDS);
      if (p == null) {
        assertThat(System.nanoTime())
            .as("a part within %s (seen so far: %s)", WAIT, seen)
            .isLessThan(deadline);
        clock.advanceTimeBy(Duration.ofMillis(50));
        continue;
      }
      seen.add(p);
      if (last.test(p)) {
        return;
      }
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

    /** The Gemini API, for the turn-based model of out-of-band requests. */
    final GeminiApiEmulator api = GeminiApiEmulator.builder().build().start();

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
    public LiveProcessor processorPlayedBy(HeardAudio heard) {
      return GeminiLiveProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .model("gemini-live-2.5-flash-preview")
          .playback(heard)
          .build();
    }

    @Override
    public void scriptAnAnswerTheUserCuts(byte[] pcm24k) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.gemini.Script.builder()
              .turn(
                  dev.genaiprocessors.testkit.gemini.Reply.audio(pcm24k, 24_000),
                  dev.genaiprocessors.testkit.gemini.Reply.hold())
              .turn(
                  dev.genaiprocessors.testkit.gemini.Reply.text("Sure."),
                  dev.genaiprocessors.testkit.gemini.Reply.turnComplete())
              .build());
    }

    @Override
    public List<Part> userSpeaksOver() {
      return List.of(Part.text("Wait, stop"));
    }

    @Override
    public void assertTheModelKeepsOnly(String answerId, long heardMillis) {
      // Gemini Live has no truncation: the server keeps in its context what it sent. What was heard
      // is
      // told to the pipeline only, on the interrupted part (checked by the test).
      assertThat(answerId).isEqualTo("turn-1");
    }

    @Override
    public LiveProcessor processorWithOutOfBand(HeardAudio heard) {
      return GeminiLiveProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .model("gemini-live-2.5-flash-preview")
          .playback(heard)
          .outOfBandModel(
              GeminiModel.builder("gemini-2.5-flash")
                  .baseUrl(api.uri().toString())
                  .apiKey(api.apiKey())
                  .retryPolicy(RetryPolicy.none())
                  .build())
          .build();
    }

    @Override
    public void scriptAnAnswerBesideAnOutOfBandOne(
        byte[] pcm24k, String transcript, String outOfBand) {
      scriptAudioAnswer(pcm24k, transcript);
      api.enqueue(GeminiApiEmulator.text(outOfBand));
    }

    @Override
    public void scriptAFailedOutOfBandAnswerThenATextAnswer(String text) {
      api.enqueue(GeminiApiEmulator.error(500, "INTERNAL", "An internal error has occurred."));
      scriptTextAnswer(text);
    }

    @Override
    public void close() {
      emulator.close();
      api.close();
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
    public LiveProcessor processorPlayedBy(HeardAudio heard) {
      return OpenAiRealtimeProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .playback(heard)
          .build();
    }

    @Override
    public void scriptAnAnswerTheUserCuts(byte[] pcm24k) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.openai.Script.builder()
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.openResponse(
                      dev.genaiprocessors.testkit.openai.Output.audio(pcm24k, "A long story")))
              .on(
                  "input_audio_buffer.append",
                  dev.genaiprocessors.testkit.openai.Reply.speechStarted())
              .build());
    }

    @Override
    public List<Part> userSpeaksOver() {
      return List.of(Part.audio(new byte[4800], 24_000)); // 100 ms the server VAD takes for speech
    }

    @Override
    public void assertTheModelKeepsOnly(String answerId, long heardMillis)
        throws InterruptedException {
      // The answer's item is truncated to exactly what was heard: the model remembers only that.
      var truncate = emulator.takeMessage("conversation.item.truncate", WAIT);
      assertThat(truncate).as("a conversation.item.truncate").isNotNull();
      assertThat(truncate.json().path("item_id").asString()).isEqualTo(answerId);
      assertThat(truncate.json().path("audio_end_ms").asLong()).isEqualTo(heardMillis);
    }

    @Override
    public LiveProcessor processorWithOutOfBand(HeardAudio heard) {
      return processorPlayedBy(heard);
    }

    @Override
    public void scriptAnAnswerBesideAnOutOfBandOne(
        byte[] pcm24k, String transcript, String outOfBand) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.openai.Script.builder()
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.response(
                      dev.genaiprocessors.testkit.openai.Output.audio(pcm24k, transcript)))
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.response(
                      dev.genaiprocessors.testkit.openai.Output.text(outOfBand)))
              .build());
    }

    @Override
    public void scriptAFailedOutOfBandAnswerThenATextAnswer(String text) {
      emulator.enqueue(
          dev.genaiprocessors.testkit.openai.Script.builder()
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.failedResponse(
                      "server_error",
                      null,
                      "The server had an error while processing your request."))
              .on(
                  "response.create",
                  dev.genaiprocessors.testkit.openai.Reply.response(
                      dev.genaiprocessors.testkit.openai.Output.text(text)))
              .build());
    }

    @Override
    public void close() {
      emulator.close();
      clock.dispose();
    }
  }
}
