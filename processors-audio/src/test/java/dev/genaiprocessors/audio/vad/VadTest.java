package dev.genaiprocessors.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.genaiprocessors.audio.Signals;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The {@link Vad} operator on a scripted detector: frames of 10 ms at 1 kHz, voiced exactly when
 * loud, so that every marker position can be computed by hand. With a padding of 100 ms the window
 * is 10 frames, and the ratios of 0.8 need 8 of them.
 */
class VadTest {

  private static final int RATE = 1000;
  private static final short LOUD = 16000;

  /** Voiced (probability 1) when the frame's mean absolute value is at least a quarter of full scale. */
  static class LevelDetector implements SpeechDetector {
    final int rate;
    final AtomicInteger closed = new AtomicInteger();
    int frames;

    LevelDetector(int rate) {
      this.rate = rate;
    }

    @Override
    public int sampleRate() {
      return rate;
    }

    @Override
    public int frameSamples() {
      return rate / 100;
    }

    @Override
    public float speechProbability(float[] frame) {
      assertThat(frame).hasSize(frameSamples());
      frames++;
      double sum = 0;
      for (float sample : frame) {
        sum += Math.abs(sample);
      }
      return sum / frame.length >= 0.25 ? 1f : 0f;
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  private static Vad.Builder scripted() {
    return Vad.builder().detector(() -> new LevelDetector(RATE)).padding(Duration.ofMillis(100));
  }

  /** {@code samples} samples of one value. */
  private static byte[] level(int samples, short value) {
    short[] values = new short[samples];
    Arrays.fill(values, value);
    return Signals.pcm(values);
  }

  private static byte[] join(byte[]... pieces) {
    int length = 0;
    for (byte[] piece : pieces) {
      length += piece.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] piece : pieces) {
      System.arraycopy(piece, 0, out, at, piece.length);
      at += piece.length;
    }
    return out;
  }

  /** 300 ms quiet, 500 ms loud, 300 ms quiet. */
  private static byte[] quietLoudQuiet() {
    return join(level(300, (short) 0), level(500, LOUD), level(300, (short) 0));
  }

  private static List<Part> run(Vad vad, List<Part> input) {
    List<Part> out = new ArrayList<>();
    StepVerifier.create(vad.apply(Flux.fromIterable(input)))
        .recordWith(() -> out)
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    return out;
  }

  /** The audio cut into parts of {@code chunk} samples (the last shorter). */
  private static List<Part> chunks(byte[] pcm, int rate, int chunk) {
    List<Part> parts = new ArrayList<>();
    for (int at = 0; at < pcm.length; at += 2 * chunk) {
      parts.add(
          Part.audio(Arrays.copyOfRange(pcm, at, Math.min(pcm.length, at + 2 * chunk)), rate));
    }
    return parts;
  }

  @Test
  void startComesBeforeTheWindowThatStartedSpeechAndEndAfterTheFrameThatEndedIt() {
    // Voiced frames 30..79. Speech starts at frame 37 (8 of frames 28..37 voiced): the marker goes
    // before frame 28. It ends at frame 87 (8 of frames 78..87 unvoiced): the marker goes after it.
    List<Part> out = run(scripted().build(), List.of(Part.audio(quietLoudQuiet(), RATE)));

    assertThat(VadOutput.tokens(out))
        .containsExactly("audio:280", "start", "audio:600", "end", "audio:220");
    assertThat(VadOutput.audio(out)).isEqualTo(quietLoudQuiet());
  }

  @Test
  void theDecisionsDoNotDependOnHowTheInputIsChunked() {
    for (int chunk : new int[] {1, 3, 7, 10, 13, 64, 1100}) {
      List<Part> out = run(scripted().build(), chunks(quietLoudQuiet(), RATE, chunk));

      assertThat(VadOutput.tokens(out))
          .as("chunks of %d", chunk)
          .containsExactly("audio:280", "start", "audio:600", "end", "audio:220");
      assertThat(VadOutput.audio(out)).isEqualTo(quietLoudQuiet());
      assertThat(out)
          .filteredOn(Part::isAudio)
          .allSatisfy(p -> assertThat(p.byteSize()).isLessThanOrEqualTo(20));
    }
  }

