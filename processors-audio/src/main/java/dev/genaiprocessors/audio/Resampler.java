package dev.genaiprocessors.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;

/**
 * Converts one stream of 16-bit little-endian mono PCM from one sample rate to another, chunk by chunk,
 * with a band-limited (windowed-sinc) filter.
 *
 * <pre>{@code
 * Resampler resampler = new Resampler(16000, 24000);
 * for (byte[] chunk : chunks) {
 *   play(resampler.process(ByteBuffer.wrap(chunk)));
 * }
 * play(resampler.flush());
 * }</pre>
 *
 * <p><b>Quality.</b> A Kaiser-windowed sinc in polyphase form, for any pair of rates from
 * {@value #MIN_SAMPLE_RATE} Hz to {@value #MAX_SAMPLE_RATE} Hz (the ratio is reduced by the greatest
 * common divisor). Rates outside that range are refused with an {@link UnsupportedAudioException}
 * before any filter is built: the filter's length grows with the ratio of the rates. Relative to the lower of the two rates, the pass
 * band is flat up to about 42% (6.7 kHz between 16 kHz and 24 kHz), the gain is -6 dB at 46%, and the
 * stop band starts at 50% (the lower rate's Nyquist frequency) with about 100 dB of attenuation, below
 * the 16-bit noise floor. A 1 kHz tone comes out with a signal-to-noise ratio of 90 dB or more. Samples
 * are computed in double precision and rounded to the nearest 16-bit value, clamped.
 *
 * <p><b>Streaming.</b> The resampler keeps the input it still needs between calls, so feeding a stream
 * in chunks of any sizes gives exactly the same samples, bit for bit, as feeding it whole: no clicks at
 * chunk boundaries. Memory is bounded by the filter plus one chunk.
 *
 * <p><b>Timing and latency.</b> The filter is linear-phase and centred, so the output is not delayed:
 * output sample {@code n} is the signal at input time {@code n * inputRate / outputRate}. To compute it
 * the resampler needs the input up to {@link #latency()} later (the filter's half length, about 2.5 ms
 * for 16 kHz to 24 kHz and 48 kHz to 16 kHz), so each {@link #process} call returns the output that
 * the input so far determines, and holds that much back. Before the first sample the input is taken as
 * silence; {@link #flush()} takes it as silence after the last one and returns the held-back tail.
 *
 * <p><b>Length.</b> For {@code N} input samples, all {@code process} calls and the {@code flush} together
 * return exactly {@link #outputLength(long, int, int) ceil(N * outputRate / inputRate)} samples.
 *
 * <p><b>Equal rates</b> copy the samples unchanged, with no latency.
 *
 * <p>Not thread-safe: one resampler serves one stream, fed by one thread at a time.
 */
public final class Resampler {

  /**
   * The lowest sample rate converted, in Hz: {@value}. With {@link #MAX_SAMPLE_RATE} it bounds the
   * ratio of the two rates, and so the filter's length (at most about 16,000 taps at the extremes, a
   * few hundred kilobytes) and the time to build it.
   */
  public static final int MIN_SAMPLE_RATE = 1_000;

  /** The highest sample rate converted, in Hz: {@value} (twice the highest studio rate in use, 192 kHz). */
  public static final int MAX_SAMPLE_RATE = 384_000;

  private final int inputRate;
  private final int outputRate;
  private final KaiserSincFilter filter;
  private final int halfWidth;
  private final int phases;
  private final int step;

  /** Input samples from absolute index {@link #start}, the first {@link #count} valid. */
  private float[] history;

  private long start;
  private int count;

  /** Real input samples received since the start or the last flush. */
  private long received;

  /** The next output sample sits at input time {@code base + phase / L}. */
  private long base;

  private long phase;

  /**
   * A resampler for one stream.
   *
   * @param inputRate samples per second in, from {@link #MIN_SAMPLE_RATE} to {@link #MAX_SAMPLE_RATE}
   * @param outputRate samples per second out, from {@link #MIN_SAMPLE_RATE} to {@link #MAX_SAMPLE_RATE}
   * @throws IllegalArgumentException when a rate is not positive
   * @throws UnsupportedAudioException (an {@code IllegalArgumentException}) when a rate is positive but
   *     outside the supported range: no filter is built, so a hostile rate such as
   *     {@code audio/pcm;rate=2000000000} costs nothing
   */
  public Resampler(int inputRate, int outputRate) {
    if (inputRate <= 0 || outputRate <= 0) {
      throw new IllegalArgumentException(
          "sample rates must be positive, were "
              + inputRate
              + " Hz in and "
              + outputRate
              + " Hz out");
    }
    requireSupportedRate(inputRate, "in");
    requireSupportedRate(outputRate, "out");
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.filter = new KaiserSincFilter(inputRate, outputRate);
    this.halfWidth = filter.halfWidth();
    this.phases = filter.phases();
    this.step = filter.step();
    this.history = new float[4 * halfWidth + 1024];
    reset();
  }

