package dev.genaiprocessors.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The send lateness of audio frames as the emulator's JVM receives them, for {@link LiveEmulatorMain}:
 * a frame's first eight bytes hold the {@code System.nanoTime()} at which the client was due to send it,
 * and its lateness is its arrival minus that. Thread-safe (one lock); grows without bound until the next
 * {@link #start}, about 16 bytes per frame.
 */
final class LatenessRecorder {
  private long[] due = new long[1 << 20];
  private long[] lateness = new long[1 << 20];
  private int count;
  private long start = Long.MAX_VALUE;
  private long lostAtStart;

  /** Frames the emulator dropped before they were read (OpenAI keeps 10,000); none by default. */
  volatile LongSupplier lost = () -> 0;

  /**
   * Records one frame that arrived now.
   *
   * @param audio the frame's audio, at least its first eight bytes; shorter ones are ignored
   */
  void record(byte[] audio) {
    long now = System.nanoTime();
    if (audio.length >= 8) {
      record(ByteBuffer.wrap(audio).order(ByteOrder.LITTLE_ENDIAN).getLong(0), now);
    }
  }

  /**
   * Records one frame.
   *
   * @param dueAt when it was due to be sent
   * @param arrivedAt when it arrived
   */
  synchronized void record(long dueAt, long arrivedAt) {
    if (dueAt < start) {
      return;
    }
    if (count == due.length) {
      due = Arrays.copyOf(due, count * 2);
      lateness = Arrays.copyOf(lateness, count * 2);
    }
    due[count] = dueAt - start;
    lateness[count++] = arrivedAt - dueAt;
  }

  /**
   * Forgets every frame and counts from now on only those due at or after {@code startNanos}.
   *
   * @param startNanos the {@code System.nanoTime()} of the first frame to count
   */
  synchronized void start(long startNanos) {
    count = 0;
    start = startNanos;
    lostAtStart = lost.getAsLong();
  }

  /**
   * The figures since {@link #start}, in ms: {@code frames p50 p99 max p99-second-0 ... p99-second-4
   * p99-after-5s lost}, where a frame's second is counted from the start by its due time.
   *
   * @return one line
   */
  String report() {
    long[] d;
    long[] l;
    int n;
    synchronized (this) {
      n = count;
      d = Arrays.copyOf(due, n);
      l = Arrays.copyOf(lateness, n);
    }
    long[] all = l.clone();
    Arrays.sort(all);
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%d %.3f %.3f %.3f",
                n,
                pct(all, 50) / 1e6,
                pct(all, 99) / 1e6,
                n == 0 ? 0 : all[n - 1] / 1e6));
    for (int second = 0; second <= 5; second++) {
      long[] bucket = new long[n];
      int m = 0;
      for (int i = 0; i < n; i++) {
        long s = d[i] / 1_000_000_000L;
        if (s == second || (second == 5 && s >= 5)) {
          bucket[m++] = l[i];
        }
      }
      long[] sorted = Arrays.copyOf(bucket, m);
      Arrays.sort(sorted);
      line.append(String.format(Locale.ROOT, " %.3f", pct(sorted, 99) / 1e6));
    }
    line.append(' ').append(lost.getAsLong() - lostAtStart);
    return line.toString();
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
