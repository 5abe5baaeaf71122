package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Arithmetic on 16-bit little-endian mono PCM, the working audio format of the project: durations,
 * sizes, splitting, joining, silence and conversion to and from floating point samples.
 *
 * <p>One sample is two bytes. Every method that takes a byte count or PCM bytes rejects an odd count
 * (half a sample) with an {@link IllegalArgumentException}; every method that cuts audio cuts on
 * sample boundaries.
 *
 * <p>Methods that take a {@link Part} accept streaming audio only: {@code audio/pcm} or {@code audio/l16}
 * with a {@code rate} parameter (both are read as little-endian samples).
 */
public final class Pcm {

  /** Bytes in one sample of the working format: {@value}. */
  public static final int BYTES_PER_SAMPLE = 2;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Pcm() {}

  /**
   * How long this many bytes of PCM play at this rate, to the nanosecond. When the exact duration is
   * not a whole number of nanoseconds it is rounded up, so that {@code bytes(duration(n, r), r) == n}.
   *
   * @param byteCount a non-negative, even number of bytes
   * @param sampleRate samples per second, positive
   * @return the play time, rounded up to the next nanosecond
   * @throws IllegalArgumentException for an odd or negative byte count or a rate that is not positive
   */
  public static Duration duration(long byteCount, int sampleRate) {
    long samples = samples(byteCount);
    requireRate(sampleRate);
    long seconds = samples / sampleRate;
    long rest = samples % sampleRate;
    // rest < sampleRate <= Integer.MAX_VALUE, so rest * 1e9 fits in a long.
    long nanos = (rest * NANOS_PER_SECOND + sampleRate - 1) / sampleRate;
    return Duration.ofSeconds(seconds, nanos);
  }

  /**
   * The number of samples in this many bytes.
   *
   * @param byteCount a non-negative, even number of bytes of 16-bit PCM
   * @return {@code byteCount / 2}
   * @throws IllegalArgumentException for an odd or negative byte count
   */
  public static long samples(long byteCount) {
    if (byteCount < 0) {
      throw new IllegalArgumentException("byte count must not be negative, was " + byteCount);
    }
    if ((byteCount & 1) != 0) {
      throw new IllegalArgumentException(
          "16-bit PCM needs an even number of bytes, got "
              + byteCount
              + " (half a sample at the end)");
    }
    return byteCount / BYTES_PER_SAMPLE;
  }

