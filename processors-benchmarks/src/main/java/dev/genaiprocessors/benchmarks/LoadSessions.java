package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.audio.vad.SileroSpeechDetector;
import dev.genaiprocessors.audio.vad.Vad;
import dev.genaiprocessors.core.Part;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.util.concurrent.Queues;

/**
 * N live sessions of one client variant against one emulator, for {@link LoadClient}: each is fed one
 * 20 ms frame at a time by {@link #emit}, and what comes back is drained and counted. Variants:
 *
 * <ul>
 *   <li>{@code floor}: a bare Reactor Netty WebSocket that sends the provider's setup frame, then each
 *       frame as the provider's JSON with Base64 (built on the emitting thread), and receives every
 *       inbound frame and discards it;
 *   <li>{@code processor}: the provider's live processor, its output through an {@link
 *       AudioRateLimiter} (on {@code Schedulers.parallel()}, 50 ms chunks) to a subscriber that counts
 *       the audio bytes released;
 *   <li>{@code vad}: as {@code processor}, with a Silero {@link Vad} in front of the live processor, on
 *       every input frame (on the emitting thread).
 * </ul>
 *
 * <p>Sessions open when built; {@link #emit} may be called from one thread at a time; {@link #close}
 * cancels them all.
 */
final class LoadSessions implements AutoCloseable {
  /** Frames a session may hold before the emitting thread's frames are counted as dropped. */
  private static final int QUEUE = 1024;

  private final LoadProvider provider;
  private final boolean bare;
  private final boolean vad;
  private final URI uri;
  private final String key;
  private final List<Sinks.Many<String>> frames = new ArrayList<>();
  private final List<Sinks.Many<Part>> parts = new ArrayList<>();
  private final List<Disposable> connections = new ArrayList<>();

  /** Audio bytes released by the rate limiters, or received by the bare sockets (JSON included). */
  final LongAdder receivedBytes = new LongAdder();

  /** Frames refused because a session's queue was full. */
  final LongAdder dropped = new LongAdder();

  /** Sessions that ended with an error. */
  final AtomicInteger errors = new AtomicInteger();

  /** Sessions that completed. */
  final AtomicInteger completed = new AtomicInteger();

  /**
   * Opens n sessions of the variant now; more may be opened with {@link #open()}.
   *
   * @param provider the provider
   * @param variant {@code floor}, {@code processor} or {@code vad}
   * @param uri the emulator's URI
   * @param key the emulator's key
   * @param n how many to open now
   * @throws IllegalArgumentException for another variant
   */
  LoadSessions(LoadProvider provider, String variant, URI uri, String key, int n) {
    this.provider = provider;
    this.bare = variant.equals("floor");
    if (!bare && !variant.equals("processor") && !variant.equals("vad")) {
      throw new IllegalArgumentException("variant must be floor, processor or vad, was " + variant);
    }
    this.vad = variant.equals("vad");
    this.uri = uri;
    this.key = key;
    for (int i = 0; i < n; i++) {
      open();
    }
  }

  /** Opens one more session, the next index. */
  void open() {
    if (bare) {
      // bounded; a full queue refuses the frame, and emit counts it as dropped
      Sinks.Many<String> f =
          Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(QUEUE).get());
      f.tryEmitNext(provider.setupFrame());
      frames.add(f);
      connections.add(
          provider
              .bareClient(key)
              .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 24).build())
              .uri(provider.socketUri(uri))
              .handle(
                  (in, out) ->
                      Flux.merge(
                          out.sendString(f.asFlux()).then(),
                          in.receive().doOnNext(b -> receivedBytes.add(b.readableBytes())).then()))
              .subscribe(x -> {}, e -> errors.incrementAndGet(), completed::incrementAndGet));
    } else {
      // bounded; a full queue refuses the frame, and emit counts it as dropped
      Sinks.Many<Part> p =
          Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(QUEUE).get());
      parts.add(p);
      Flux<Part> input = p.asFlux();
      if (vad) {
        input = Vad.builder().detector(SileroSpeechDetector.factory()).build().apply(input);
      }
      Function<Flux<Part>, Flux<Part>> live = provider.processor(uri, key);
      connections.add(
          AudioRateLimiter.builder()
              .build()
              .apply(live.apply(input))
              .subscribe(
                  part -> {
                    if (part.isAudio()) {
                      receivedBytes.add(part.byteBuffer().remaining());
                    }
                  },
                  e -> errors.incrementAndGet(),
                  completed::incrementAndGet));
    }
  }

  /** Sessions opened so far; they are numbered from 0. */
  int opened() {
    return connections.size();
  }

  /**
   * Hands session i one frame of silence whose first eight bytes hold {@code due}.
   *
   * @param i the session
   * @param due the {@code System.nanoTime()} at which the frame is due
   */
  void emit(int i, long due) {
    byte[] pcm = new byte[provider.frameBytes()];
    ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).putLong(0, due);
    Sinks.EmitResult r =
        bare
            ? frames.get(i).tryEmitNext(provider.audioFrame(pcm))
            : parts.get(i).tryEmitNext(Part.audio(pcm, provider.inputRate));
    if (r.isFailure()) {
      dropped.increment();
    }
  }

  /** How the sessions ended so far, for the report. */
  String health() {
    return String.format(
        Locale.ROOT,
        "errors=%d completed=%d dropped=%d",
        errors.get(),
        completed.get(),
        dropped.sum());
  }

  @Override
  public void close() {
    connections.forEach(Disposable::dispose);
  }
}
