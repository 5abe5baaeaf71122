package dev.genaiprocessors.testkit.audio;

import dev.genaiprocessors.core.Part;
import java.util.Random;

/**
 * Deterministic test signals as mono 16-bit little-endian PCM ({@code byte[]}, two bytes a sample) at an
 * explicit sample rate, or as audio parts ({@link Part#audio(byte[], int)}).
 *
 * <pre>{@code
 * byte[] pcm = TestSignals.concat(
 *     TestSignals.silence(16000, 0.5),
 *     TestSignals.speechLike(16000, 1.0),
 *     TestSignals.noise(16000, 0.5, -40, 7));
 * Part part = TestSignals.part(pcm, 16000);
 * }</pre>
 *
 * <p><b>Ranges.</b> Sample rates are in [{@value #MIN_RATE}, {@value #MAX_RATE}] Hz; durations are in
 * seconds, finite, in [0, {@value #MAX_SECONDS}], and round to the nearest sample; amplitudes are
 * fractions of full scale in [0, 1]; frequencies are in (0, rate / 2). A value outside its range throws
 * {@link IllegalArgumentException} naming the parameter, its range and the value. Samples are rounded
 * and clipped to [-32768, 32767]. Every method is pure and thread-safe; the same arguments give the
 * same bytes.
 */
public final class TestSignals {

  /** The lowest sample rate accepted, in Hz. */
  public static final int MIN_RATE = 1000;

  /** The highest sample rate accepted, in Hz. */
  public static final int MAX_RATE = 192_000;

  /** The longest signal accepted, in seconds. */
  public static final double MAX_SECONDS = 3600;

  private TestSignals() {}

  /**
   * A sine tone: {@code amplitude * sin(2 pi frequency t)}, starting at phase 0.
   *
   * @param rate the sample rate in Hz
   * @param seconds the duration
   * @param frequency the frequency in Hz, below rate / 2
   * @param amplitude the peak, as a fraction of full scale
   * @return the PCM
   * @throws IllegalArgumentException when a value is out of range
   */
  public static byte[] tone(int rate, double seconds, double frequency, double amplitude) {
    int samples = samples(rate, seconds);
    checkFrequency("frequency", frequency, rate);
    checkAmplitude(amplitude);
    short[] out = new short[samples];
    for (int n = 0; n < samples; n++) {
      out[n] = sample(amplitude * Math.sin(2 * Math.PI * frequency * n / rate));
    }
    return pcm(out);
  }

  /**
   * Digital silence: zeros.
   *
   * @param rate the sample rate in Hz
   * @param seconds the duration
   * @return the PCM
   * @throws IllegalArgumentException when a value is out of range
   */
  public static byte[] silence(int rate, double seconds) {
    return new byte[2 * samples(rate, seconds)];
  }

  /**
   * White Gaussian noise whose RMS is {@code dbfs} dB relative to full scale, from a seeded generator.
   *
   * @param rate the sample rate in Hz
   * @param seconds the duration
   * @param dbfs the level, at most 0 (-20 is loud, -60 a quiet room)
   * @param seed the seed; the same seed gives the same noise
   * @return the PCM
   * @throws IllegalArgumentException when a value is out of range
   */
  public static byte[] noise(int rate, double seconds, double dbfs, long seed) {
    int samples = samples(rate, seconds);
    if (!(dbfs <= 0)) {
      throw new IllegalArgumentException("dbfs must be at most 0 (full scale), was " + dbfs);
    }
    Random random = new Random(seed);
    double rms = Math.pow(10, dbfs / 20);
    short[] out = new short[samples];
    for (int n = 0; n < samples; n++) {
      out[n] = sample(random.nextGaussian() * rms);
    }
    return pcm(out);
  }

  /**
   * A linear chirp: a sine whose frequency glides from {@code fromHz} to {@code toHz} over the duration.
   *
   * @param rate the sample rate in Hz
   * @param seconds the duration
   * @param fromHz the frequency at the start, below rate / 2
   * @param toHz the frequency at the end, below rate / 2
   * @param amplitude the peak, as a fraction of full scale
   * @return the PCM
   * @throws IllegalArgumentException when a value is out of range
   */
  public static byte[] chirp(
      int rate, double seconds, double fromHz, double toHz, double amplitude) {
    int samples = samples(rate, seconds);
    checkFrequency("fromHz", fromHz, rate);
    checkFrequency("toHz", toHz, rate);
    checkAmplitude(amplitude);
    double slope = seconds == 0 ? 0 : (toHz - fromHz) / seconds;
    short[] out = new short[samples];
    for (int n = 0; n < samples; n++) {
      double t = (double) n / rate;
      out[n] = sample(amplitude * Math.sin(2 * Math.PI * (fromHz * t + slope * t * t / 2)));
    }
    return pcm(out);
  }

