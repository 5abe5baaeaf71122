package dev.genaiprocessors.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A WebSocket client on loopback for the server's tests, made with Reactor Netty's client: sends what the
 * test gives it, records every message and the close status. Waits are bounded by {@link #WAIT}.
 */
final class LoopbackClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** A message from the server: text, or the size of a binary frame (and its bytes). */
  record Message(String text, byte[] bytes) {
    boolean isText() {
      return bytes.length == 0 && !text.isEmpty();
    }

    boolean isBinary() {
      return bytes.length > 0;
    }
  }

  private final Sinks.Many<WebSocketFrame> outgoing = Sinks.many().unicast().onBackpressureBuffer();
  private final Sinks.Many<Message> messages = Sinks.many().replay().all();
  private final Sinks.One<WebSocketCloseStatus> closed = Sinks.one();
  private final Sinks.One<Throwable> failed = Sinks.one();
  private final Disposable connection;

  private LoopbackClient(URI uri, Map<String, String> headers, int maxFrame) {
    connection =
        HttpClient.create()
            .headers(h -> headers.forEach(h::set))
            .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(maxFrame).build())
            .uri(uri)
            .handle(
                (in, out) -> {
                  in.receiveCloseStatus().subscribe(closed::tryEmitValue);
                  Mono<Void> reading =
                      in.aggregateFrames(1 << 20)
                          .receiveFrames()
                          .doOnNext(
                              f -> {
                                if (f instanceof TextWebSocketFrame t) {
                                  messages.tryEmitNext(new Message(t.text(), new byte[0]));
                                } else if (f instanceof BinaryWebSocketFrame) {
                                  messages.tryEmitNext(
                                      new Message("", ByteBufUtil.getBytes(f.content())));
                                }
                              })
                          .then();
                  return Mono.when(reading, out.sendObject(outgoing.asFlux()).then());
                })
            .doFinally(s -> messages.tryEmitComplete())
            .subscribe(x -> {}, e -> failed.tryEmitValue(e));
  }

  static LoopbackClient connect(URI uri) {
    return new LoopbackClient(uri, Map.of(), 1 << 20);
  }

  static LoopbackClient connect(URI uri, Map<String, String> headers) {
    return new LoopbackClient(uri, headers, 1 << 20);
  }

  LoopbackClient sendText(String text) {
    outgoing.tryEmitNext(new TextWebSocketFrame(text));
    return this;
  }

  LoopbackClient sendBinary(byte[] bytes) {
    outgoing.tryEmitNext(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    return this;
  }

  /** Every message so far and to come, in order. */
  Flux<Message> messages() {
    return messages.asFlux();
  }

  /** The first text message that contains {@code fragment}. */
  String awaitText(String fragment) {
    return awaitMessage(m -> m.isText() && m.text().contains(fragment)).text();
  }

  Message awaitMessage(Predicate<Message> which) {
    Message m = messages.asFlux().filter(which).next().block(WAIT);
    if (m == null) {
      throw new AssertionError("the connection ended without the message awaited");
    }
    return m;
  }

  /** The close status the server sent. */
  WebSocketCloseStatus awaitClose() {
    WebSocketCloseStatus status = closed.asMono().block(WAIT);
    if (status == null) {
      throw new AssertionError("no close status");
    }
    return status;
  }

  /** The error of a connection that could not be made. */
  Throwable awaitFailure() {
    Throwable e = failed.asMono().block(WAIT);
    if (e == null) {
      throw new AssertionError("no failure");
    }
    return e;
  }

  @Override
  public void close() {
    outgoing.tryEmitComplete();
    connection.dispose();
  }
}