  @Test
  void audioComesOutByteForByteWhateverTheSignalAndChunking() {
    Random random = new Random(7);
    short[] values = new short[20_000];
    for (int i = 0; i < values.length; i++) {
      boolean loud = (i / 137) % 3 != 0;
      values[i] = (short) (loud ? random.nextInt(65536) - 32768 : random.nextInt(200) - 100);
    }
    byte[] pcm = Signals.pcm(values);
    List<Part> input = new ArrayList<>();
    for (int at = 0; at < pcm.length; ) {
      int size = Math.min(pcm.length - at, 2 * (1 + random.nextInt(40)));
      input.add(Part.audio(Arrays.copyOfRange(pcm, at, at + size), RATE));
      at += size;
    }

    List<Part> out = run(scripted().build(), input);

    assertThat(VadOutput.audio(out)).isEqualTo(pcm);
    assertThat(VadOutput.segments(out)).isNotEmpty();
  }

  @Test
  void partsWithinOneFrameAreThemselvesAndPiecesOfLongerPartsKeepTheirAttributes() {
    Part small = Part.audio(level(5, (short) 1), RATE);
    Part longer =
        Part.audio(level(25, (short) 2), RATE)
            .withRole("user")
            .withSubstream("mic")
            .withMetadata("take", "three");

    List<Part> out = run(scripted().build(), List.of(small, longer));

    assertThat(out.get(0)).isSameAs(small);
    assertThat(out.subList(1, out.size())).extracting(Part::byteSize).containsExactly(10, 20, 20);
    assertThat(out.subList(1, out.size()))
        .allSatisfy(
            piece -> {
              assertThat(piece.mimeType()).isEqualTo(longer.mimeType());
              assertThat(piece.role()).isEqualTo("user");
              assertThat(piece.substream()).isEqualTo("mic");
              assertThat(piece.metadata()).containsEntry("take", "three");
            });
  }

  @Test
  void aBurstShorterThanTheSpeechRatioDoesNotStartSpeech() {
    byte[] pcm = join(level(300, (short) 0), level(70, LOUD), level(300, (short) 0));

    List<Part> out = run(scripted().build(), List.of(Part.audio(pcm, RATE)));

    assertThat(VadOutput.tokens(out)).containsExactly("audio:670");
  }

  @Test
  void aPauseShorterThanTheSilenceRatioDoesNotEndSpeech() {
    byte[] pcm =
        join(
            level(300, (short) 0),
            level(300, LOUD),
            level(70, (short) 0),
            level(300, LOUD),
            level(300, (short) 0));

    List<Part> out = run(scripted().build(), List.of(Part.audio(pcm, RATE)));

    assertThat(VadOutput.segments(out)).hasSize(1);
  }

  @Test
  void theRatiosAndThresholdAreHonoured() {
    Supplier<SpeechDetector> sixty =
        () ->
            new LevelDetector(RATE) {
              @Override
              public float speechProbability(float[] frame) {
                return 0.6f;
              }
            };
    List<Part> input = List.of(Part.audio(level(300, (short) 0), RATE));

    assertThat(VadOutput.tokens(run(Vad.builder().detector(sixty).threshold(0.5).build(), input)))
        .startsWith("start")
        .endsWith("end");
    assertThat(VadOutput.tokens(run(Vad.builder().detector(sixty).threshold(0.7).build(), input)))
        .containsExactly("audio:300");
    // 7 loud frames in a row: enough for a ratio of 0.7 of 10 frames, not for 0.8.
    List<Part> burst =
        List.of(
            Part.audio(join(level(100, (short) 0), level(70, LOUD), level(200, (short) 0)), RATE));
    assertThat(VadOutput.segments(run(scripted().speechRatio(0.7).build(), burst))).hasSize(1);
    assertThat(VadOutput.segments(run(scripted().speechRatio(0.8).build(), burst))).isEmpty();
    // A pause of 5 frames ends speech with a silence ratio of 0.5.
    List<Part> pause =
        List.of(Part.audio(join(level(200, LOUD), level(50, (short) 0), level(200, LOUD)), RATE));
    assertThat(VadOutput.segments(run(scripted().silenceRatio(0.5).build(), pause))).hasSize(2);
    assertThat(VadOutput.segments(run(scripted().build(), pause))).hasSize(1);
  }

