package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * What a live processor adds to the path of one audio chunk, against the floor of a raw Reactor Netty
 * WebSocket sending the same frame to the same emulator: each chunk's time from {@code tryEmitNext} (or,
 * for the floor, the hand-off of the frame to the socket) to the emulator reading it, p50 and p99, on the
 * real clock. Not a test and not a JMH benchmark (it measures time on the real clock):
 *
 * <pre>{@code
 * java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.LiveChunkLatency [chunks]
 * }</pre>
 *
 * <p>Each variant sends 20 ms chunks of PCM at the provider's input rate (no resampling), one every 20 ms,
 * for {@code chunks} chunks (default 1500) after 500 of warm-up. Each chunk's first four bytes hold its
 * number, so the arrival at the emulator is matched to its send. The emulator's own decoding is on both
 * paths, so the difference between a variant and its floor is what the processor adds.
 */
public final class LiveChunkLatency {
  private static final int WARM_UP = 500;
  private static final Duration PERIOD = Duration.ofMillis(20);

  private LiveChunkLatency() {}

  /** One provider: its emulator, a raw socket speaking its protocol, and its processor. */
  interface Provider extends AutoCloseable {
    String name();

    int inputRate();

    /** The frame a raw client sends before audio (a setup), or null. */
    @org.jspecify.annotations.Nullable
    String rawSetup();

    /** The audio frame, as the provider's protocol carries it. */
    String rawAudioFrame(byte[] pcm);

    /** Headers of the raw socket: the key. */
    HttpClient rawClient();

    URI uri();

    /** The processor under test, pointed at the emulator. */
    Function<Flux<Part>, Flux<Part>> processor();

    /** Blocks for the next audio chunk the emulator read; its bytes. */
    byte[] takeAudio(Duration timeout) throws InterruptedException;

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
    if (chunks < 1) {
      throw new IllegalArgumentException(
          "give the number of chunks to measure, 1 or more (default 1500)");
    }
    List<Provider> providers = new ArrayList<>();
    providers.add(new GeminiProvider());
    providers.addAll(ExtraProviders.all());
    System.out.printf(
        Locale.ROOT,
        "Added latency per 20 ms audio chunk, %d chunks after %d of warm-up, one every %d ms%n",
        chunks,
        WARM_UP,
        PERIOD.toMillis());
    for (Provider p : providers) {
      try (p) {
        long[] floor = measure(p, chunks, true);
        long[] processor = measure(p, chunks, false);
        System.out.printf(
            Locale.ROOT,
            "%-8s raw socket (floor): p50 %6.1f us  p99 %7.1f us | processor: p50 %6.1f us  p99 %7.1f us"
                + " | added: p50 %6.1f us  p99 %7.1f us%n",
            p.name(),
            pct(floor, 50),
            pct(floor, 99),
            pct(processor, 50),
            pct(processor, 99),
            pct(processor, 50) - pct(floor, 50),
            pct(processor, 99) - pct(floor, 99));
      }
    }
    System.exit(0);
  }

  static double pct(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }

  /** Sends WARM_UP + chunks chunks and returns the latencies of the last {@code chunks}, in ns. */
  static long[] measure(Provider p, int chunks, boolean raw) throws Exception {
    int total = WARM_UP + chunks;
    long[] sentAt = new long[total];
    long[] latency = new long[total];
    ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
    int bytes = p.inputRate() / 50 * 2; // 20 ms of 16-bit mono
    CountDownLatch done = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try {
                int got = 0;
                while (got < total) {
                  byte[] audio = p.takeAudio(Duration.ofSeconds(10));
                  long now = System.nanoTime();
                  if (audio.length < 4) {
                    continue;
                  }
                  int n = ByteBuffer.wrap(audio).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                  if (n >= 0 && n < total && seen.putIfAbsent(n, true) == null) {
                    latency[n] = now - sentAt[n];
                    got++;
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                done.countDown();
              }
            },
            "latency-reader");
    reader.setDaemon(true);
    reader.start();

    Sinks.Many<String> frames = Sinks.many().unicast().onBackpressureBuffer();
    Sinks.Many<Part> parts = Sinks.many().unicast().onBackpressureBuffer();
    CountDownLatch open = new CountDownLatch(1);
    Disposable connection;
    if (raw) {
      connection =
          p.rawClient()
              .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 24).build())
              .uri(p.uri())
              .handle(
                  (in, out) -> {
                    open.countDown();
                    return Flux.merge(out.sendString(frames.asFlux()).then(), in.receive().then());
                  })
              .subscribe();
      String setup = p.rawSetup();
      if (setup != null) {
        frames.tryEmitNext(setup);
      }
    } else {
      connection = p.processor().apply(parts.asFlux()).subscribe();
      open.countDown();
    }
    if (!open.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(p.name() + ": the connection did not open within 10 s");
    }
    Thread.sleep(500); // the setup settles before the clock starts; not part of what is measured
    long next = System.nanoTime();
    for (int i = 0; i < total; i++) {
      byte[] pcm = new byte[bytes];
      ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).putInt(0, i);
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      next += PERIOD.toNanos();
      if (raw) {
        String frame = p.rawAudioFrame(pcm);
        sentAt[i] = System.nanoTime();
        frames.tryEmitNext(frame);
      } else {
        sentAt[i] = System.nanoTime();
        parts.tryEmitNext(Part.audio(pcm, p.inputRate()));
      }
    }
    if (!done.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          p.name()
              + (raw ? " raw" : " processor")
              + ": only "
              + seen.size()
              + " of "
              + total
              + " chunks arrived");
    }
    connection.dispose();
    return Arrays.copyOfRange(latency, WARM_UP, total);
  }

  static String base64(byte[] pcm) {
    return Base64.getEncoder().encodeToString(pcm);
  }

  /** Gemini Live: the emulator, a raw {@code BidiGenerateContent} socket, {@link GeminiLiveProcessor}. */
  static final class GeminiProvider implements Provider {
    private static final String MODEL = "gemini-live-2.5-flash-preview";
    private final GeminiLiveEmulator emulator =
        GeminiLiveEmulator.builder().compactFrames().build().start();

    @Override
    public String name() {
      return "gemini";
    }

    @Override
    public int inputRate() {
      return 16_000;
    }

    @Override
    public String rawSetup() {
      return "{\"setup\":{\"model\":\"models/" + MODEL + "\"}}";
    }

    @Override
    public String rawAudioFrame(byte[] pcm) {
      return "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\""
          + base64(pcm)
          + "\"}}}";
    }

    @Override
    public HttpClient rawClient() {
      return HttpClient.newConnection().headers(h -> h.set("x-goog-api-key", emulator.apiKey()));
    }

    @Override
    public URI uri() {
      return emulator.uri();
    }

    @Override
    public Function<Flux<Part>, Flux<Part>> processor() {
      return GeminiLiveProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .model(MODEL)
          .build();
    }

    @Override
    public byte[] takeAudio(Duration timeout) throws InterruptedException {
      while (true) {
        var m = emulator.takeMessage(timeout);
        if (m == null) {
          throw new IllegalStateException("gemini: no message from the client within " + timeout);
        }
        if (m.type().equals("realtimeInput") && m.body().has("audio")) {
          return m.audio();
        }
      }
    }

    @Override
    public void close() {
      emulator.close();
    }
  }
}
