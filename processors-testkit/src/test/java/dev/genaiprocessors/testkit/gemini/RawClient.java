package dev.genaiprocessors.testkit.gemini;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;

/** A bare WebSocket client for checking the emulator's wire behaviour: sends text, records frames and the close. */
final class RawClient implements AutoCloseable {
  /** A received frame. */
  record Frame(boolean binary, String text) {
    JsonNode json() {
      return EmulatorWire.parse(text);
    }
  }

  private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
  private final ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
  private final Semaphore frameCount = new Semaphore(0);
  private final Semaphore ended = new Semaphore(0);
  private volatile @Nullable WebSocketCloseStatus closeStatus;
  private volatile @Nullable Throwable error;
  private volatile @Nullable WebsocketOutbound out;
  private final Disposable connection;

  RawClient(URI uri, @Nullable String headerKey) {
    HttpClient client = HttpClient.newConnection();
    if (headerKey != null) {
      client = client.headers(h -> h.set("x-goog-api-key", headerKey));
    }
    connection =
        client
            .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 24).build())
            .uri(uri)
            .handle(
                (in, out) -> {
                  this.out = out;
                  in.receiveCloseStatus().subscribe(status -> closeStatus = status);
                  return Flux.merge(
                      out.sendString(outgoing.asFlux()).then(),
                      in.aggregateFrames(1 << 24)
                          .receiveFrames()
                          .doOnNext(
                              f -> {
                                if (f instanceof TextWebSocketFrame
                                    || f instanceof BinaryWebSocketFrame) {
                                  frames.add(
                                      new Frame(
                                          f instanceof BinaryWebSocketFrame,
                                          f.content().toString(StandardCharsets.UTF_8)));
                                  frameCount.release();
                                }
                              })
                          .then());
                })
            .doFinally(signal -> ended.release())
            .subscribe(v -> {}, e -> error = e);
  }

  static RawClient connect(GeminiLiveEmulator server) {
    return new RawClient(server.uri(), server.apiKey());
  }

  RawClient send(String json) {
    outgoing.tryEmitNext(json);
    return this;
  }

  /** The next frame, or null after the timeout. */
  @Nullable Frame take(Duration timeout) throws InterruptedException {
    return frameCount.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS) ? frames.poll() : null;
  }

  JsonNode takeJson() throws InterruptedException {
    Frame f = take(Duration.ofSeconds(5));
    if (f == null) {
      throw new AssertionError("no frame from the emulator");
    }
    return f.json();
  }

  /** The close status once the connection has ended (null when there was no close frame). */
  @Nullable WebSocketCloseStatus awaitEnd(Duration timeout) throws InterruptedException {
    if (!ended.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new AssertionError("the connection did not end");
    }
    return closeStatus;
  }

  /** Sends a close frame with this code. */
  void sendClose(int code) {
    WebsocketOutbound o = out;
    if (o != null) {
      o.sendClose(code, "bye").subscribe();
    }
  }

  @Nullable Throwable error() {
    return error;
  }

  /** Closes with 1000 (the handler's completion) by completing the outgoing side. */
  @Override
  public void close() {
    connection.dispose();
  }
}
