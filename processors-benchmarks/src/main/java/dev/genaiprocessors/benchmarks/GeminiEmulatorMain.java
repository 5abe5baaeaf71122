package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Gemini Live emulator in a JVM of its own, for {@link LiveSessionsLoad}: prints its URI and key on
 * the first line of its output, then reads commands from its input, one per line: {@code reset} clears
 * the figures, {@code report} prints the send lateness of the audio frames that arrived since (p50, p99,
 * max in ms, and their count). A frame's first eight bytes hold the {@code System.nanoTime()} at which
 * the client was due to send it (the same monotonic clock across processes on Linux). Exits when its
 * input closes.
 */
public final class GeminiEmulatorMain {

  private GeminiEmulatorMain() {}

  private static final Object LOCK = new Object();
  private static long[] lateness = new long[1 << 20];
  private static int count;

  public static void main(String[] args) throws Exception {
    GeminiLiveEmulator emulator = GeminiLiveEmulator.builder().compactFrames().build().start();
    System.out.println(emulator.uri() + " " + emulator.apiKey());
    System.out.flush();
    Thread reader =
        new Thread(
            () -> {
              try {
                while (true) {
                  var m = emulator.takeMessage(Duration.ofSeconds(1));
                  if (m == null || !m.type().equals("realtimeInput") || !m.body().has("audio")) {
                    continue;
                  }
                  long now = System.nanoTime();
                  byte[] audio = m.audio();
                  if (audio.length >= 8) {
                    long due = ByteBuffer.wrap(audio).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                    synchronized (LOCK) {
                      if (count == lateness.length) {
                        lateness = Arrays.copyOf(lateness, count * 2);
                      }
                      lateness[count++] = now - due;
                    }
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "emulator-reader");
    reader.setDaemon(true);
    reader.start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("reset")) {
        synchronized (LOCK) {
          count = 0;
        }
      } else if (line.equals("report")) {
        long[] sorted;
        synchronized (LOCK) {
          sorted = Arrays.copyOf(lateness, count);
        }
        Arrays.sort(sorted);
        System.out.printf(
            Locale.ROOT,
            "%.3f %.3f %.3f %d%n",
            pct(sorted, 50) / 1e6,
            pct(sorted, 99) / 1e6,
            sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
            sorted.length);
        System.out.flush();
      }
    }
    emulator.close();
    System.exit(0);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
