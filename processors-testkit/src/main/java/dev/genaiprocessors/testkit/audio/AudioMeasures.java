package dev.genaiprocessors.testkit.audio;

import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Measurements of mono 16-bit little-endian PCM for test assertions: level and duration. Pure and
 * thread-safe.
 */
public final class AudioMeasures {

  private AudioMeasures() {}

  /**
   * The root mean square of the samples, as a fraction of full scale in [0, 1]; 0 for no samples.
   *
   * @param pcm16le the samples (a trailing odd byte is ignored)
   * @return the RMS
   */
  public static double rms(byte[] pcm16le) {
    double[] sumAndCount = new double[2];
    accumulate(ByteBuffer.wrap(pcm16le), sumAndCount);
    return sumAndCount[1] == 0 ? 0 : Math.sqrt(sumAndCount[0] / sumAndCount[1]);
  }

  /**
   * The root mean square of the samples of audio parts taken together, as a fraction of full scale in
   * [0, 1]; 0 for no samples.
   *
   * @param audio the parts, holding 16-bit little-endian PCM
   * @return the RMS
   */
  public static double rms(List<Part> audio) {
    double[] sumAndCount = new double[2];
    for (Part part : audio) {
      accumulate(part.byteBuffer(), sumAndCount);
    }
    return sumAndCount[1] == 0 ? 0 : Math.sqrt(sumAndCount[0] / sumAndCount[1]);
  }

  /**
   * The level of the samples in dB relative to full scale ({@code 20 log10 rms}); negative infinity
   * for digital silence.
   *
   * @param pcm16le the samples
   * @return the level in dBFS
   */
  public static double dbfs(byte[] pcm16le) {
    return 20 * Math.log10(rms(pcm16le));
  }

  /**
   * The total duration of audio parts at this rate.
   *
   * @param audio the parts, holding 16-bit PCM
   * @param rate the sample rate in Hz, greater than 0
   * @return the duration in seconds
   * @throws IllegalArgumentException when the rate is not positive
   */
  public static double seconds(List<Part> audio, int rate) {
    if (rate <= 0) {
      throw new IllegalArgumentException("rate must be greater than 0 Hz, was " + rate);
    }
    long bytes = 0;
    for (Part part : audio) {
      bytes += part.byteSize();
    }
    return bytes / 2.0 / rate;
  }

  /** Adds the squares of the buffer's samples (as fractions of full scale) and their count. */
  private static void accumulate(ByteBuffer buffer, double[] sumAndCount) {
    ByteBuffer pcm = buffer.order(ByteOrder.LITTLE_ENDIAN);
    for (int i = pcm.position(); i + 1 < pcm.limit(); i += 2) {
      double s = pcm.getShort(i) / 32768.0;
      sumAndCount[0] += s * s;
      sumAndCount[1]++;
    }
  }
}