  @Test
  void nonAudioPartsKeepTheirPlaceInTheStream() {
    byte[] pcm = quietLoudQuiet();
    List<Part> input = new ArrayList<>();
    input.add(Part.text("first"));
    List<Part> audio = chunks(pcm, RATE, 45);
    for (int i = 0; i < audio.size(); i++) {
      input.add(audio.get(i));
      if (i % 4 == 1) {
        input.add(Part.text("after " + (i + 1) * 45));
      }
    }
    input.add(Part.audio(new byte[0], RATE));
    input.add(Part.text("last"));

    List<Part> out = run(scripted().build(), input);

    // Each text is still preceded by exactly the audio that preceded it in the input.
    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();
    long samples = 0;
    for (Part part : input) {
      samples += part.isAudio() ? part.byteSize() / 2 : 0;
      if (part.isText()) {
        expected.add(part.text() + " @" + samples);
      }
    }
    samples = 0;
    for (Part part : out) {
      samples += part.isAudio() ? part.byteSize() / 2 : 0;
      if (part.isText()) {
        actual.add(part.text() + " @" + samples);
      }
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(out).filteredOn(p -> p.isAudio() && p.byteSize() == 0).hasSize(1);
    assertThat(VadOutput.segments(out))
        .extracting(VadOutput.Segment::toString)
        .containsExactly("0.28-0.88");
    assertThat(VadOutput.audio(out)).isEqualTo(pcm);
  }

  @Test
  void aNonAudioPartWaitsOnlyBehindAudioThatIsStillUndecided() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> out = new ArrayList<>();
    scripted().build().apply(input.asFlux()).subscribe(out::add);
    Part a = Part.text("a");
    Part b = Part.text("b");

    input.tryEmitNext(a);
    assertThat(out).containsExactly(a); // nothing held: at once

    input.tryEmitNext(Part.audio(level(50, (short) 0), RATE)); // frames 0..4, held in the window
    input.tryEmitNext(b);
    assertThat(out).containsExactly(a); // b waits behind them

    input.tryEmitNext(Part.audio(level(100, (short) 0), RATE)); // frames 5..14: frames 0..4 leave
    assertThat(VadOutput.tokens(out)).containsExactly("a", "audio:50");

    input.tryEmitNext(Part.audio(level(10, (short) 0), RATE)); // frame 15: frame 5 leaves, after b
    assertThat(VadOutput.tokens(out)).containsExactly("a", "audio:50", "b", "audio:10");

    input.tryEmitComplete();
    assertThat(VadOutput.tokens(out)).containsExactly("a", "audio:50", "b", "audio:110");
  }

  @Test
  void whileSpeakingANonAudioPartWaitsOnlyForTheFrameInProgress() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> out = new ArrayList<>();
    scripted().build().apply(input.asFlux()).subscribe(out::add);

    input.tryEmitNext(Part.audio(level(200, LOUD), RATE));
    assertThat(VadOutput.tokens(out)).containsExactly("start", "audio:200");
    input.tryEmitNext(Part.audio(level(5, LOUD), RATE));
    input.tryEmitNext(Part.text("x"));
    assertThat(VadOutput.tokens(out)).containsExactly("start", "audio:200");
    input.tryEmitNext(Part.audio(level(5, LOUD), RATE));
    assertThat(VadOutput.tokens(out)).containsExactly("start", "audio:205", "x", "audio:5");
    input.tryEmitNext(Part.text("y"));
    assertThat(VadOutput.tokens(out)).containsExactly("start", "audio:205", "x", "audio:5", "y");
    input.tryEmitComplete();
    assertThat(VadOutput.tokens(out))
        .containsExactly("start", "audio:205", "x", "audio:5", "y", "end");
  }