  /**
   * The number of bytes of PCM that fit in a duration at this rate, rounded down to whole samples
   * (always even).
   *
   * @param duration the play time, zero or positive
   * @param sampleRate samples per second, positive
   * @return an even number of bytes, zero or more
   * @throws IllegalArgumentException for a negative duration or a rate that is not positive
   * @throws ArithmeticException when the result does not fit in a long
   */
  public static long bytes(Duration duration, int sampleRate) {
    Objects.requireNonNull(duration, "duration");
    requireRate(sampleRate);
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, was " + duration);
    }
    long whole = Math.multiplyExact(duration.getSeconds(), (long) sampleRate);
    long fraction = (long) duration.getNano() * sampleRate / NANOS_PER_SECOND;
    return Math.multiplyExact(Math.addExact(whole, fraction), (long) BYTES_PER_SAMPLE);
  }

  /**
   * Splits an audio part into parts of at most {@code maxChunk} each, cut on sample boundaries; only
   * the last may be shorter. Each piece keeps the part's MIME type, role, substream and metadata (all
   * of it, on every piece: metadata describe the audio as a whole, and a consumer that filters on them
   * must see every piece). A part no longer than {@code maxChunk} is returned as it is, not copied.
   *
   * @param audio a streaming audio part with a rate
   * @param maxChunk the longest piece; at least one sample long at the part's rate
   * @return the pieces, in order; one piece (the part itself) for an empty part
   * @throws IllegalArgumentException when the part is not streaming audio with a rate, has an odd byte
   *     count, or {@code maxChunk} is shorter than one sample
   */
  public static List<Part> split(Part audio, Duration maxChunk) {
    Objects.requireNonNull(maxChunk, "maxChunk");
    int rate = sampleRate(audio);
    int size = audio.byteSize();
    samples(size);
    long chunkBytes = bytes(maxChunk, rate);
    if (chunkBytes < BYTES_PER_SAMPLE) {
      throw new IllegalArgumentException(
          "chunk of " + maxChunk + " is shorter than one sample at " + rate + " Hz");
    }
    if (size <= chunkBytes) {
      return List.of(audio);
    }
    int chunk = (int) chunkBytes;
    ByteBuffer source = audio.byteBuffer();
    List<Part> pieces = new ArrayList<>((size + chunk - 1) / chunk);
    for (int offset = 0; offset < size; offset += chunk) {
      byte[] piece = new byte[Math.min(chunk, size - offset)];
      source.get(offset, piece);
      pieces.add(withAttributesOf(audio, Part.bytes(piece, audio.mimeType())));
    }
    return pieces;
  }

  /**
   * Joins audio parts of one sample rate into one part, in order. The result has the MIME type, role,
   * substream and metadata of the first part.
   *
   * @param parts streaming audio parts with a rate, at least one
   * @return one new part holding all the samples
   * @throws IllegalArgumentException when the list is empty, a part is not streaming audio with a rate,
   *     the rates differ (the message names both), or the total is over 2 GiB
   */
  public static Part concat(List<Part> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to concatenate: no parts");
    }
    Part first = parts.get(0);
    int rate = sampleRate(first);
    long total = 0;
    for (Part part : parts) {
      int other = sampleRate(part);
      if (other != rate) {
        throw new IllegalArgumentException(
            "cannot concatenate audio of different sample rates: "
                + rate
                + " Hz ("
                + first.mimeType()
                + ") and "
                + other
                + " Hz ("
                + part.mimeType()
                + "); resample first");
      }
      total += samples(part.byteSize()) * BYTES_PER_SAMPLE;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "concatenated audio would be " + total + " bytes, over 2 GiB");
    }
    byte[] joined = new byte[(int) total];
    int offset = 0;
    for (Part part : parts) {
      int size = part.byteSize();
      part.byteBuffer().get(0, joined, offset, size);
      offset += size;
    }
    return withAttributesOf(first, Part.bytes(joined, first.mimeType()));
  }

  /**
   * A part of silence ({@code audio/pcm;rate=<sampleRate>}), as many whole samples as fit in the
   * duration.
   *
   * @param duration how long the silence plays, zero or positive
   * @param sampleRate samples per second, positive
   * @return a new part of zero-valued samples
   * @throws IllegalArgumentException for a negative duration, a rate that is not positive, or more
   *     than 2 GiB of samples
   */
  public static Part silence(Duration duration, int sampleRate) {
    long size = bytes(duration, sampleRate);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          duration + " of silence at " + sampleRate + " Hz is over 2 GiB");
    }
    return Part.audio(new byte[(int) size], sampleRate);
  }

  /**
   * The samples from the buffer's position to its limit as floats in {@code [-1, 1)}: {@code s / 32768}.
   * The buffer's position, limit and byte order are not changed; the bytes are read little-endian.
   *
   * @param pcm16le 16-bit little-endian PCM from its position to its limit; left unchanged
   * @return a new array of {@code remaining() / 2} floats
   * @throws IllegalArgumentException when the number of remaining bytes is odd
   */
  public static float[] toFloats(ByteBuffer pcm16le) {
    ByteBuffer in = pcm16le.slice().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(int) samples(in.remaining())];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.getShort(i * BYTES_PER_SAMPLE) / 32768f;
    }
    return out;
  }

  /**
   * The samples of a byte array of PCM as floats in {@code [-1, 1)}.
   *
   * @param pcm16le 16-bit little-endian PCM
   * @return a new array of {@code pcm16le.length / 2} floats
   * @throws IllegalArgumentException when the byte count is odd
   */
  public static float[] toFloats(byte[] pcm16le) {
    return toFloats(ByteBuffer.wrap(pcm16le));
  }

  /**
   * Floats back to PCM: each value times 32768, rounded to the nearest integer and clamped to
   * {@code [-32768, 32767]} (so 1.0 becomes 32767; NaN becomes 0).
   *
   * @param samples the samples, nominally in {@code [-1, 1]}
   * @return a new array of {@code 2 * samples.length} bytes
   */
  public static byte[] fromFloats(float[] samples) {
    byte[] out = new byte[samples.length * BYTES_PER_SAMPLE];
    for (int i = 0; i < samples.length; i++) {
      putSample(out, i, Math.round(samples[i] * 32768.0));
    }
    return out;
  }

  /** Writes {@code value}, clamped to 16 bits, as sample {@code index} of {@code pcm}. */
  static void putSample(byte[] pcm, int index, long value) {
    int clamped = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
    pcm[2 * index] = (byte) clamped;
    pcm[2 * index + 1] = (byte) (clamped >> 8);
  }

  /**
   * The sample rate of a streaming audio part.
   *
   * @throws IllegalArgumentException when the part is not {@code audio/pcm} or {@code audio/l16} with a
   *     rate, naming what it is
   */
  static int sampleRate(Part part) {
    Objects.requireNonNull(part, "part");
    String mime = part.mimeType();
    if (!part.isBytes() || !MimeTypes.isStreamingAudio(mime)) {
      String hint = MimeTypes.isWav(mime) ? " (decode WAV parts with Wav.toPcmPart first)" : "";
      throw new IllegalArgumentException(
          "expected streaming audio (audio/pcm or audio/l16 with a rate), got "
              + describe(part)
              + hint);
    }
    OptionalInt rate = MimeTypes.sampleRate(mime);
    if (rate.isEmpty()) {
      throw new IllegalArgumentException(
          "audio part '"
              + mime
              + "' has no rate parameter; expected for example audio/pcm;rate=16000");
    }
    return rate.getAsInt();
  }

  /**
   * {@code target} with the role, substream and metadata of {@code source}.
   *
   * @param source the part whose role, substream and metadata are copied
   * @param target the part whose content is kept
   * @return {@code target} with those attributes
   */
  public static Part withAttributesOf(Part source, Part target) {
    Part out = target.withRole(source.role()).withSubstream(source.substream());
    return source.metadata().isEmpty() ? out : out.withMetadata(source.metadata());
  }

  private static String describe(Part part) {
    return part.isBytes() ? "'" + part.mimeType() + "'" : "a " + part.mimeType() + " part";
  }

  private static void requireRate(int sampleRate) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, was " + sampleRate);
    }
  }
}
