package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.live.GeminiLiveParts;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.Fault;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Step;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * A soak of one Gemini Live session on the real clock, against the in-process emulator on 127.0.0.1: turns
 * with audio both ways, one every {@value #TURN_MILLIS} ms, for the given minutes, with a drop of the
 * connection (no close frame, resumed with the handle) after every 10th turn and a {@code goAway} (the client
 * switches to a new connection) after every 10th turn offset by 5. Not a test and not a JMH benchmark, since
 * what it measures is time itself:
 *
 * <pre>{@code
 * java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.LiveSoak 60
 * }</pre>
 *
 * <p>The argument is the minutes to hold the session (default 60). Each turn sends 5 chunks of 100 ms of
 * 16 kHz PCM and a text {@code "turn N"}; the emulator answers with the text, 200 ms of 24 kHz PCM marked with
 * N, and the end of the turn. After a faulty turn the next one is sent once the new connection is set up.
 *
 * <p>It reports: turns, reconnects and goAways; parts lost and duplicated (each turn's text and audio must
 * come exactly once, and each user turn must reach the server exactly once: both counts must be 0); the heap
 * used after a GC every minute; open file descriptors and threads before the session, once it is up, and
 * after it is closed. Exits with status 1 when anything was lost or duplicated.
 */
public final class LiveSoak {
  static final int TURN_MILLIS = 2_000;
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Pattern TURN = Pattern.compile("turn (\\d+)");

  private LiveSoak() {}

  public static void main(String[] args) throws Exception {
    double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    if (!(minutes > 0)) {
      throw new IllegalArgumentException(
          "give the minutes to hold the session, more than 0 (default 60)");
    }
    long end = System.nanoTime() + (long) (minutes * 60e9);
    Resources before = Resources.now();

    GeminiLiveEmulator server =
        GeminiLiveEmulator.builder()
            .compactFrames()
            .whenScriptExhausted(LiveSoak::answer)
            .build()
            .start();
    GeminiLiveProcessor live =
        GeminiLiveProcessor.builder()
            .uri(server.uri())
            .apiKey(server.apiKey())
            .model("gemini-live-2.5-flash-preview")
            .reconnect(5, Duration.ofMillis(200))
            .build();
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    BlockingQueue<Part> output = new LinkedBlockingQueue<>();
    BlockingQueue<Throwable> failure = new LinkedBlockingQueue<>();
    Disposable session = live.apply(input.asFlux()).subscribe(output::add, failure::add);

    int turns = 0;
    int[] textSeen = new int[1 << 16];
    int[] audioSeen = new int[1 << 16];
    int[] turnReceived = new int[1 << 16];
    int interrupted = 0;
    int goAways = 0;
    int audioSent = 0;
    int audioAtServer = 0;
    List<String> heap = new ArrayList<>();
    Resources up = null;
    long started = System.nanoTime();
    long nextHeapSample = started;
    try {
      await(output, failure, GeminiLiveParts::isResumptionUpdate); // set up, with a handle
      up = Resources.now();
      while (System.nanoTime() < end && turns < textSeen.length - 1) {
        long turnStart = System.nanoTime();
        int n = ++turns;
        int connectionsBefore = server.connectionCount();
        for (int i = 0; i < 5; i++) {
          input.tryEmitNext(Part.audio(pcm(1600, n), 16_000));
          audioSent++;
        }
        input.tryEmitNext(Part.text("turn " + n));
        boolean fault = n % 10 == 0 || n % 10 == 5;
        for (; ; ) {
          Part p = await(output, failure, q -> true);
          if (p.isInterrupted()) {
            interrupted++;
          } else if (GeminiLiveParts.isGoAway(p)) {
            goAways++;
          } else if (p.isText() && p.role().equals("model") && TURN.matcher(p.text()).matches()) {
            textSeen[Integer.parseInt(p.text().substring(5))]++;
          } else if (p.mimeType().startsWith("audio/")) {
            audioSeen[marker(p.bytes())]++;
          } else if (p.isEndOfTurn()) {
            break;
          }
        }
        if (fault) {
          // The fault follows the end of the turn: wait for the new connection and its handle.
          while (server.connectionCount() == connectionsBefore) {
            Part p = await(output, failure, q -> true);
            goAways += GeminiLiveParts.isGoAway(p) ? 1 : 0;
          }
          await(output, failure, GeminiLiveParts::isResumptionUpdate);
        }
        for (ClientMessage m; (m = server.takeMessage(Duration.ZERO)) != null; ) {
          String text = m.body().at("/turns/0/parts/0/text").asString("");
          Matcher turn = TURN.matcher(text);
          if (m.type().equals("clientContent") && turn.matches()) {
            turnReceived[Integer.parseInt(turn.group(1))]++;
          } else if (m.type().equals("realtimeInput") && m.body().has("audio")) {
            audioAtServer++;
          }
        }
        if (System.nanoTime() >= nextHeapSample) {
          System.gc();
          long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
          heap.add(
              String.format(
                  Locale.ROOT,
                  "%5.1f min %6.1f MiB",
                  (System.nanoTime() - started) / 60e9,
                  used / 1048576.0));
          nextHeapSample += 60_000_000_000L;
        }
        long left = TURN_MILLIS - (System.nanoTime() - turnStart) / 1_000_000;
        if (left > 0) {
          Thread.sleep(left); // pacing of a benchmark main thread, not a wait for a result
        }
      }
      input.tryEmitComplete();
    } finally {
      session.dispose();
      server.close();
    }
    int connections = server.connectionCount();
    System.gc();
    Thread.sleep(1000); // let closed sockets and ended threads go before counting them
    Resources after = Resources.now();

    int lostText = 0;
    int dupText = 0;
    int lostAudio = 0;
    int dupAudio = 0;
    int lostTurns = 0;
    int dupTurns = 0;
    for (int n = 1; n <= turns; n++) {
      lostText += textSeen[n] == 0 ? 1 : 0;
      dupText += Math.max(0, textSeen[n] - 1);
      lostAudio += audioSeen[n] == 0 ? 1 : 0;
      dupAudio += Math.max(0, audioSeen[n] - 1);
      lostTurns += turnReceived[n] == 0 ? 1 : 0;
      dupTurns += Math.max(0, turnReceived[n] - 1);
    }
    long lost = lostText + lostAudio + lostTurns + (audioSent - Math.min(audioSent, audioAtServer));
    long duplicated = dupText + dupAudio + dupTurns + Math.max(0, audioAtServer - audioSent);
    System.out.printf(
        Locale.ROOT,
        "Gemini Live soak: %.1f min on the real clock, %d turns, %d connections"
            + " (%d reconnects), %d goAways%n",
        (System.nanoTime() - started) / 60e9,
        turns,
        connections,
        connections - 1,
        goAways);
    System.out.printf(
        Locale.ROOT,
        "parts lost: %d (model text %d, model audio %d, user turns %d, user audio %d)%n",
        lost,
        lostText,
        lostAudio,
        lostTurns,
        audioSent - Math.min(audioSent, audioAtServer));
    System.out.printf(
        Locale.ROOT,
        "parts duplicated: %d (model text %d, model audio %d, user turns %d)%n",
        duplicated,
        dupText,
        dupAudio,
        dupTurns);
    System.out.printf(
        Locale.ROOT,
        "interrupted parts: %d; user audio chunks sent %d, received by the server %d%n",
        interrupted,
        audioSent,
        audioAtServer);
    System.out.println("heap used after GC:");
    heap.forEach(h -> System.out.println("  " + h));
    System.out.println(
        "file descriptors / threads: before "
            + before
            + ", session up "
            + up
            + ", after close "
            + after);
    if (lost != 0 || duplicated != 0) {
      System.exit(1);
    }
  }

  /** The emulated model's answer to "turn N": the text, audio marked with N, the end; a fault after some. */
  private static List<Step> answer(String said) {
    Matcher m = TURN.matcher(said.trim());
    if (!m.matches()) {
      return List.of(Reply.turnComplete());
    }
    int n = Integer.parseInt(m.group(1));
    List<Step> steps =
        new ArrayList<>(
            List.of(
                Reply.text("turn " + n), Reply.audio(pcm(4800, n), 24_000), Reply.turnComplete()));
    if (n % 10 == 0) {
      steps.add(Fault.drop());
    } else if (n % 10 == 5) {
      steps.add(Fault.goAway(Duration.ofSeconds(5)));
    }
    return steps;
  }

  /** PCM of this many samples whose first sample is the marker. */
  private static byte[] pcm(int samples, int marker) {
    ByteBuffer b = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, (short) marker);
    return b.array();
  }

  private static int marker(byte[] pcm) {
    return pcm.length < 2
        ? 0
        : Short.toUnsignedInt(ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).getShort(0));
  }

  private static Part await(
      BlockingQueue<Part> output,
      BlockingQueue<Throwable> failure,
      java.util.function.Predicate<Part> wanted)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (; ; ) {
      Throwable f = failure.peek();
      if (f != null) {
        throw new IllegalStateException("the session failed: " + f, f);
      }
      long left = deadline - System.nanoTime();
      Part p = left <= 0 ? null : output.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
      if (p == null && left <= 0) {
        throw new IllegalStateException("nothing arrived from the session for " + WAIT);
      }
      if (p != null && wanted.test(p)) {
        return p;
      }
    }
  }

  /** Open file descriptors (Linux: /proc/self/fd; -1 elsewhere) and live threads. */
  private record Resources(int fds, int threads) {
    static Resources now() {
      String[] fd = new File("/proc/self/fd").list();
      return new Resources(
          fd == null ? -1 : fd.length, ManagementFactory.getThreadMXBean().getThreadCount());
    }

    @Override
    public String toString() {
      return fds + " fds / " + threads + " threads";
    }
  }
}
