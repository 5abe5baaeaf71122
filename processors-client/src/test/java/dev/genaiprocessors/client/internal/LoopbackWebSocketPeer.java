package dev.genaiprocessors.client.internal;

import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * A WebSocket server on 127.0.0.1 for the tests of {@link WebSocketLink} and {@link KeepAlive}: it sees every
 * ping (its pongs are its own choice), and obeys text commands: {@code say X} answers {@code X},
 * {@code big N} answers a text of N characters, {@code close C R} closes with code C and reason R. After each
 * pong it pings the client once: the client's automatic pong to that ping shows that the client has read
 * everything before it, the pong included (see {@link #pongsBack}).
 */
final class LoopbackWebSocketPeer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  final AtomicInteger pings = new AtomicInteger();
  final AtomicInteger pongsBack = new AtomicInteger();
  final AtomicReference<@Nullable String> header = new AtomicReference<>();
  final Sinks.One<WebSocketCloseStatus> closeStatus = Sinks.one();
  volatile boolean answerPings = true;
  private final DisposableServer server;

  LoopbackWebSocketPeer() {
    WebsocketServerSpec spec = WebsocketServerSpec.builder().handlePing(true).build();
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes
                        .get(
                            "/ws",
                            (req, res) -> {
                              header.set(req.requestHeaders().get("x-test-key"));
                              return res.sendWebsocket(
                                  (in, out) -> {
                                    // Replies, written on this connection's event loop only;
                                    // unbounded,
                                    // but a test sends a handful of commands.
                                    Sinks.Many<WebSocketFrame> replies =
                                        Sinks.many().unicast().onBackpressureBuffer();
                                    in.receiveCloseStatus().subscribe(closeStatus::tryEmitValue);
                                    Mono<Void> reading =
                                        in.receiveFrames()
                                            .doOnNext(f -> answer(f, replies, out))
                                            .then();
                                    return Mono.when(
                                        reading, out.sendObject(replies.asFlux()).then());
                                  },
                                  spec);
                            })
                        .get("/refuse", (req, res) -> res.status(401).send()))
            .bindNow();
  }

  private void answer(
      WebSocketFrame f,
      Sinks.Many<WebSocketFrame> replies,
      reactor.netty.http.websocket.WebsocketOutbound out) {
    if (f instanceof PingWebSocketFrame) {
      pings.incrementAndGet();
      if (answerPings) {
        replies.tryEmitNext(new PongWebSocketFrame());
        replies.tryEmitNext(new PingWebSocketFrame());
      }
    } else if (f instanceof PongWebSocketFrame) {
      pongsBack.incrementAndGet();
    } else if (f instanceof TextWebSocketFrame t) {
      String[] command = t.text().split(" ", 3);
      switch (command[0]) {
        case "say" -> replies.tryEmitNext(new TextWebSocketFrame(command[1]));
        case "big" ->
            replies.tryEmitNext(new TextWebSocketFrame("x".repeat(Integer.parseInt(command[1]))));
        case "close" ->
            out.sendClose(Integer.parseInt(command[1]), command.length > 2 ? command[2] : "")
                .subscribe();
        default -> replies.tryEmitNext(new TextWebSocketFrame("unknown " + t.text()));
      }
    }
  }

  URI uri() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
  }

  URI refusing() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/refuse");
  }

  /** Waits, boundedly, until the count reaches the value. */
  static void await(IntSupplier count, int value) {
    Mono.fromCallable(() -> count.getAsInt() >= value ? Boolean.TRUE : null)
        .repeatWhenEmpty(500, f -> f.delayElements(Duration.ofMillis(10)))
        .block(WAIT);
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
