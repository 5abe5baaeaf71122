package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * A processor that joins runs of consecutive streaming audio parts into single {@code audio/wav} parts,
 * for models and tools that take whole audio files rather than streams.
 *
 * <pre>{@code
 * Flux<Part> files = microphone.transform(new AudioToWav());
 * }</pre>
 *
 * <p><b>Runs.</b> A run is a sequence of consecutive streaming audio parts ({@code audio/pcm} or
 * {@code audio/l16} with a {@code rate}, read as little-endian) with the same MIME type (type and rate),
 * role and substream. A run ends at a part with another MIME type, role or substream, at any part that
 * is not streaming audio, and at the end of the input; its samples then come out as one mono 16-bit WAV
 * part, with the role, substream and metadata of the run's first part. A run with no samples gives no
 * part.
 *
 * <p><b>Ordering.</b> Parts that are not streaming audio (text, control parts, images, even other audio
 * such as {@code audio/wav}) pass through unchanged, right after the WAV of the run they ended: output
 * keeps input order.
 *
 * <p><b>Buffering.</b> A run is held in memory until it ends, up to {@code maxDuration} of samples
 * ({@link #DEFAULT_MAX_DURATION} by default; 10 minutes at 48 kHz is 58 MB). When that much has
 * gathered, a WAV of exactly {@code maxDuration} is emitted and the run goes on in a new buffer: no
 * samples are lost, long runs become several WAV parts. The buffer is released when a run ends.
 *
 * <p><b>Errors.</b> A streaming audio part without a {@code rate} or with an odd number of bytes ends the
 * output with an {@link IllegalArgumentException}; upstream errors pass through. On error and on
 * cancellation the audio of the unfinished run is dropped. <b>State</b> is made per subscription.
 */
public final class AudioToWav implements Processor {

  /** The longest WAV part made when no other maximum is given: 10 minutes. */
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(10);

  private static final int INITIAL_BUFFER = 64 * 1024;

  private final Duration maxDuration;

  /** Joins runs of audio into WAV parts of at most {@link #DEFAULT_MAX_DURATION} each. */
  public AudioToWav() {
    this(DEFAULT_MAX_DURATION);
  }

  /**
   * Joins runs of audio into WAV parts of at most {@code maxDuration} each.
   *
   * @param maxDuration the most audio held and put in one WAV part; positive (at least one sample is
   *     always taken)
   * @throws IllegalArgumentException when the duration is not positive
   */
  public AudioToWav(Duration maxDuration) {
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (maxDuration.isNegative() || maxDuration.isZero()) {
      throw new IllegalArgumentException("maxDuration must be positive, was " + maxDuration);
    }
    this.maxDuration = maxDuration;
  }

  /** The output for an input stream; see the class description. */
  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.defer(
        () -> {
          Joiner joiner = new Joiner(maxDuration);
          return input
              .concatMapIterable(joiner::accept)
              .concatWith(Flux.defer(() -> Flux.fromIterable(joiner.flush())));
        });
  }

  /** The run being gathered for one subscription. */
  private static final class Joiner {
    private final Duration maxDuration;

    /** The first part of the run, which defines it; null between runs. */
    private @Nullable Part runStart;

    /** The part whose samples start the buffer; its attributes go on the WAV. */
    private @Nullable Part head;

    private int rate;
    private int limit;
    private byte[] buffer = new byte[0];
    private int length;

    Joiner(Duration maxDuration) {
      this.maxDuration = maxDuration;
    }

    List<Part> accept(Part part) {
      if (!part.isBytes() || !MimeTypes.isStreamingAudio(part.mimeType())) {
        List<Part> out = flush();
        out.add(part);
        return out;
      }
      int partRate = Pcm.sampleRate(part);
      int size = part.byteSize();
      Pcm.samples(size);
      List<Part> out = new ArrayList<>(1);
      if (runStart != null && !sameRun(runStart, part, partRate)) {
        out.addAll(flush());
      }
      if (runStart == null) {
        runStart = part;
        rate = partRate;
        long maxBytes = Pcm.bytes(maxDuration, rate);
        long fits = (Integer.MAX_VALUE - 8 - Wav.HEADER_SIZE) & ~1L;
        limit = (int) Math.max(Pcm.BYTES_PER_SAMPLE, Math.min(maxBytes, fits));
      }
      for (int offset = 0; offset < size; ) {
        if (length == 0) {
          head = part;
        }
        int count = Math.min(size - offset, limit - length);
        ensureCapacity(length + count);
        part.byteBuffer().get(offset, buffer, length, count);
        length += count;
        offset += count;
        if (length == limit) {
          out.add(emit());
        }
      }
      return out;
    }

    /** Ends the run: its WAV, if it has samples, in a mutable list. */
    List<Part> flush() {
      List<Part> out = new ArrayList<>(2);
      if (length > 0) {
        out.add(emit());
      }
      runStart = null;
      head = null;
      buffer = new byte[0];
      return out;
    }

    private Part emit() {
      Part source = Objects.requireNonNull(head, "head");
      Part wav = Part.bytes(Wav.encode(buffer, 0, length, rate), MimeTypes.AUDIO_WAV);
      length = 0;
      return Pcm.withAttributesOf(source, wav);
    }

    private void ensureCapacity(int needed) {
      if (needed > buffer.length) {
        long grown = Math.max(needed, Math.max(INITIAL_BUFFER, 2L * buffer.length));
        buffer = Arrays.copyOf(buffer, (int) Math.min(grown, limit));
      }
    }

    private static boolean sameRun(Part first, Part next, int nextRate) {
      return MimeTypes.essence(first.mimeType()).equals(MimeTypes.essence(next.mimeType()))
          && MimeTypes.sampleRate(first.mimeType()).getAsInt() == nextRate
          && first.role().equalsIgnoreCase(next.role())
          && first.substream().equalsIgnoreCase(next.substream());
    }
  }
}
