package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.client.internal.WebSocketLink;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The connections of a session: each a {@link WebSocketLink} (frames aggregated and copied out of their
 * buffers at the edge, sent within the socket's demand), and a loop that repeats after a clean end and
 * retries with backoff after a resumable drop.
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
    return WebSocketLink.connect(
            processor.client,
            s.uri,
            s.maxFrameBytes,
            new WebSocketLink.Handler<Boolean>() {
              @Override
              public Publisher<Boolean> opened(WebSocketLink socket) {
                session.run(() -> session.opened(l, socket));
                return l.connected.asMono();
              }

              @Override
              public void demand() {
                session.run(session::drainSend);
              }

              @Override
              public Publisher<Boolean> message(byte[] payload) {
                return session.frame(l, payload).then(Mono.empty());
              }

              @Override
              public Publisher<Boolean> ended(
                  @Nullable WebSocketCloseStatus status, @Nullable Throwable transportError) {
                return Mono.create(
                    result ->
                        session.run(
                            () -> {
                              l.transportError = transportError;
                              session.linkEnded(l, status, result);
                            }));
              }
            })
        .onErrorResume(
            e ->
                !(e instanceof ModelException
                    || e instanceof ModelProtocolException
                    || e instanceof ResumableDrop),
            e -> Mono.create(result -> session.run(() -> session.openFailed(e, result))));
  }
}
