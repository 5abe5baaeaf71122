package dev.genaiprocessors.client.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.tcp.TcpServer;

/**
 * A loopback server for attack tests: it answers every request with a handler the test gives (bytes,
 * endless streams, redirects), or, as a bare TCP server, accepts connections and never says a word.
 * Counts the requests it receives. Binds 127.0.0.1 (or another loopback address) on a free port.
 */
public final class HostileHttpServer implements AutoCloseable {

  private final DisposableServer server;
  private final AtomicInteger requests = new AtomicInteger();

  private HostileHttpServer(DisposableServer server) {
    this.server = server;
  }

  /** An HTTP server on {@code host} answering every request with the handler (the body is drained first). */
  public static HostileHttpServer http(
      String host, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
    HostileHttpServer[] self = new HostileHttpServer[1];
    DisposableServer s =
        HttpServer.create()
            .host(host)
            .port(0)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .then(
                            Mono.defer(
                                () -> {
                                  self[0].requests.incrementAndGet();
                                  return Mono.from(handler.apply(request, response));
                                })))
            .bindNow(Duration.ofSeconds(10));
    self[0] = new HostileHttpServer(s);
    return self[0];
  }

  /** A TCP server on 127.0.0.1 that accepts connections and never writes or closes (a hung TLS peer). */
  public static HostileHttpServer silent() {
    return new HostileHttpServer(
        TcpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle((in, out) -> Mono.never())
            .bindNow(Duration.ofSeconds(10)));
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** How many HTTP requests arrived. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(10));
  }
}
