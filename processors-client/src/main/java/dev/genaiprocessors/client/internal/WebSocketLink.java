package dev.genaiprocessors.client.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One client WebSocket connection of a live session (Gemini Live, OpenAI Realtime), in the reactor-netty
 * idiom: one {@code handle((in, out) -> merge(receive, send))} per connection. What the providers share lives
 * here; what each protocol means (setup, reconnects, resumption, expiry, the errors a close maps to) stays in
 * the provider.
 *
 * <p><b>Inbound.</b> Frames are aggregated up to the frame limit (a frame or message over it fails the
 * inbound side with the error {@link WebSocketFrameLimit#exceeded} recognises); text and binary payloads are
 * copied out of their buffers here (no {@code ByteBuf} leaves this class) and given to
 * {@link Handler#message} one at a time: the next frame is read only after the publisher returned for the
 * previous one has completed, so a slow subscriber stops the socket reads. Every frame, a pong included,
 * marks the peer as {@linkplain #takeHeard() heard} for {@link KeepAlive}.
 *
 * <p><b>Outbound.</b> Frames go through one sink that is written only within the socket's demand
 * ({@link #canSend()}); the owner keeps its own bounded queue and drains it on {@link Handler#demand()}. So
 * this class buffers nothing: a frame given without demand is refused ({@link #send} returns false).
 *
 * <p><b>End.</b> When the inbound side ends (a close frame, a drop, a transport error, or
 * {@link #abort()}), the outbound side stops and {@link Handler#ended} gets the close status (1006 or null
 * without a close frame) and the transport error (null when none); what it returns ends the connection's
 * output.
 * An error of the handler's own publishers is not a transport error: it ends the output as it is.
 *
 * <p><b>Threads.</b> {@link #send}, {@link #ping}, {@link #close} and {@link #abort} may be called from any
 * thread, one at a time (the owner serialises them, on its worker or under its lock); the heard flag is set
 * on the socket's thread.
 *
 * <p><b>Secrets.</b> The credential travels in a header of the upgrade request only ({@link #client}); this
 * class logs no header, URI or payload.
 */
public final class WebSocketLink {
  private static final Logger log = LoggerFactory.getLogger(WebSocketLink.class);

  /**
   * What a connection tells its owner, and what the owner gives back.
   *
   * @param <T> what the connection's output carries
   */
  public interface Handler<T> {
    /**
     * The socket opened, before anything is sent. Called once, on the socket's thread.
     *
     * @param link the connection, to send on (within demand), close or abort
     * @return what the connection's output carries besides the messages' results (a signal of progress,
     *     for instance), merged into it; {@code Flux.empty()} for nothing
     */
    Publisher<T> opened(WebSocketLink link);

    /**
     * The socket asked for more frames (the first time when its outbound side attaches): the owner may
     * {@linkplain #send send} while {@link #canSend()} holds. Called on the socket's thread or the thread
     * that wrote the last frame; must not block.
     */
    void demand();

    /**
     * One text or binary message, its payload copied out of netty's buffer (the owner owns the array).
     *
     * @param payload the message's bytes
     * @return the message's results, in order; the next message is read once this completes. An error
     *     ends the connection's output with that error (it is not taken for a transport error).
     */
    Publisher<T> message(byte[] payload);

    /**
     * The inbound side ended: how the connection goes on. Called once, after the last message's results.
     *
     * @param status the peer's close status; for a connection that ended without a close frame,
     *     reactor-netty's 1006 (abnormal closure), or null when it reports none
     * @param transportError why the inbound side failed (a reset, a frame over the limit), null when it did
     *     not
     * @return the last of the connection's output: empty for a clean end, an error to end it with one
     */
    Publisher<T> ended(@Nullable WebSocketCloseStatus status, @Nullable Throwable transportError);
  }

  private final WebsocketOutbound out;
  private final AtomicBoolean closeRequested = new AtomicBoolean();

  /** Set once the outbound side attached; written on the socket's thread, read by the owner. */
  private volatile @Nullable FluxSink<WebSocketFrame> frames;

  /** A frame arrived since the last {@link #takeHeard()}; the open itself counts as heard. */
  private final AtomicBoolean heard = new AtomicBoolean(true);

  private WebSocketLink(WebsocketOutbound out) {
    this.out = out;
  }

  /**
   * A client for WebSocket connections that sends one header (the credential) on every upgrade request,
   * each on a new connection (no pooling: a live socket is held for the whole session). The header is never
   * in the URI, and nothing here logs it.
   *
   * @param header the header's name, such as {@code Authorization}
   * @param value the header's value
   * @return the client
   */
  public static HttpClient client(String header, String value) {
    return HttpClient.newConnection().headers(h -> h.set(header, value));
  }

  /**
   * Opens one connection when subscribed; cancelling the returned flux drops the connection.
   *
   * @param client the client, with its headers (see {@link #client})
   * @param uri the socket's URI
   * @param maxFrameBytes the largest frame or aggregated message read; a larger one fails the inbound side
   * @param handler the owner
   * @param <T> what the output carries
   * @return the connection's output: what {@link Handler#opened} gives, each message's results in order,
   *     then what {@link Handler#ended} gives; an error when the socket could not open (see
   *     {@link #refusedStatus})
   */
  public static <T> Flux<T> connect(
      HttpClient client, URI uri, int maxFrameBytes, Handler<T> handler) {
    WebsocketClientSpec spec =
        WebsocketClientSpec.builder().maxFramePayloadLength(maxFrameBytes).build();
    return client
        .websocket(spec)
        .uri(uri)
        .handle(
            (in, out) -> {
              WebSocketLink link = new WebSocketLink(out);
              Publisher<T> beside = handler.opened(link);
              Sinks.One<Boolean> inboundDone = Sinks.one();
              AtomicReference<@Nullable Throwable> transportError = new AtomicReference<>();
              Flux<WebSocketFrame> outgoing =
                  Flux.create(
                      f -> {
                        link.frames = f;
                        f.onRequest(n -> handler.demand());
                      });
              Mono<Void> sending =
                  out.sendObject(outgoing)
                      .then()
                      .onErrorResume(e -> Mono.empty())
                      .takeUntilOther(inboundDone.asMono());
              Flux<T> receiving =
                  in.aggregateFrames(maxFrameBytes)
                      .receiveFrames()
                      .<byte[]>handle(
                          (frame, next) -> {
                            link.heard.set(
                                true); // any frame, a pong included, shows the peer is alive
                            if (frame instanceof TextWebSocketFrame
                                || frame instanceof BinaryWebSocketFrame) {
                              next.next(ByteBufUtil.getBytes(frame.content()));
                            }
                          })
                      .doOnError(transportError::set)
                      .concatMap(handler::message, 1)
                      .onErrorResume(e -> e == transportError.get(), e -> Mono.empty())
                      .doFinally(signal -> inboundDone.tryEmitValue(true))
                      .concatWith(
                          in.receiveCloseStatus()
                              .map(Optional::of)
                              .defaultIfEmpty(Optional.empty())
                              .flatMapMany(
                                  status ->
                                      handler.ended(status.orElse(null), transportError.get())));
              return Flux.merge(receiving, sending.then(Mono.<T>empty()), beside);
            });
  }

  /**
   * The HTTP status with which the server refused the upgrade, when that is why the socket did not open.
   *
   * @param error the error of {@link #connect}
   * @return the status, such as 401 or 404; 0 when the server gave no HTTP answer (refused, reset, timed out)
   */
  public static int refusedStatus(Throwable error) {
    return error instanceof WebSocketClientHandshakeException h && h.response() != null
        ? h.response().status().code()
        : 0;
  }

  /**
   * Whether a frame can be written now: the outbound side attached, has demand, and no close was asked.
   *
   * @return true when {@link #send} would write
   */
  public boolean canSend() {
    FluxSink<WebSocketFrame> f = frames;
    return f != null
        && !closeRequested.get()
        && !f.isCancelled()
        && f.requestedFromDownstream() > 0;
  }

  /**
   * Writes a text frame, when {@link #canSend()}.
   *
   * @param text the frame's text
   * @return false when the frame was not written (no demand, or closing): the owner keeps it queued
   */
  public boolean send(String text) {
    FluxSink<WebSocketFrame> f = sendable();
    if (f == null) {
      return false;
    }
    f.next(new TextWebSocketFrame(text));
    return true;
  }

  /**
   * Writes a text frame of UTF-8 bytes, when {@link #canSend()}: the array becomes the frame's payload as it
   * is, with no copy and no String between (a heap buffer that needs no release, so a frame refused, or
   * dropped by a closing connection, leaves nothing to free).
   *
   * @param utf8 the frame's text as UTF-8; the caller gives up the array and must not change it afterwards
   * @return false when the frame was not written (no demand, or closing): the owner keeps it queued
   */
  public boolean send(byte[] utf8) {
    FluxSink<WebSocketFrame> f = sendable();
    if (f == null) {
      return false;
    }
    f.next(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)));
    return true;
  }

  /**
   * Writes a ping frame, when {@link #canSend()}; the peer's pong (like any frame) marks it heard.
   *
   * @return false when the ping was not written
   */
  public boolean ping() {
    FluxSink<WebSocketFrame> f = sendable();
    if (f == null) {
      return false;
    }
    f.next(new PingWebSocketFrame());
    return true;
  }

  /** The sink of outbound frames when a frame may be written now ({@link #canSend()}), else null. */
  private @Nullable FluxSink<WebSocketFrame> sendable() {
    FluxSink<WebSocketFrame> f = frames;
    return f != null && canSend() ? f : null;
  }

  /**
   * Sends a close frame (reactor-netty closes the channel once it is written); later calls, and calls after
   * {@link #abort()}, do nothing. From then on {@link #canSend()} is false.
   *
   * @param code the close code, such as 1000
   * @param reason the close reason (no secret: the peer and its logs see it)
   */
  public void close(int code, String reason) {
    if (!closeRequested.compareAndSet(false, true)) {
      return;
    }
    out.sendClose(code, reason)
        .subscribe(null, e -> log.debug("WebSocket close frame not written: {}", e.toString()));
  }

  /**
   * Whether {@link #close} or {@link #abort} was called.
   *
   * @return true once the client asked the connection to end
   */
  public boolean closeRequested() {
    return closeRequested.get();
  }

  /**
   * Drops the connection at once, without a close frame (for a peer that reads nothing anyway); the inbound
   * side then ends with the abnormal closure, 1006.
   */
  public void abort() {
    closeRequested.set(true);
    out.withConnection(c -> c.dispose());
  }

  /** Ends the outbound side (no more frames); the connection stays open until the inbound side ends. */
  public void endSending() {
    FluxSink<WebSocketFrame> f = frames;
    if (f != null) {
      f.complete();
    }
  }

  /**
   * Whether a frame, a pong included, arrived since the last call (or since the open, for the first call),
   * and clears the mark.
   *
   * @return true when the peer was heard
   */
  public boolean takeHeard() {
    return heard.getAndSet(false);
  }
}
