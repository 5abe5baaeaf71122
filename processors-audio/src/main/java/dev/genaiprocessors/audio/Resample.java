package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Processors that convert streaming audio to one sample rate, with a {@link Resampler} per stream.
 *
 * <pre>{@code
 * Processor toModel = Resample.to(16000);     // microphone at 48 kHz -> model at 16 kHz
 * Flux<Part> out = microphone.transform(toModel);
 * }</pre>
 */
public final class Resample {

  private Resample() {}

  /**
   * A processor that converts every streaming audio part ({@code audio/pcm} or {@code audio/l16} with a
   * {@code rate}) to {@code targetRate}, as one continuous signal across parts.
   *
   * <p><b>Parts.</b> Audio parts already at the target rate pass untouched. Other audio parts become
   * parts of the same MIME type with {@code rate=<targetRate>} (other MIME parameters are dropped),
   * carrying the role, substream and metadata of the input part whose samples completed them; a part
   * too short to complete any output sample gives no part. Parts that are not audio pass through
   * unchanged. All streaming audio parts, whatever their substream, are treated as one signal.
   *
   * <p><b>Ordering and latency.</b> Output keeps input order, but the resampler holds back the last
   * {@link Resampler#latency()} of input (a few milliseconds) until more audio arrives, so a non-audio
   * part that follows audio may come out before the last few milliseconds of that audio. At the end of
   * the input the held-back tail is flushed as one more part. Output length follows
   * {@link Resampler#outputLength}.
   *
   * <p><b>Rate changes.</b> When an audio part arrives with a different rate than the parts before it,
   * the resampler of the old rate is flushed (its tail is emitted first) and a new one starts for the
   * new rate, as at the start of a stream.
   *
   * <p><b>Errors.</b> An audio part that is not streaming audio (such as {@code audio/wav}: decode it
   * with {@link Wav#toPcmPart} first), has no {@code rate}, or has an odd number of bytes ends the
   * output with an {@link IllegalArgumentException}. Upstream errors pass through; the tail is not
   * flushed then. <b>Cancellation</b> drops the held-back tail. <b>Buffering</b>: no parts are held,
   * only the filter's history. <b>State</b> is made per subscription: each subscriber resamples afresh.
   *
   * <p>An audio part whose rate is outside {@link Resampler#MIN_SAMPLE_RATE} to
   * {@link Resampler#MAX_SAMPLE_RATE} (and not already the target rate) ends the output with an
   * {@link UnsupportedAudioException}, before any filter is built.
   *
   * @param targetRate samples per second out, from {@link Resampler#MIN_SAMPLE_RATE} to
   *     {@link Resampler#MAX_SAMPLE_RATE}
   * @return a processor that resamples audio parts and passes other parts through
   * @throws IllegalArgumentException at once when the rate is not positive, or outside that range
   */
  public static Processor to(int targetRate) {
    if (targetRate <= 0) {
      throw new IllegalArgumentException("target sample rate must be positive, was " + targetRate);
    }
    Resampler.requireSupportedRate(targetRate, "out");
    return input ->
        Flux.defer(
            () -> {
              Converter converter = new Converter(targetRate);
              return input
                  .concatMapIterable(converter::accept)
                  .concatWith(Flux.defer(() -> Flux.fromIterable(converter.finish())));
            });
  }

  /**
   * A processor that converts a live model's output audio to {@code targetRate} turn by turn: like
   * {@link #to(int)}, but each turn is resampled on its own, so the held-back tail of a turn's audio is
   * flushed before the part that ends the turn and no audio of a turn comes after its end.
   *
   * <p><b>Turns.</b> A turn ends with an end-of-turn part of role {@code model} ({@link Part#isEndOfTurn()}
   * and {@code role() == "model"}), emitted after the turn's audio and its flushed tail; a user's end of
   * turn does not split. Each
   * turn starts a fresh resampler (a few milliseconds of filter history are not carried across turns, where
   * the audio is discontinuous anyway). Parts after the last end of turn form one more turn, flushed when the
   * input ends.
   *
   * <p><b>Ordering, errors, cancellation and buffering</b> are as for {@link #to(int)}, per turn: turns are
   * resampled one after the other, in order; nothing is held but the current turn's filter history.
   *
   * @param targetRate samples per second out, from {@link Resampler#MIN_SAMPLE_RATE} to
   *     {@link Resampler#MAX_SAMPLE_RATE}
   * @return a processor that resamples each turn's audio parts and passes other parts through
   * @throws IllegalArgumentException at once when the rate is not positive, or outside that range
   */
  public static Processor perTurn(int targetRate) {
    Processor resample = to(targetRate);
    return input ->
        input
            // cutBefore: the end part opens the next window, so the turn's window (and its
            // resampler,
            // whose tail is then flushed) completes before the end part is emitted.
            .windowUntil(Resample::isModelEndOfTurn, true)
            .concatMap(turn -> turn.transform(resample));
  }

  private static boolean isModelEndOfTurn(Part part) {
    return part.isEndOfTurn() && "model".equals(part.role());
  }

  /** The state of one subscription: the resampler for the current input rate. */
  private static final class Converter {
    private final int targetRate;
    private @Nullable Resampler resampler;

    /** The last audio part fed to {@link #resampler}; its attributes go on the flushed tail. */
    private @Nullable Part last;

    Converter(int targetRate) {
      this.targetRate = targetRate;
    }

    List<Part> accept(Part part) {
      if (!part.isAudio()) {
        return List.of(part);
      }
      int rate = Pcm.sampleRate(part);
      Pcm.samples(part.byteSize());
      List<Part> out = new ArrayList<>(2);
      if (resampler != null && resampler.inputRate() != rate) {
        out.addAll(finish());
      }
      if (rate == targetRate) {
        out.add(part);
        return out;
      }
      if (resampler == null) {
        resampler = new Resampler(rate, targetRate);
      }
      last = part;
      addIfNotEmpty(out, part, resampler.process(part.byteBuffer()));
      return out;
    }

    List<Part> finish() {
      List<Part> out = new ArrayList<>(1);
      if (resampler != null && last != null) {
        addIfNotEmpty(out, last, resampler.flush());
      }
      resampler = null;
      last = null;
      return out;
    }

    private void addIfNotEmpty(List<Part> out, Part source, byte[] pcm) {
      if (pcm.length > 0) {
        String mime = MimeTypes.essence(source.mimeType()) + ";rate=" + targetRate;
        out.add(Pcm.withAttributesOf(source, Part.bytes(pcm, mime)));
      }
    }
  }
}
