package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.concurrent.Queues;

/**
 * The lightest server that keeps a live client going, for {@link LiveEmulatorMain} when the strict
 * emulator's one engine thread cannot keep up with thousands of sessions: it parses nothing. For Gemini
 * it answers the first frame with {@code setupComplete}; for OpenAI it sends {@code session.created} on
 * connect. Of every later frame it reads only the timestamp: it finds {@code "data":"} (Gemini) or
 * {@code "audio":"} (OpenAI) in the frame's bytes, decodes the 12 Base64 characters after it, and records
 * the frame's lateness on the event loop that read it. Audio goes back as {@link LiveEmulatorMain} says
 * (2 s after connecting, then every 5 s), as prebuilt frames: 30 {@code serverContent} audio messages and
 * {@code turnComplete} for Gemini; {@code response.created}, 30 {@code response.output_audio.delta} and
 * {@code response.done} for OpenAI. No key is checked. Any path is served.
 */
final class LightLiveServer implements AutoCloseable {
  /** The key clients are given (not checked). */
  static final String KEY = "emulator-key";

  /** Server frames a connection may hold unsent; more and the connection's later bursts are dropped. */
  private static final int QUEUE = 4096;

  private final LoadProvider provider;
  private final LatenessRecorder recorder;
  private final List<String> burst;
  private final ByteBuf marker;
  private final DisposableServer server;

  private LightLiveServer(LoadProvider provider, LatenessRecorder recorder, List<byte[]> audio) {
    this.provider = provider;
    this.recorder = recorder;
    this.burst = frames(provider, audio);
    this.marker =
        Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer(
                provider == LoadProvider.GEMINI ? "\"data\":\"" : "\"audio\":\"",
                StandardCharsets.US_ASCII));
    this.server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    response.sendWebsocket(
                        this::serve,
                        WebsocketServerSpec.builder().maxFramePayloadLength(1 << 24).build()))
            .bindNow();
  }

  /**
   * Binds 127.0.0.1 on a free port.
   *
   * @param provider whose protocol to speak
   * @param recorder where the lateness of each frame goes
   * @param audio the chunks of one burst of 24 kHz audio
   * @return the started server
   */
  static LightLiveServer start(
      LoadProvider provider, LatenessRecorder recorder, List<byte[]> audio) {
    return new LightLiveServer(provider, recorder, audio);
  }

  /**
   * The URI a client of the provider is given.
   *
   * @return the URI
   */
  URI uri() {
    return URI.create(
        "ws://127.0.0.1:"
            + server.port()
            + (provider == LoadProvider.GEMINI ? GeminiLiveEmulator.PATH : "/v1/realtime"));
  }

  private static List<String> frames(LoadProvider provider, List<byte[]> audio) {
    Base64.Encoder base64 = Base64.getEncoder();
    List<String> frames = new ArrayList<>();
    if (provider == LoadProvider.GEMINI) {
      for (byte[] chunk : audio) {
        frames.add(
            "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
                + "\"audio/pcm;rate=24000\",\"data\":\""
                + base64.encodeToString(chunk)
                + "\"}}]}}}");
      }
      frames.add("{\"serverContent\":{\"turnComplete\":true}}");
    } else {
      frames.add(
          "{\"type\":\"response.created\",\"event_id\":\"e1\",\"response\":{\"id\":\"resp_1\","
              + "\"object\":\"realtime.response\",\"conversation_id\":\"conv_1\","
              + "\"status\":\"in_progress\",\"output\":[]}}");
      for (byte[] chunk : audio) {
        frames.add(
            "{\"type\":\"response.output_audio.delta\",\"event_id\":\"e2\",\"response_id\":\"resp_1\","
                + "\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,\"delta\":\""
                + base64.encodeToString(chunk)
                + "\"}");
      }
      frames.add(
          "{\"type\":\"response.done\",\"event_id\":\"e3\",\"response\":{\"id\":\"resp_1\","
              + "\"object\":\"realtime.response\",\"conversation_id\":\"conv_1\","
              + "\"status\":\"completed\",\"output\":[]}}");
    }
    return List.copyOf(frames);
  }

  private Mono<Void> serve(WebsocketInbound in, WebsocketOutbound out) {
    // bounded; a burst that does not fit is dropped (tryEmitNext fails), which a client that reads
    // shows as missing audio
    Sinks.Many<String> outbound =
        Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(QUEUE).get());
    boolean[] setUp = {provider != LoadProvider.GEMINI};
    if (provider == LoadProvider.OPENAI) {
      outbound.tryEmitNext(
          "{\"type\":\"session.created\",\"event_id\":\"e0\",\"session\":{\"type\":\"realtime\","
              + "\"object\":\"realtime.session\",\"id\":\"sess_1\",\"model\":\"gpt-realtime\"}}");
    }
    Disposable bursts =
        Flux.interval(Duration.ofSeconds(2), Duration.ofSeconds(5), Schedulers.parallel())
            .subscribe(
                tick -> {
                  synchronized (outbound) {
                    for (String f : burst) {
                      outbound.tryEmitNext(f);
                    }
                  }
                });
    Mono<Void> reading =
        in.aggregateFrames(1 << 24)
            .receive()
            .doOnNext(
                frame -> {
                  long now = System.nanoTime();
                  if (!setUp[0]) {
                    setUp[0] = true;
                    synchronized (outbound) {
                      outbound.tryEmitNext("{\"setupComplete\":{}}");
                    }
                    return;
                  }
                  int at = ByteBufUtil.indexOf(marker, frame);
                  if (at >= 0 && frame.writerIndex() - at - marker.readableBytes() >= 12) {
                    byte[] chars = new byte[12];
                    frame.getBytes(at + marker.readableBytes(), chars);
                    byte[] head = Base64.getDecoder().decode(chars);
                    long due = 0;
                    for (int i = 7; i >= 0; i--) {
                      due = (due << 8) | (head[i] & 0xff);
                    }
                    recorder.record(due, now);
                  }
                })
            .then()
            .doFinally(
                signal -> {
                  bursts.dispose();
                  synchronized (outbound) {
                    outbound.tryEmitComplete();
                  }
                });
    return Mono.when(reading, out.sendString(outbound.asFlux()).then());
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
  }
}
