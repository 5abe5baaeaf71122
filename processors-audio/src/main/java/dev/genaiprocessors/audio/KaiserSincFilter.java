package dev.genaiprocessors.audio;

/**
 * The low-pass filter of {@link Resampler}: a Kaiser-windowed sinc, laid out as a polyphase bank.
 *
 * <p>Resampling from rate {@code in} to rate {@code out} is seen as upsampling by
 * {@code L = out / gcd}, filtering, and downsampling by {@code M = in / gcd}. Output sample {@code n}
 * sits at input time {@code t = n * M / L}; with {@code base = floor(t)} and phase
 * {@code p = (n * M) mod L}, it is {@code sum x[base - K + 1 + i] * taps(p)[i]} over {@code 2K} taps.
 *
 * <p><b>Design.</b> The cutoff is {@value #CUTOFF} of the lower rate, the transition band is
 * {@value #TRANSITION} of the lower rate wide and ends at the lower rate's Nyquist frequency, and the
 * Kaiser window is designed for {@value #STOPBAND_DB} dB of stopband attenuation. The half-length
 * {@code K} (in input samples) follows from Kaiser's formula, so it grows with the downsampling ratio.
 * Each phase is normalised to unit gain at DC.
 *
 * <p><b>Tables.</b> When the bank is small ({@code L * 2K} up to {@value #MAX_TABLE} coefficients, true
 * for all the common rates: 44100 to 16000 has {@code L = 160}) every phase is computed once, exactly.
 * For unusual pairs of rates with a huge {@code L} (16001 to 24000 has {@code L = 24000}) the taps are
 * interpolated linearly from the kernel sampled {@value #KERNEL_STEPS} times per zero crossing of the
 * sinc (its error stays below the 16-bit noise floor), and normalised per output sample.
 */
final class KaiserSincFilter {

  static final double STOPBAND_DB = 100;
  static final double TRANSITION = 0.08;
  static final double CUTOFF = 0.5 - TRANSITION / 2;
  static final int MAX_TABLE = 1 << 19;
  static final int KERNEL_STEPS = 1024;

  /** The longest filter made, in input samples; only rates millions of times apart need more. */
  static final int MAX_TAPS = 1 << 24;

  private final int halfWidth;
  private final int phases;
  private final int step;
  private final double cutoff;
  private final double beta;
  private final double besselOfBeta;
  private final float[][] bank;
  private final double[] kernel;
  private final int kernelStepsPerSample;
  private final float[] scratch;
  private final double[] scratchValues;

  /**
   * @param inputRate samples per second in, positive
   * @param outputRate samples per second out, positive
   */
  KaiserSincFilter(int inputRate, int outputRate) {
    int gcd = gcd(inputRate, outputRate);
    this.phases = outputRate / gcd;
    this.step = inputRate / gcd;
    double lower = Math.min(inputRate, outputRate);
    this.cutoff = CUTOFF * lower / inputRate; // cycles per input sample
    double transition = 2 * Math.PI * TRANSITION * lower / inputRate; // radians per input sample
    double length = Math.ceil((STOPBAND_DB - 7.95) / (2.285 * transition));
    if (length > MAX_TAPS) {
      throw new IllegalArgumentException(
          "cannot resample from "
              + inputRate
              + " Hz to "
              + outputRate
              + " Hz: the rates are too far apart");
    }
    this.halfWidth = Math.max(2, ((int) length + 1) / 2);
    this.beta = 0.1102 * (STOPBAND_DB - 8.7);
    this.besselOfBeta = bessel0(beta);
    if ((long) phases * 2 * halfWidth <= MAX_TABLE) {
      this.bank = new float[phases][];
      for (int p = 0; p < phases; p++) {
        bank[p] = exactTaps(p);
      }
      this.kernel = new double[0];
      this.kernelStepsPerSample = 0;
      this.scratch = new float[0];
      this.scratchValues = new double[0];
    } else {
      this.bank = new float[0][];
      this.kernelStepsPerSample = (int) Math.ceil(KERNEL_STEPS * 2 * cutoff);
      long size = (long) halfWidth * kernelStepsPerSample + 2;
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "cannot resample from "
                + inputRate
                + " Hz to "
                + outputRate
                + " Hz: the rates are too far apart");
      }
      this.kernel = new double[(int) size];
      for (int i = 0; i < kernel.length; i++) {
        kernel[i] = kernel((double) i / kernelStepsPerSample);
      }
      this.scratch = new float[2 * halfWidth];
      this.scratchValues = new double[2 * halfWidth];
    }
  }

  /** {@code K}: taps per phase are {@code 2K}; output needs input up to {@code K} samples ahead. */
  int halfWidth() {
    return halfWidth;
  }

  /** {@code L}, the upsampling factor. */
  int phases() {
    return phases;
  }

  /** {@code M}, the downsampling factor. */
  int step() {
    return step;
  }

  /**
   * The {@code 2K} taps of phase {@code p}, for {@code x[base - K + 1 + i]}. The array is shared: read
   * it before the next call, do not change it.
   */
  float[] taps(int phase) {
    if (bank.length > 0) {
      return bank[phase];
    }
    double frac = (double) phase / phases;
    double sum = 0;
    double[] values = scratchValues;
    for (int i = 0; i < scratch.length; i++) {
      double x = Math.abs(frac + halfWidth - 1 - i) * kernelStepsPerSample;
      int at = (int) x;
      double weight = x - at;
      values[i] = at + 1 < kernel.length ? kernel[at] + weight * (kernel[at + 1] - kernel[at]) : 0;
      sum += values[i];
    }
    for (int i = 0; i < scratch.length; i++) {
      scratch[i] = (float) (values[i] / sum);
    }
    return scratch;
  }

  private float[] exactTaps(int phase) {
    double frac = (double) phase / phases;
    double[] values = new double[2 * halfWidth];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = kernel(frac + halfWidth - 1 - i);
      sum += values[i];
    }
    float[] taps = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      taps[i] = (float) (values[i] / sum);
    }
    return taps;
  }

  /** The windowed sinc at {@code tau} input samples from its centre; 0 beyond {@code K}. */
  private double kernel(double tau) {
    double ratio = tau / halfWidth;
    if (Math.abs(ratio) >= 1) {
      return 0;
    }
    double window = bessel0(beta * Math.sqrt(1 - ratio * ratio)) / besselOfBeta;
    double x = 2 * Math.PI * cutoff * tau;
    double sinc = x == 0 ? 1 : Math.sin(x) / x;
    return 2 * cutoff * sinc * window;
  }

  /** The modified Bessel function of the first kind, order 0, by its power series. */
  static double bessel0(double x) {
    double sum = 1;
    double term = 1;
    double half = x / 2;
    for (int k = 1; k < 500; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }

  static int gcd(int a, int b) {
    int x = a;
    int y = b;
    while (y != 0) {
      int t = x % y;
      x = y;
      y = t;
    }
    return x;
  }
}