  @Test
  void tooManyWaitingPartsReleaseEverythingHeld() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> out = new ArrayList<>();
    scripted().build().apply(input.asFlux()).subscribe(out::add);

    input.tryEmitNext(Part.audio(level(55, (short) 0), RATE));
    for (int i = 0; i < Vad.MAX_HELD_PARTS; i++) {
      input.tryEmitNext(Part.text("t" + i));
    }
    assertThat(out).isEmpty();
    input.tryEmitNext(Part.text("one too many"));

    assertThat(out).hasSize(6 + Vad.MAX_HELD_PARTS + 1); // 5 frames, the partial one, the texts
    assertThat(VadOutput.audio(out)).hasSize(110);
    assertThat(out.get(out.size() - 1).text()).isEqualTo("one too many");
    input.tryEmitNext(Part.text("passes"));
    assertThat(out.get(out.size() - 1).text()).isEqualTo("passes");
  }

  @Test
  void theEndOfInputFlushesEverythingAndEndsSpeech() {
    byte[] pcm = join(level(200, (short) 0), level(300, LOUD), level(5, LOUD));

    List<Part> out = run(scripted().build(), List.of(Part.audio(pcm, RATE), Part.text("tail")));

    assertThat(VadOutput.tokens(out))
        .containsExactly("audio:180", "start", "audio:325", "tail", "end");
    assertThat(VadOutput.audio(out)).isEqualTo(pcm);
  }

  @Test
  void theEndOfInputWhileSilentEmitsTheHeldAudioWithoutMarkers() {
    byte[] pcm = join(level(95, (short) 0), level(33, LOUD));

    List<Part> out = run(scripted().build(), List.of(Part.audio(pcm, RATE)));

    assertThat(VadOutput.tokens(out)).containsExactly("audio:128");
    assertThat(VadOutput.audio(out)).isEqualTo(pcm);
  }

  @Test
  void audioAtAnotherRateIsResampledForTheDetectorOnly() {
    byte[] pcm = join(level(900, (short) 0), level(1500, LOUD), level(900, (short) 0));
    LevelDetector[] detector = new LevelDetector[1];
    Vad vad =
        Vad.builder()
            .detector(() -> detector[0] = new LevelDetector(RATE))
            .padding(Duration.ofMillis(100))
            .build();

    List<Part> out = run(vad, chunks(pcm, 3 * RATE, 77));

    assertThat(VadOutput.audio(out)).isEqualTo(pcm);
    assertThat(out)
        .filteredOn(Part::isAudio)
        .allSatisfy(
            p -> {
              assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=3000");
              assertThat(p.byteSize()).isLessThanOrEqualTo(60); // cut at the 10 ms frames
            });
    List<VadOutput.Segment> segments = VadOutput.segments(out);
    assertThat(segments).hasSize(1);
    assertThat(segments.get(0).start()).isCloseTo(0.28, within(0.0105));
    assertThat(segments.get(0).end()).isCloseTo(0.88, within(0.0105));
    assertThat(detector[0].frames).isEqualTo(110);
  }

  @Test
  void theRateMayChangeWithinTheStream() {
    Part quiet = Part.audio(level(300, (short) 0), RATE);
    Part loud = Part.bytes(level(1000, LOUD), "audio/l16;rate=2000");
    Part quietAgain = Part.bytes(level(600, (short) 0), "audio/l16;rate=2000");

    List<Part> out = run(scripted().build(), List.of(quiet, loud, quietAgain));

    assertThat(VadOutput.audio(out))
        .isEqualTo(join(quiet.bytes(), loud.bytes(), quietAgain.bytes()));
    List<VadOutput.Segment> segments = VadOutput.segments(out);
    assertThat(segments).hasSize(1);
    assertThat(segments.get(0).start()).isCloseTo(0.28, within(0.0105));
    assertThat(segments.get(0).end()).isCloseTo(0.88, within(0.0105));
    long at1000 =
        out.stream()
            .filter(p -> p.isAudio() && p.mimeType().endsWith("=1000"))
            .mapToInt(Part::byteSize)
            .sum();
    assertThat(at1000).isEqualTo(600);
  }

  @Test
  void unsupportedAudioIsAClearError() {
    assertError(Part.bytes(Wav.encode(level(10, (short) 0), RATE), "audio/wav"), "Wav.toPcmPart");
    assertError(Part.bytes(new byte[4], "audio/mpeg"), "decode it to 16-bit PCM");
    assertError(Part.bytes(new byte[4], "audio/pcm"), "no rate parameter");
    assertError(Part.bytes(new byte[4], "audio/pcm;rate=16000;channels=2"), "mono");
    assertError(Part.bytes(new byte[3], "audio/pcm;rate=16000"), "half a sample");
  }

  private static void assertError(Part bad, String hint) {
    StepVerifier.create(
            scripted().build().apply(Flux.just(Part.text("before"), bad, Part.text("after"))))
        .expectNext(Part.text("before"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(hint))
        .verify();
  }

  @Test
  void eachSubscriptionHasItsOwnDetectorClosedHoweverItEnds() {
    List<LevelDetector> made = new ArrayList<>();
    Vad vad =
        Vad.builder()
            .detector(
                () -> {
                  LevelDetector d = new LevelDetector(RATE);
                  made.add(d);
                  return d;
                })
            .padding(Duration.ofMillis(100))
            .build();
    Flux<Part> speech = Flux.just(Part.audio(quietLoudQuiet(), RATE));

    StepVerifier.create(vad.apply(speech)).thenConsumeWhile(p -> true).verifyComplete();
    StepVerifier.create(vad.apply(speech)).thenConsumeWhile(p -> true).verifyComplete();
    StepVerifier.create(vad.apply(speech.concatWith(Flux.error(new IllegalStateException("boom")))))
        .thenConsumeWhile(p -> true)
        .verifyErrorMessage("boom");
    StepVerifier.create(vad.apply(Flux.concat(speech, Flux.never())), 1)
        .expectNextCount(1)
        .thenCancel()
        .verify();

    assertThat(made).hasSize(4).allSatisfy(d -> assertThat(d.closed).hasValue(1));
    assertThat(made.get(0).frames).isEqualTo(110);
    assertThat(made.get(1).frames).isEqualTo(110);
  }

  @Test
  void theBuilderReportsEveryWrongSettingAtOnce() {
    assertThatThrownBy(
            () ->
                Vad.builder()
                    .threshold(0)
                    .speechRatio(1.5)
                    .silenceRatio(Double.NaN)
                    .padding(Duration.ofSeconds(11))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold must be in (0, 1], was 0.0")
        .hasMessageContaining("speechRatio must be in (0, 1], was 1.5")
        .hasMessageContaining("silenceRatio must be in (0, 1], was NaN")
        .hasMessageContaining("padding must be positive and at most 10 s, was 11000 ms");
    assertThatThrownBy(() -> Vad.builder().padding(Duration.ZERO).build())
        .hasMessageContaining("padding");
    @SuppressWarnings("NullAway") // passes null on purpose: the builder must reject it
    ThrowingCallable nullDetector = () -> Vad.builder().detector(null);
    assertThatThrownBy(nullDetector).isInstanceOf(NullPointerException.class);
    assertThat(Vad.builder().threshold(1).speechRatio(1).silenceRatio(1).build()).isNotNull();
  }

  @Test
  void aPaddingShorterThanAFrameIsOneFrame() {
    List<Part> out =
        run(
            scripted().padding(Duration.ofMillis(1)).build(),
            List.of(
                Part.audio(
                    join(level(20, (short) 0), level(10, LOUD), level(20, (short) 0)), RATE)));

    assertThat(VadOutput.tokens(out))
        .containsExactly("audio:20", "start", "audio:20", "end", "audio:10");
  }
}
