package dev.genaiprocessors.audio.vad;

import dev.genaiprocessors.audio.Resampler;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;

/**
 * Voice activity detection: passes an audio stream through unchanged, byte for byte, and marks where
 * speech starts and ends with {@link Part#startOfSpeech()} and {@link Part#endOfSpeech()} parts.
 *
 * <pre>{@code
 * Processor vad = Vad.builder().build();                                          // energy, no dependencies
 * Processor silero = Vad.builder().detector(SileroSpeechDetector.factory()).build(); // needs ONNX Runtime
 * microphone.transform(vad).filter(Part::isStartOfSpeech)...
 * }</pre>
 *
 * <p><b>Detection.</b> The audio is cut into frames of the {@link SpeechDetector}'s length; a frame
 * is <em>voiced</em> when the detector's speech probability is at least the {@link
 * Builder#threshold(double) threshold}. The last frames that fit in the {@link Builder#padding(Duration)
 * padding} window (300 ms: 15 frames of the energy detector, 9 of Silero's) are kept in a ring. While
 * silent, speech starts when at least the {@link Builder#speechRatio(double) speech ratio} (0.8) of the
 * window is voiced; while speaking, it ends when at least the {@link Builder#silenceRatio(double)
 * silence ratio} (0.8) of the window is not. So a click or a cough shorter than a fifth of the window
 * does not start speech, and a pause shorter than four fifths of it does not end it. The ring is
 * emptied at each change.
 *
 * <p><b>Output and ordering.</b> Audio leaves in order, and nothing is added to, dropped from or
 * changed in it: the concatenated bytes of the output audio parts equal those of the input. The input
 * parts are cut at frame boundaries, so that a marker always falls between parts: a part that lies
 * within one frame is passed on as it is (the same object, not a copy); a part that crosses a boundary
 * leaves as several parts, copies of its bytes with its MIME type, role, substream and metadata.
 * {@link Part#startOfSpeech()} comes right <em>before</em> the audio of the window that
 * started speech, so that the speech and up to a window of what led into it follow the marker;
 * {@link Part#endOfSpeech()} comes right after the frame that ended it (the trailing window of silence
 * is before it). Parts that are not audio, including empty audio parts, keep their place in the stream
 * relative to the audio: one that follows audio still waiting for a decision waits with it.
 *
 * <p><b>Rates.</b> Audio at a rate other than the detector's is resampled for the detector only,
 * with a band-limited {@link Resampler}; the output carries the original bytes at their own rate. The
 * rate may change within the stream (the resampler is flushed and a new one started).
 *
 * <p><b>End of input.</b> The remaining audio (the held window and the last partial frame, which is not
 * analysed) is emitted, then {@link Part#endOfSpeech()} if speech was still going on: every start has
 * its end.
 *
 * <p><b>Buffering.</b> Only what is undecided is held: while silent, the padding window of frames;
 * always, the part of a frame not yet complete plus the resampler's few milliseconds of look-ahead.
 * So a non-audio part waits at most a padding window plus a frame of <em>audio</em> behind the audio
 * before it; if the audio stops while other parts keep coming, they wait for more audio or the end of
 * the input, up to {@value #MAX_HELD_PARTS} of them: then everything held is released at once, and a
 * start of speech found later may follow some of the audio of its window. The input is read one part
 * ahead.
 *
 * <p><b>Errors.</b> Audio that cannot be analysed fails the output with an {@link
 * IllegalArgumentException} that says what to do: audio that is not streaming PCM ({@code audio/wav}:
 * decode it with {@link Wav#toPcmPart}; other encodings), no {@code rate} parameter, more than one
 * channel, or an odd number of bytes. An error from the input or the detector fails the output at once;
 * what was held is dropped. <b>Cancellation</b> drops what is held. The detector is closed whenever the
 * subscription ends.
 *
 * <p><b>Threads and state.</b> Each subscription gets a new detector from the factory and its own state;
 * the work runs on the thread that delivers the input (see {@link SileroSpeechDetector} for its cost).
 */
public final class Vad implements Processor {

  /** How many non-audio parts may wait behind undecided audio before everything held is released: {@value}. */
  public static final int MAX_HELD_PARTS = 1024;

