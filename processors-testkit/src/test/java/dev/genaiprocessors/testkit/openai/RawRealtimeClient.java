package dev.genaiprocessors.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;

/**
 * A bare WebSocket client for checking the emulator's wire behaviour: sends text frames, records every frame
 * received (for the SDK judge too) and the close status.
 */
final class RawRealtimeClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(5);

  /** Outgoing frames; unbounded, but a test sends a handful. */
  private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();

  private final ConcurrentLinkedQueue<String> unread = new ConcurrentLinkedQueue<>();
  private final Semaphore unreadCount = new Semaphore(0);
  final List<String> received = new CopyOnWriteArrayList<>();
  final List<String> sent = new CopyOnWriteArrayList<>();
  private final Semaphore ended = new Semaphore(0);
  private volatile @Nullable WebSocketCloseStatus closeStatus;
  private final Disposable connection;

  RawRealtimeClient(URI uri, Map<String, String> headers) {
    HttpClient client = HttpClient.newConnection().headers(h -> headers.forEach(h::set));
    connection =
        client
            .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 24).build())
            .uri(uri)
            .handle(
                (in, out) -> {
                  in.receiveCloseStatus().subscribe(status -> closeStatus = status);
                  return Flux.merge(
                      out.sendString(outgoing.asFlux()).then(),
                      in.aggregateFrames(1 << 24)
                          .receiveFrames()
                          .doOnNext(
                              f -> {
                                if (f instanceof TextWebSocketFrame
                                    || f instanceof BinaryWebSocketFrame) {
                                  String text = f.content().toString(StandardCharsets.UTF_8);
                                  received.add(text);
                                  unread.add(text);
                                  unreadCount.release();
                                }
                              })
                          .then());
                })
            .doFinally(signal -> ended.release())
            .subscribe(v -> {}, e -> {});
  }

  /** Connects with the right key and model {@code gpt-realtime}. */
  static RawRealtimeClient connect(OpenAiRealtimeEmulator server) {
    return new RawRealtimeClient(
        URI.create(server.uri() + "?model=gpt-realtime"),
        Map.of("Authorization", "Bearer " + server.apiKey()));
  }

  RawRealtimeClient send(String json) {
    sent.add(json);
    outgoing.tryEmitNext(json);
    return this;
  }

  /** Sends an event the test means to be wrong: the SDK judge does not see it. */
  RawRealtimeClient sendWrong(String json) {
    outgoing.tryEmitNext(json);
    return this;
  }

  /** The next event, or an assertion error after {@link #WAIT}. */
  JsonNode next() throws InterruptedException {
    if (!unreadCount.tryAcquire(WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new AssertionError("no event from the emulator within " + WAIT);
    }
    return RealtimeWire.parse(unread.poll());
  }

  /** The next event, which must be of this type. */
  JsonNode next(String type) throws InterruptedException {
    JsonNode e = next();
    assertThat(e.path("type").asString()).as("type of %s", e).isEqualTo(type);
    return e;
  }

  /** The next events until one of this type (inclusive), in order. */
  List<JsonNode> until(String type) throws InterruptedException {
    List<JsonNode> events = new ArrayList<>();
    JsonNode e;
    do {
      e = next();
      events.add(e);
    } while (!e.path("type").asString().equals(type));
    return events;
  }

  /** Whether an event arrives within this time (it is then consumed). */
  boolean anyEventWithin(Duration d) throws InterruptedException {
    boolean got = unreadCount.tryAcquire(d.toNanos(), TimeUnit.NANOSECONDS);
    if (got) {
      unread.poll();
    }
    return got;
  }

  /** The close status once the connection has ended; null when it ended without a close frame. */
  @Nullable WebSocketCloseStatus awaitEnd() throws InterruptedException {
    if (!ended.tryAcquire(WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new AssertionError("the connection did not end");
    }
    ended.release();
    return closeStatus;
  }

  @Override
  public void close() {
    connection.dispose();
  }
}
