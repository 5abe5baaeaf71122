package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.retry.Retry;

/**
 * The connections of a session, in the reactor-netty idiom: one {@code handle((in, out) -> merge(send,
 * receive))} per link, frames aggregated and copied out of their buffers at the edge, and a loop that
 * repeats after a clean end and retries with backoff after a resumable drop.
 *
 * <p>Each link emits {@code true} once the server makes {@linkplain Link#progress progress} on it, which
 * resets the reconnect budget, and ends with the link's {@linkplain Link#outcome outcome}: a link that ends
 * before any progress (a drop, a close, a goAway switch sooner than {@link Link#SETTLED} after it opened)
 * uses one reconnect attempt of the budget, and when
 * it is spent the session ends with a {@link ModelException} that lists how each connection ended. Inbound frames are taken one at a time: the next
 * is requested only when the session has room for its parts, so a slow subscriber stops the socket reads.
 */
final class LinkTransport {
  private static final Logger log = LoggerFactory.getLogger(LinkTransport.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private LinkTransport() {}

  /** The first socket of a session could not open for a reason that may pass (refused, reset, timed out). */
  static final class FirstOpenFailed extends RuntimeException {
    private final ModelException error;

    FirstOpenFailed(ModelException error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }

    ModelException exhausted(long attempts) {
      if (attempts <= 1) {
        return error;
      }
      return LiveErrors.closed(
          error.closeCode(),
          error.closeReason(),
          error.getMessage() + " (" + attempts + " attempts)",
          error.getCause(),
          (int) Math.min(Integer.MAX_VALUE, attempts));
    }
  }

  static Flux<Boolean> connections(GeminiLiveSession session, GeminiLiveProcessor processor) {
    GeminiLiveSettings s = processor.settings;
    return Flux.defer(() -> connectOnce(session, processor))
        .retryWhen(
            Retry.backoff(s.connectAttempts, s.connectBaseDelay)
                .maxBackoff(s.connectMaxDelay)
                .scheduler(s.scheduler)
                .filter(FirstOpenFailed.class::isInstance)
                .doBeforeRetry(
                    r ->
                        log.info(
                            "Gemini Live: retrying the first connection after {}",
                            r.failure().getMessage()))
                .onRetryExhaustedThrow(
                    (spec, r) -> ((FirstOpenFailed) r.failure()).exhausted(r.totalRetries() + 1)))
        .repeat(() -> !session.done())
        .retryWhen(
            Retry.backoff(s.maxReconnectAttempts, s.reconnectBackoff)
                .maxBackoff(
                    MAX_BACKOFF.compareTo(s.reconnectBackoff) > 0
                        ? MAX_BACKOFF
                        : s.reconnectBackoff)
                .transientErrors(true)
                .scheduler(s.scheduler)
                .filter(ResumableDrop.class::isInstance)
                .doBeforeRetry(
                    r -> log.info("Gemini Live: reconnecting after {}", r.failure().getMessage()))
                .onRetryExhaustedThrow(
                    (spec, r) -> ((ResumableDrop) r.failure()).exhausted(r.totalRetriesInARow())));
  }

  private static Flux<Boolean> connectOnce(
      GeminiLiveSession session, GeminiLiveProcessor processor) {
    GeminiLiveSettings s = processor.settings;
    Link l = new Link();
    WebsocketClientSpec spec =
        WebsocketClientSpec.builder().maxFramePayloadLength(s.maxFrameBytes).build();
    return processor
        .client
        .websocket(spec)
        .uri(s.uri)
        .handle(
            (WebsocketInbound in, WebsocketOutbound out) -> {
              session.run(() -> session.opened(l, out));
              Flux<WebSocketFrame> frames =
                  Flux.create(
                      f -> {
                        f.onRequest(n -> session.run(session::drainSend));
                        session.run(() -> session.attach(l, f));
                      });
              Mono<Void> sending =
                  out.sendObject(frames)
                      .then()
                      .onErrorResume(e -> Mono.empty())
                      .takeUntilOther(l.inboundDone.asMono());
              Mono<Boolean> receiving =
                  in.aggregateFrames(s.maxFrameBytes)
                      .receiveFrames()
                      .<byte[]>handle(
                          (frame, next) -> {
                            l.heard = true; // any frame, a pong included, shows the peer is alive
                            if (frame instanceof TextWebSocketFrame
                                || frame instanceof BinaryWebSocketFrame) {
                              next.next(
                                  ByteBufUtil.getBytes(
                                      frame.content())); // copied: no ByteBuf leaves here
                            }
                          })
                      .concatMap(bytes -> session.frame(l, bytes), 1)
                      .then()
                      .onErrorResume(
                          e -> {
                            l.transportError = e;
                            return Mono.empty();
                          })
                      .doFinally(signal -> l.inboundDone.tryEmitValue(true))
                      .then(
                          in.receiveCloseStatus()
                              .map(Optional::of)
                              .defaultIfEmpty(Optional.empty()))
                      .flatMap(
                          status ->
                              Mono.<Boolean>create(
                                  result ->
                                      session.run(
                                          () ->
                                              session.linkEnded(l, status.orElse(null), result))));
              return Flux.merge(
                  l.connected.asMono(), sending.then(Mono.<Boolean>empty()), receiving);
            })
        .onErrorResume(
            e ->
                !(e instanceof ModelException
                    || e instanceof ModelProtocolException
                    || e instanceof ResumableDrop),
            e -> Mono.create(result -> session.run(() -> session.openFailed(e, result))));
  }
}
