package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One row of {@link LiveSessionsLoad}, in a client JVM of its own: opens N sessions of one variant at
 * once, hands each a 20 ms frame every 20 ms from one timer thread, and prints the row. It reaches the
 * emulator's JVM through its parent: a line {@code CMD <command>} on standard output is answered by
 * one line on standard input.
 *
 * <p>Arguments: {@code provider variant sessions seconds warm-up-seconds loopback-warm-up-seconds uri
 * key}. With a warm-up of 0 (a fresh JVM) the frames are measured from the first one on, the sessions
 * opening at the same moment; otherwise the same load runs that long first, and with a warm-up of 5 s
 * or more the sessions open one after the other over its first 5 s, so that their audio comes back
 * spread over the 5 s period instead of all at once. A loopback warm-up of more
 * than 0 seconds first runs 16 sessions of the same variant against an emulator in this JVM, sending
 * as fast as a frame per session per millisecond and getting audio back every 300 ms, then closes them
 * and the emulator (see {@link LiveSessionsLoad}).
 *
 * <p>The row: {@code ROW cpu-%-of-a-core-per-session heap-KiB-per-session <emulator's report>
 * audio-seconds-released-per-session-second health}. Heap is the used heap after {@code System.gc()}
 * with the sessions open at the end, minus before they opened, divided by N.
 */
public final class LoadClient {
  private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(20);
  private static final BufferedReader PARENT =
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

  private LoadClient() {}

  /**
   * Runs one row and exits.
   *
   * @param args see the class comment
   * @throws Exception when the row cannot run
   */
  public static void main(String[] args) throws Exception {
    LoadProvider provider = LoadProvider.named(args[0]);
    String variant = args[1];
    int n = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmUp = Integer.parseInt(args[4]);
    int loopback = Integer.parseInt(args[5]);
    URI uri = URI.create(args[6]);
    String key = args[7];
    if (loopback > 0) {
      long t = System.nanoTime();
      loopbackWarmUp(provider, variant, loopback);
      System.out.printf(
          Locale.ROOT, "loopback warm-up took %.1f s%n", (System.nanoTime() - t) / 1e9);
    }
    long heapBefore = usedHeapAfterGc();
    ask("script " + n + " " + ((warmUp + seconds) / 5 + 2));
    long first = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long windowStart = first + TimeUnit.SECONDS.toNanos(warmUp);
    long end = windowStart + TimeUnit.SECONDS.toNanos(seconds);
    ask("start " + windowStart);
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = warmUp == 0 ? os.getProcessCpuTime() : -1;
    // fresh: all at once; warm: spread over the first 5 s, so that their audio bursts are too
    long spread = warmUp >= 5 ? TimeUnit.SECONDS.toNanos(5) : 0;
    LoadSessions sessions = new LoadSessions(provider, variant, uri, key, spread == 0 ? n : 0);
    long next = first;
    long received = 0;
    while (next < end) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      while (sessions.opened() < n && (next - first) >= spread * sessions.opened() / n) {
        sessions.open();
      }
      if (cpuStart < 0 && next >= windowStart) {
        cpuStart = os.getProcessCpuTime();
        received = sessions.receivedBytes.sum();
      }
      for (int i = 0; i < sessions.opened(); i++) {
        sessions.emit(i, next);
      }
      next += PERIOD;
    }
    long cpu = os.getProcessCpuTime() - cpuStart;
    received = sessions.receivedBytes.sum() - received;
    long wall = System.nanoTime() - windowStart;
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // the last frames arrive
    String report = ask("report");
    long heapAfter = usedHeapAfterGc();
    System.out.printf(
        Locale.ROOT,
        "ROW %.4f %.1f %s %.3f %s%n",
        100.0 * cpu / wall / n,
        (heapAfter - heapBefore) / 1024.0 / n,
        report,
        variant.equals("floor") ? 0 : received / 48_000.0 / n / (wall / 1e9),
        sessions.health());
    System.out.flush();
    sessions.close();
    System.exit(0);
  }

  private static String ask(String command) throws IOException {
    System.out.println("CMD " + command);
    System.out.flush();
    String answer = PARENT.readLine();
    if (answer == null) {
      throw new IllegalStateException("the parent closed the pipe before answering " + command);
    }
    return answer;
  }

  private static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * 16 sessions against an emulator in this JVM, a frame per session per millisecond for the given
   * seconds, audio back after 200 ms and then every 300 ms; then everything is closed.
   */
  static void loopbackWarmUp(LoadProvider provider, String variant, int seconds) throws Exception {
    int n = 16;
    AutoCloseable emulator;
    URI uri;
    String key;
    Duration first = Duration.ofMillis(200);
    Duration period = Duration.ofMillis(300);
    int bursts = seconds * 4 + 2;
    if (provider == LoadProvider.GEMINI) {
      GeminiLiveEmulator e = GeminiLiveEmulator.builder().compactFrames().build().start();
      e.enqueue(LiveEmulatorMain.geminiScript(first, period, bursts));
      emulator = e;
      uri = e.uri();
      key = e.apiKey();
    } else {
      OpenAiRealtimeEmulator e = OpenAiRealtimeEmulator.builder().build().start();
      LiveEmulatorMain.openAiScript(e, n, first, period, bursts);
      emulator = e;
      uri = e.uri();
      key = e.apiKey();
    }
    try (emulator;
        LoadSessions sessions = new LoadSessions(provider, variant, uri, key, n)) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
          sessions.emit(i, now);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
  }
}
