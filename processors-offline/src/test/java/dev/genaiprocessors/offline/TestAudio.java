package dev.genaiprocessors.offline;

import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Measurements of PCM audio for tests. */
public final class TestAudio {

  private TestAudio() {}

  /** The root mean square of the samples of audio parts, in [0, 1]. */
  public static double rms(List<Part> audio) {
    double sum = 0;
    long count = 0;
    for (Part part : audio) {
      ByteBuffer pcm = part.byteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i + 1 < pcm.limit(); i += 2) {
        double s = pcm.getShort(i) / 32768.0;
        sum += s * s;
        count++;
      }
    }
    return count == 0 ? 0 : Math.sqrt(sum / count);
  }

  /** The total duration in seconds of audio parts at this rate. */
  public static double seconds(List<Part> audio, int rate) {
    long bytes = 0;
    for (Part part : audio) {
      bytes += part.byteSize();
    }
    return bytes / 2.0 / rate;
  }
}
