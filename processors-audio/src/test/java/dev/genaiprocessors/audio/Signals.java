package dev.genaiprocessors.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Synthetic test signals and measurements on 16-bit PCM. */
public final class Signals {

  private Signals() {}

  /** {@code samples} samples of {@code amplitude * sin(2 pi f n / rate)}, rounded to 16 bits. */
  public static byte[] sine(double frequency, int rate, int samples, double amplitude) {
    short[] values = new short[samples];
    for (int n = 0; n < samples; n++) {
      values[n] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * n / rate));
    }
    return pcm(values);
  }

  public static byte[] pcm(short... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short value : values) {
      buffer.putShort(value);
    }
    return buffer.array();
  }

  public static short[] shorts(byte[] pcm) {
    ByteBuffer buffer = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    short[] values = new short[pcm.length / 2];
    for (int i = 0; i < values.length; i++) {
      values[i] = buffer.getShort();
    }
    return values;
  }

  /**
   * Signal-to-noise ratio in dB of {@code pcm[from..to)} against the ideal, unrounded sine
   * {@code amplitude * sin(2 pi f n / rate)}: any error in gain, timing or shape, aliasing and
   * quantisation counts as noise.
   */
  public static double snrAgainstIdeal(
      byte[] pcm, double frequency, int rate, double amplitude, int from, int to) {
    short[] values = shorts(pcm);
    double signal = 0;
    double noise = 0;
    for (int n = from; n < to; n++) {
      double ideal = amplitude * Math.sin(2 * Math.PI * frequency * n / rate);
      signal += ideal * ideal;
      noise += (values[n] - ideal) * (values[n] - ideal);
    }
    return 10 * Math.log10(signal / Math.max(noise, 1e-12));
  }

  /**
   * Signal-to-noise ratio in dB of {@code pcm[from..to)} against the best least-squares fit of
   * {@code a sin + b cos + c} at the frequency: only distortion, aliasing and noise count.
   */
  public static double snrOfBestFit(byte[] pcm, double frequency, int rate, int from, int to) {
    short[] values = shorts(pcm);
    double[][] m = new double[3][4];
    for (int n = from; n < to; n++) {
      double w = 2 * Math.PI * frequency * n / rate;
      double[] basis = {Math.sin(w), Math.cos(w), 1};
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          m[i][j] += basis[i] * basis[j];
        }
        m[i][3] += basis[i] * values[n];
      }
    }
    double[] coefficients = solve(m);
    double signal = 0;
    double noise = 0;
    for (int n = from; n < to; n++) {
      double w = 2 * Math.PI * frequency * n / rate;
      double fit = coefficients[0] * Math.sin(w) + coefficients[1] * Math.cos(w);
      signal += fit * fit;
      double error = values[n] - fit - coefficients[2];
      noise += error * error;
    }
    return 10 * Math.log10(signal / Math.max(noise, 1e-12));
  }

  /** Root mean square of {@code pcm[from..to)}. */
  public static double rms(byte[] pcm, int from, int to) {
    short[] values = shorts(pcm);
    double sum = 0;
    for (int n = from; n < to; n++) {
      sum += (double) values[n] * values[n];
    }
    return Math.sqrt(sum / (to - from));
  }

  /** Gauss-Jordan elimination of a 3 x 4 augmented matrix. */
  private static double[] solve(double[][] m) {
    for (int col = 0; col < 3; col++) {
      int pivot = col;
      for (int row = col + 1; row < 3; row++) {
        if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
          pivot = row;
        }
      }
      double[] swap = m[col];
      m[col] = m[pivot];
      m[pivot] = swap;
      for (int row = 0; row < 3; row++) {
        if (row != col) {
          double factor = m[row][col] / m[col][col];
          for (int k = col; k < 4; k++) {
            m[row][k] -= factor * m[col][k];
          }
        }
      }
    }
    return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
  }
}
