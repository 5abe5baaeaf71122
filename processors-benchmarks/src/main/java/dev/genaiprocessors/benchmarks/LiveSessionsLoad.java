package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * N concurrent Gemini Live sessions from this JVM against the Gemini Live emulator in a JVM of its own
 * ({@link GeminiEmulatorMain}), each streaming 16 kHz audio in 20 ms frames in real time: the CPU this
 * JVM uses per session, and the send lateness of the frames as the emulator receives them, against a
 * floor measured in the same run, N bare Reactor Netty WebSocket clients sending the same frames. Not
 * a JMH benchmark (it measures time on the real clock):
 *
 * <pre>{@code
 * java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.LiveSessionsLoad 50,200 20
 * }</pre>
 *
 * <p>The arguments are the session counts (default 50,200) and the seconds measured per count and
 * variant (default 20), after 5 s of warm-up with the same load. One timer thread hands every
 * session its frame each 20 ms; a frame's first eight bytes hold the time it was due, and the
 * emulator takes its arrival minus that as the frame's lateness. The emulator sends no audio back
 * (the 3 s every 5 s is not scripted here).
 */
public final class LiveSessionsLoad {
  private static final String MODEL = "gemini-live-2.5-flash-preview";
  private static final long PERIOD = TimeUnit.MILLISECONDS.toNanos(20);

  private LiveSessionsLoad() {}

  public static void main(String[] args) throws Exception {
    String[] counts = (args.length > 0 ? args[0] : "50,200").split(",");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Process emulator =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                GeminiEmulatorMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader fromEmulator =
        new BufferedReader(
            new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter toEmulator =
        new PrintWriter(
            new OutputStreamWriter(emulator.getOutputStream(), StandardCharsets.UTF_8), true);
    String[] first = fromEmulator.readLine().split(" ");
    URI uri = URI.create(first[0]);
    String key = first[1];
    System.out.printf(
        Locale.ROOT,
        "sessions variant cpu%%-of-a-core/session lateness-p50-ms p99-ms max-ms frames%n");
    try {
      for (String c : counts) {
        int n = Integer.parseInt(c.trim());
        for (boolean raw : new boolean[] {true, false}) {
          run(n, raw, seconds, uri, key, fromEmulator, toEmulator);
        }
      }
    } finally {
      toEmulator.close();
      emulator.waitFor(10, TimeUnit.SECONDS);
      emulator.destroy();
    }
    System.exit(0);
  }

  private static void run(
      int n,
      boolean raw,
      int seconds,
      URI uri,
      String key,
      BufferedReader fromEmulator,
      PrintWriter toEmulator)
      throws Exception {
    List<Sinks.Many<String>> frames = new ArrayList<>();
    List<Sinks.Many<Part>> parts = new ArrayList<>();
    List<Disposable> connections = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (raw) {
        Sinks.Many<String> f = Sinks.many().unicast().onBackpressureBuffer();
        f.tryEmitNext("{\"setup\":{\"model\":\"models/" + MODEL + "\"}}");
        frames.add(f);
        connections.add(
            HttpClient.newConnection()
                .headers(h -> h.set("x-goog-api-key", key))
                .websocket()
                .uri(uri)
                .handle(
                    (in, out) -> Flux.merge(out.sendString(f.asFlux()).then(), in.receive().then()))
                .subscribe());
      } else {
        Sinks.Many<Part> p = Sinks.many().unicast().onBackpressureBuffer();
        parts.add(p);
        connections.add(
            GeminiLiveProcessor.builder()
                .uri(uri)
                .apiKey(key)
                .model(MODEL)
                .build()
                .apply(p.asFlux())
                .subscribe());
      }
    }
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long end = warmUpEnd + TimeUnit.SECONDS.toNanos(seconds);
    long cpuStart = -1;
    long wallStart = 0;
    long next = System.nanoTime();
    byte[] pcm = new byte[640];
    Base64.Encoder base64 = Base64.getEncoder();
    while (next < end) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (cpuStart < 0 && next >= warmUpEnd) {
        toEmulator.println("reset");
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
      }
      for (int i = 0; i < n; i++) {
        byte[] frame = pcm.clone();
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putLong(0, next);
        if (raw) {
          frames
              .get(i)
              .tryEmitNext(
                  "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\""
                      + base64.encodeToString(frame)
                      + "\"}}}");
        } else {
          parts.get(i).tryEmitNext(Part.audio(frame, 16_000));
        }
      }
      next += PERIOD;
    }
    long cpu = os.getProcessCpuTime() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // the last frames arrive
    toEmulator.println("report");
    String[] r = fromEmulator.readLine().split(" ");
    System.out.printf(
        Locale.ROOT,
        "%d %s %.4f %s %s %s %s%n",
        n,
        raw ? "bare-socket" : "GeminiLiveProcessor",
        100.0 * cpu / wall / n,
        r[0],
        r[1],
        r[2],
        r[3]);
    connections.forEach(Disposable::dispose);
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
  }
}