  final Supplier<? extends SpeechDetector> detectorFactory;
  final double threshold;
  final double speechRatio;
  final double silenceRatio;
  final Duration padding;

  private Vad(Builder b) {
    this.detectorFactory = b.detector;
    this.threshold = b.threshold;
    this.speechRatio = b.speechRatio;
    this.silenceRatio = b.silenceRatio;
    this.padding = b.padding;
  }

  /**
   * A builder with the defaults: {@link EnergySpeechDetector}, threshold 0.5, speech and silence ratios
   * 0.8, padding 300 ms.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Objects.requireNonNull(input, "input");
    return Flux.defer(
        () -> {
          SpeechDetector detector =
              Objects.requireNonNull(detectorFactory.get(), "the detector factory returned null");
          VadSession session;
          try {
            session = new VadSession(this, detector);
          } catch (RuntimeException e) {
            detector.close();
            throw e;
          }
          return input
              .concatMapIterable(session::accept, 1)
              .concatWith(Flux.defer(() -> Flux.fromIterable(session.finish())))
              .doFinally(signal -> detector.close());
        });
  }

  @Override
  public String toString() {
    return "Vad[threshold="
        + threshold
        + ", speechRatio="
        + speechRatio
        + ", silenceRatio="
        + silenceRatio
        + ", padding="
        + padding.toMillis()
        + " ms]";
  }

  /** Configures a {@link Vad}; {@link #build()} checks every setting at once and reports all that are wrong. */
  public static final class Builder {
    private Supplier<? extends SpeechDetector> detector = EnergySpeechDetector::new;
    private double threshold = 0.5;
    private double speechRatio = 0.8;
    private double silenceRatio = 0.8;
    private Duration padding = Duration.ofMillis(300);

    private Builder() {}

    /**
     * Makes the detector of each subscription, such as {@code EnergySpeechDetector::new} (the default)
     * or {@link SileroSpeechDetector#factory()}. It is called once per subscription and must return a
     * new detector each time; the {@link Vad} closes it when the subscription ends.
     *
     * @param factory makes a new detector per subscription
     * @return this builder
     */
    public Builder detector(Supplier<? extends SpeechDetector> factory) {
      this.detector = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * The speech probability from which a frame counts as voiced; in (0, 1], default 0.5.
     *
     * @param threshold the speech probability, in (0, 1]
     * @return this builder
     */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /**
     * The share of the padding window that must be voiced to start speech; in (0, 1], default 0.8.
     *
     * @param speechRatio the voiced share, in (0, 1]
     * @return this builder
     */
    public Builder speechRatio(double speechRatio) {
      this.speechRatio = speechRatio;
      return this;
    }

    /**
     * The share of the padding window that must be unvoiced to end speech; in (0, 1], default 0.8.
     *
     * @param silenceRatio the unvoiced share, in (0, 1]
     * @return this builder
     */
    public Builder silenceRatio(double silenceRatio) {
      this.silenceRatio = silenceRatio;
      return this;
    }

    /**
     * The window over which the ratios are counted, rounded to whole detector frames (at least one);
     * positive and at most 10 s, default 300 ms. It is also the most audio held back while silent.
     *
     * @param padding the window's length, positive and at most 10 s
     * @return this builder
     */
    public Builder padding(Duration padding) {
      this.padding = Objects.requireNonNull(padding, "padding");
      return this;
    }

    /**
     * The VAD.
     *
     * @return a new VAD processor
     * @throws IllegalArgumentException when any setting is out of range; the message lists every one
     */
    public Vad build() {
      List<String> problems = new ArrayList<>();
      checkUnitInterval(problems, "threshold", threshold);
      checkUnitInterval(problems, "speechRatio", speechRatio);
      checkUnitInterval(problems, "silenceRatio", silenceRatio);
      if (padding.isNegative()
          || padding.isZero()
          || padding.compareTo(Duration.ofSeconds(10)) > 0) {
        problems.add(
            "padding must be positive and at most 10 s, was " + padding.toMillis() + " ms");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid Vad settings: " + String.join("; ", problems));
      }
      return new Vad(this);
    }

    private static void checkUnitInterval(List<String> problems, String name, double value) {
      if (!(value > 0 && value <= 1)) {
        problems.add(name + " must be in (0, 1], was " + value);
      }
    }
  }
}
