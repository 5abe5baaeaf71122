package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.client.internal.WebSocketFrameLimit;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelException.Kind;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * Opens the WebSocket connections of a session, in the reactor-netty idiom: one
 * {@code handle((in, out) -> merge(receive, send))} per connection, frames aggregated up to the frame limit
 * and copied out of their buffers at the edge. Inbound frames are read with the output's demand (a slow
 * subscriber stops the socket reads); outbound frames are written within the socket's demand.
 */
final class RealtimeLink {
  private final RealtimeSettings s;
  private final HttpClient client;
  private final SecretRedactor redactor;

  RealtimeLink(RealtimeSettings settings, String key, SecretRedactor redactor) {
    this.s = settings;
    this.redactor = redactor;
    // The key goes in a header only, never in the URI.
    this.client = HttpClient.newConnection().headers(h -> h.set("Authorization", "Bearer " + key));
  }

  /** The socket URI: the configured one with {@code model=} added to its query. */
  static URI withModel(URI uri, String model) {
    String query = "model=" + URLEncoder.encode(model, StandardCharsets.UTF_8);
    String s = uri.toString();
    return URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + query);
  }

  /** One connection: its parts, then how it ended (nothing to go on, or the session's error). */
  Flux<Part> connect(RealtimeSession session) {
    WebsocketClientSpec spec =
        WebsocketClientSpec.builder().maxFramePayloadLength(s.maxFrameBytes).build();
    return client
        .websocket(spec)
        .uri(withModel(s.uri, s.model))
        .handle(
            (in, out) -> {
              Sinks.One<Boolean> inboundDone = Sinks.one();
              AtomicReference<@Nullable Throwable> transportError = new AtomicReference<>();
              Flux<WebSocketFrame> frames = Flux.create(f -> session.opened(out, f));
              Mono<Void> sending =
                  out.sendObject(frames)
                      .then()
                      .onErrorResume(e -> Mono.empty())
                      .takeUntilOther(inboundDone.asMono());
              Flux<Part> receiving =
                  in.aggregateFrames(s.maxFrameBytes)
                      .receiveFrames()
                      .<String>handle(
                          (frame, next) -> {
                            session.heard(); // any frame, a pong included, shows the peer is alive
                            if (frame instanceof TextWebSocketFrame
                                || frame instanceof BinaryWebSocketFrame) {
                              next.next(frame.content().toString(StandardCharsets.UTF_8));
                            }
                          })
                      .concatMapIterable(session::onServerEvent)
                      .onErrorResume(
                          e -> !(e instanceof ModelException),
                          e -> {
                            transportError.set(e);
                            return Mono.empty();
                          })
                      .doFinally(signal -> inboundDone.tryEmitValue(true))
                      .concatWith(
                          in.receiveCloseStatus()
                              .map(Optional::of)
                              .defaultIfEmpty(Optional.empty())
                              .flatMapMany(
                                  status -> {
                                    Throwable end =
                                        session.linkEnded(
                                            status.orElse(null), transportError.get());
                                    return end == null ? Flux.<Part>empty() : Flux.<Part>error(end);
                                  }));
              return Flux.merge(receiving, sending.then(Mono.<Part>empty()));
            })
        .onErrorMap(e -> !(e instanceof ModelException), this::openFailed);
  }

  private ModelException openFailed(Throwable e) {
    if (e instanceof WebSocketClientHandshakeException h && h.response() != null) {
      int status = h.response().status().code();
      return ModelException.builder(
              Kind.ofHttpStatus(status),
              RealtimeSettings.PROVIDER,
              "OpenAI Realtime refused the connection to "
                  + safeUri()
                  + " with HTTP "
                  + status
                  + (status == 401 ? "; check the API key" : ""))
          .statusCode(status)
          .cause(e)
          .build();
    }
    return ModelException.builder(
            Kind.CONNECTION,
            RealtimeSettings.PROVIDER,
            "could not connect to OpenAI Realtime at "
                + safeUri()
                + ": "
                + redactor.redact(String.valueOf(e.getMessage())))
        .cause(e)
        .build();
  }

  private String safeUri() {
    return redactor.redact(s.uri.toString());
  }

  /** The protocol error of a frame over the limit, when that is why the inbound side failed. */
  static @Nullable ModelException frameTooBig(@Nullable Throwable error, int limit) {
    if (!WebSocketFrameLimit.exceeded(error)) {
      return null;
    }
    return RealtimeErrors.protocol(
        1009,
        "the OpenAI Realtime server sent a frame of more than "
            + limit
            + " bytes, the limit set by maxFrameBytes("
            + limit
            + "); the session ends without retrying, since the server would send it again:"
            + " raise maxFrameBytes if such frames are expected");
  }
}