  /**
   * Checks that a positive rate is one a resampler converts.
   *
   * @param direction {@code in} or {@code out}, for the message
   * @throws UnsupportedAudioException when outside {@link #MIN_SAMPLE_RATE} to {@link #MAX_SAMPLE_RATE}
   */
  static void requireSupportedRate(int rate, String direction) {
    if (rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
      throw new UnsupportedAudioException(
          "a sample rate of " + rate + " Hz " + direction,
          "supported: resampling between "
              + MIN_SAMPLE_RATE
              + " Hz and "
              + MAX_SAMPLE_RATE
              + " Hz");
    }
  }

  /**
   * Samples per second in.
   *
   * @return the input rate in Hz
   */
  public int inputRate() {
    return inputRate;
  }

  /**
   * Samples per second out.
   *
   * @return the output rate in Hz
   */
  public int outputRate() {
    return outputRate;
  }

  /**
   * How far ahead in the input the resampler must see before it emits an output sample; zero for equal
   * rates.
   *
   * @return the look-ahead, zero or positive
   */
  public Duration latency() {
    return isIdentity() ? Duration.ZERO : Pcm.duration(2L * halfWidth, inputRate);
  }

  /**
   * The number of samples a whole stream of {@code inputSamples} becomes:
   * {@code ceil(inputSamples * outputRate / inputRate)}.
   *
   * @param inputSamples the number of input samples, zero or more
   * @param inputRate the input rate in Hz, positive
   * @param outputRate the output rate in Hz, positive
   * @return the number of output samples
   * @throws IllegalArgumentException for a negative count or a rate that is not positive
   */
  public static long outputLength(long inputSamples, int inputRate, int outputRate) {
    if (inputSamples < 0 || inputRate <= 0 || outputRate <= 0) {
      throw new IllegalArgumentException(
          "need a non-negative count and positive rates, got "
              + inputSamples
              + ", "
              + inputRate
              + " Hz, "
              + outputRate
              + " Hz");
    }
    int gcd = KaiserSincFilter.gcd(inputRate, outputRate);
    return ceilDiv(Math.multiplyExact(inputSamples, (long) (outputRate / gcd)), inputRate / gcd);
  }

  /**
   * Feeds the next chunk of the stream and returns the output it completes.
   *
   * @param pcm16le samples from the buffer's position to its limit, read little-endian; the buffer
   *     itself is not changed
   * @return 16-bit little-endian samples at the output rate; possibly empty
   * @throws IllegalArgumentException when the number of bytes is odd
   */
  public byte[] process(ByteBuffer pcm16le) {
    ByteBuffer in = pcm16le.slice().order(ByteOrder.LITTLE_ENDIAN);
    int samples = (int) Pcm.samples(in.remaining());
    if (isIdentity()) {
      byte[] copy = new byte[in.remaining()];
      in.get(copy);
      return copy;
    }
    ensureRoom(samples);
    for (int i = 0; i < samples; i++) {
      history[count + i] = in.getShort(i * Pcm.BYTES_PER_SAMPLE);
    }
    count += samples;
    received += samples;
    return produce(received - 1 - halfWidth);
  }

  /**
   * Ends the stream: returns the held-back output, computed as if silence followed, and makes the
   * resampler ready for a new stream (as if newly made).
   *
   * @return the last 16-bit little-endian samples of the stream; possibly empty
   */
  public byte[] flush() {
    if (isIdentity()) {
      return new byte[0];
    }
    ensureRoom(halfWidth);
    Arrays.fill(history, count, count + halfWidth, 0f);
    count += halfWidth;
    byte[] tail = produce(received - 1);
    reset();
    return tail;
  }

  /** Emits every output sample whose input time's floor is at most {@code lastBase}. */
  private byte[] produce(long lastBase) {
    long room = lastBase - base;
    if (room < 0) {
      return new byte[0];
    }
    // Outputs n' = 0, 1, ... while base + floor((phase + n' * M) / L) <= lastBase.
    int outputs = (int) ceilDiv((room + 1) * phases - phase, step);
    byte[] out = new byte[outputs * Pcm.BYTES_PER_SAMPLE];
    int taps = 2 * halfWidth;
    for (int n = 0; n < outputs; n++) {
      float[] coefficients = filter.taps((int) phase);
      int offset = (int) (base - halfWidth + 1 - start);
      double sum = 0;
      for (int i = 0; i < taps; i++) {
        sum += (double) history[offset + i] * coefficients[i];
      }
      Pcm.putSample(out, n, Math.round(sum));
      phase += step;
      base += phase / phases;
      phase %= phases;
    }
    discardBefore(base - halfWidth + 1);
    return out;
  }

  private void discardBefore(long index) {
    int drop = (int) Math.min(count, Math.max(0, index - start));
    System.arraycopy(history, drop, history, 0, count - drop);
    count -= drop;
    start += drop;
  }

  private void ensureRoom(int more) {
    if (count + more > history.length) {
      long wanted = Math.max(2L * history.length, (long) count + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "chunk of " + more + " samples is too large to resample at once");
      }
      history = Arrays.copyOf(history, (int) wanted);
    }
  }

  private void reset() {
    // K - 1 samples of silence before the stream, so the first outputs need no bounds checks.
    count = halfWidth - 1;
    Arrays.fill(history, 0, count, 0f);
    start = -count;
    received = 0;
    base = 0;
    phase = 0;
  }

  private boolean isIdentity() {
    return inputRate == outputRate;
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