  /**
   * Sound shaped like voiced speech, for voice activity and level tests (it is not intelligible): the
   * harmonics (falling as 1/k, up to 3.8 kHz or rate / 2 - 200 Hz) of a fundamental gliding between 120
   * and 160 Hz, in syllables of 250 ms whose loudness swings from a peak of 0.3 of full scale (about -10
   * dBFS) down to a tenth of it between syllables, with 10 ms fades at both ends.
   *
   * @param rate the sample rate in Hz
   * @param seconds the duration
   * @return the PCM
   * @throws IllegalArgumentException when a value is out of range
   */
  public static byte[] speechLike(int rate, double seconds) {
    double[] out = new double[samples(rate, seconds)];
    double phase = 0;
    double peak = 0;
    for (int n = 0; n < out.length; n++) {
      double t = (double) n / rate;
      double f0 = 140 + 20 * Math.sin(2 * Math.PI * 0.7 * t);
      phase += 2 * Math.PI * f0 / rate;
      double sum = 0;
      for (int k = 1; k * f0 < Math.min(3800, rate / 2.0 - 200); k++) {
        sum += Math.sin(k * phase) / k;
      }
      out[n] = sum * (0.55 - 0.45 * Math.cos(2 * Math.PI * 4 * t));
      peak = Math.max(peak, Math.abs(out[n]));
    }
    double gain = peak == 0 ? 0 : 0.3 / peak;
    int fade = Math.max(1, Math.min(out.length / 2, (int) Math.round(rate * 0.010)));
    short[] pcm = new short[out.length];
    for (int n = 0; n < out.length; n++) {
      double ramp = Math.min(1, Math.min((double) n / fade, (double) (out.length - 1 - n) / fade));
      pcm[n] = sample(out[n] * gain * ramp);
    }
    return pcm(pcm);
  }

  /**
   * The signals one after the other (they must share a sample rate; nothing checks it).
   *
   * @param signals PCM arrays, each of whole samples
   * @return a new array holding them in order
   * @throws IllegalArgumentException when an array holds half a sample (odd length)
   */
  public static byte[] concat(byte[]... signals) {
    int length = 0;
    for (int i = 0; i < signals.length; i++) {
      if (signals[i].length % 2 != 0) {
        throw new IllegalArgumentException(
            "signal " + i + " has an odd byte count (" + signals[i].length + "): half a sample");
      }
      length = Math.addExact(length, signals[i].length);
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] s : signals) {
      System.arraycopy(s, 0, out, at, s.length);
      at += s.length;
    }
    return out;
  }

  /**
   * An audio part of the PCM ({@code audio/pcm;rate=<rate>}); the part owns the array from now on.
   *
   * @param pcm16le the samples
   * @param rate the sample rate in Hz
   * @return the part
   * @throws IllegalArgumentException when the rate is out of range or the PCM holds half a sample
   */
  public static Part part(byte[] pcm16le, int rate) {
    checkRate(rate);
    return Part.audio(pcm16le, rate);
  }

  // ---------------------------------------------------------------- checks and conversion

  static void checkRate(int rate) {
    if (rate < MIN_RATE || rate > MAX_RATE) {
      throw new IllegalArgumentException(
          "rate must be in [" + MIN_RATE + ", " + MAX_RATE + "] Hz, was " + rate);
    }
  }

  /** The number of samples of the duration at the rate, after checking both. */
  static int samples(int rate, double seconds) {
    checkRate(rate);
    if (!(seconds >= 0 && seconds <= MAX_SECONDS)) {
      throw new IllegalArgumentException(
          "seconds must be finite and in [0, " + MAX_SECONDS + "], was " + seconds);
    }
    return (int) Math.round(seconds * rate);
  }

  private static void checkFrequency(String name, double hz, int rate) {
    if (!(hz > 0 && hz < rate / 2.0)) {
      throw new IllegalArgumentException(
          name + " must be in (0, " + rate / 2.0 + ") Hz at rate " + rate + ", was " + hz);
    }
  }

  private static void checkAmplitude(double amplitude) {
    if (!(amplitude >= 0 && amplitude <= 1)) {
      throw new IllegalArgumentException(
          "amplitude must be in [0, 1] (a fraction of full scale), was " + amplitude);
    }
  }

  private static short sample(double value) {
    return (short) Math.max(-32768, Math.min(32767, Math.round(value * 32767)));
  }

  private static byte[] pcm(short[] samples) {
    byte[] out = new byte[samples.length * 2];
    for (int n = 0; n < samples.length; n++) {
      out[2 * n] = (byte) samples[n];
      out[2 * n + 1] = (byte) (samples[n] >> 8);
    }
    return out;
  }
}
