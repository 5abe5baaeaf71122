package dev.genaiprocessors.audio.vad;

import dev.genaiprocessors.audio.Pcm;
import java.util.Random;

/**
 * Synthetic signals for VAD tests, as floats in {@code [-1, 1)} at any rate, made deterministically
 * (seeded noise): a background of noise, bursts of speech-like sound, clicks.
 */
final class SpeechSignals {

  private SpeechSignals() {}

  /** {@code seconds} of the signal "nothing": zeros. */
  static float[] silence(int rate, double seconds) {
    return new float[samples(rate, seconds)];
  }

  /** White noise whose RMS is {@code dbfs} dB relative to full scale. */
  static float[] noise(int rate, double seconds, double dbfs, long seed) {
    Random random = new Random(seed);
    double rms = Math.pow(10, dbfs / 20);
    float[] out = new float[samples(rate, seconds)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (random.nextGaussian() * rms);
    }
    return out;
  }

  /**
   * Sound shaped like voiced speech: the harmonics (falling as 1/k, up to 3.8 kHz) of a fundamental
   * gliding around 140 Hz, in syllables of 250 ms whose loudness swings from a peak of about -12 dBFS
   * down to a tenth of it (-20 dB) between syllables, with 10 ms fades at both ends.
   */
  static float[] speechLike(int rate, double seconds) {
    float[] out = new float[samples(rate, seconds)];
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
      double syllables = 0.55 - 0.45 * Math.cos(2 * Math.PI * 4 * t);
      out[n] = (float) (sum * syllables);
      peak = Math.max(peak, Math.abs(out[n]));
    }
    double gain = 0.3 / peak;
    int fade = Math.min(out.length / 2, samples(rate, 0.010));
    for (int n = 0; n < out.length; n++) {
      double ramp = Math.min(1, Math.min((double) n / fade, (double) (out.length - 1 - n) / fade));
      out[n] = (float) (out[n] * gain * ramp);
    }
    return out;
  }

  /** A loud broadband burst: noise at -10 dBFS. */
  static float[] click(int rate, double seconds, long seed) {
    return noise(rate, seconds, -10, seed);
  }

  /** The signals one after the other. */
  static float[] concat(float[]... parts) {
    int length = 0;
    for (float[] part : parts) {
      length += part.length;
    }
    float[] out = new float[length];
    int at = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  /** {@code a + b}, sample by sample, as long as the longer. */
  static float[] mix(float[] a, float[] b) {
    float[] out = new float[Math.max(a.length, b.length)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
    }
    return out;
  }

  static byte[] pcm(float[] samples) {
    return Pcm.fromFloats(samples);
  }

  static int samples(int rate, double seconds) {
    return (int) Math.round(rate * seconds);
  }
}
