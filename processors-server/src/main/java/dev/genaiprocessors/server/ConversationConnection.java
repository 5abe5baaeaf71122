package dev.genaiprocessors.server;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.concurrent.Queues;

/**
 * One admitted WebSocket connection, which is one conversation: frames in through the codec into the
 * pipeline, the pipeline's output through the outbound pacing and the codec back out, and the close.
 *
 * <p><b>Buffers.</b> In: an {@link InboundQueue} of {@code inboundCapacity} parts (drop the oldest
 * audio; close with 1008 when full of control parts). Replies of the codec: at most
 * {@value #REPLY_CAPACITY} frames waiting (close with 1008 past that: a client that floods pings). Out:
 * the pipeline is read with backpressure (policy: wait) through the pacing stage, whose queue an
 * {@code interrupted} part flushes, and Reactor Netty's send, which asks for more only as the socket
 * takes it.
 *
 * <p><b>Ending.</b> The first reason to end wins and names the close code: the pipeline completes
 * (1000, after every frame it produced was sent), the pipeline fails (1011), a bad frame (its code),
 * idle (1008), a flood (1008), a drain (1001), or the client closes. Aborts drop unsent output. From
 * then on the client has {@link #CLOSE_WAIT} to take what is left and the close frame; past it the
 * connection is cut.
 */
final class ConversationConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ConversationConnection.class);
  static final int REPLY_CAPACITY = 64;
  private static final int MAX_REASON_BYTES = 123;

  /**
   * How long a client has, once the conversation has ended, to take the last frames and the close
   * frame before the connection is cut. Reactor Netty closes the connection as soon as the close frame
   * is written (it awaits no answer), so this bounds a client that stopped reading: the server's
   * writes wait for it, and without a cutoff the connection would stay open.
   */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private record Closing(int code, String reason, boolean tellClient) {}

  private final ConnectionInfo info;
  private final ConnectionCodec codec;
  private final Processor pipeline;
  private final Processor pacing;
  private final Duration idleTimeout;
  private final int maxFrameBytes;
  private final Scheduler scheduler;
  private final Consumer<ConversationReport> onEnd;

  private final InboundQueue inbound;
  private final Sinks.Many<Part> toPipeline;
  private final Sinks.Many<WireFrame> replies =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<WireFrame>get(REPLY_CAPACITY).get());
  private final Object repliesLock = new Object();
  private final Sinks.Empty<Void> aborted = Sinks.empty();
  // The first reason to end was recorded: the close wait starts.
  private final Sinks.Empty<Void> decided = Sinks.empty();
  // Frames seen, for the idle timer; its subscriber (a switchMap) takes every tick at once.
  private final Sinks.Many<Boolean> activity = Sinks.many().multicast().directBestEffort();
  private final AtomicReference<@Nullable Closing> closing = new AtomicReference<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean inputEnded;
  private final long openedMillis;

  private final AtomicLong framesIn = new AtomicLong();
  private final AtomicLong framesOut = new AtomicLong();
  private final AtomicLong audioIn = new AtomicLong();
  private final AtomicLong audioOut = new AtomicLong();
  private final AtomicLong interruptions = new AtomicLong();

  ConversationConnection(
      ConnectionInfo info,
      ConnectionCodec codec,
      Processor pipeline,
      Processor pacing,
      int inboundCapacity,
      Duration idleTimeout,
      int maxFrameBytes,
      Scheduler scheduler,
      Consumer<ConversationReport> onEnd) {
    this.info = info;
    this.codec = codec;
    this.pipeline = pipeline;
    this.pacing = pacing;
    this.idleTimeout = idleTimeout;
    this.maxFrameBytes = maxFrameBytes;
    this.scheduler = scheduler;
    this.onEnd = onEnd;
    this.inbound = new InboundQueue(inboundCapacity);
    this.toPipeline = Sinks.many().unicast().onBackpressureBuffer(inbound);
    this.openedMillis = scheduler.now(TimeUnit.MILLISECONDS);
  }

  ConnectionInfo info() {
    return info;
  }

  /** Ends the conversation at once with {@link CloseCodes#GOING_AWAY} (a drain's grace ran out). */
  void goAway() {
    end(CloseCodes.GOING_AWAY, "the server is shutting down; reconnect", true, true);
  }

  Mono<Void> run(WebsocketInbound in, WebsocketOutbound out) {
    LOG.info(
        "conversation {} opened on {} by {} from {}",
        info.id(),
        info.request().path(),
        info.principal(),
        info.request().remoteAddress());
    // The client's frames are read until the connection closes; the inbound is never cancelled
    // before our close frame is out (cancelling Reactor Netty's inbound sends an empty close frame
    // ahead of ours). After the conversation has ended, frames are ignored.
    Mono<Void> reading =
        in.aggregateFrames(maxFrameBytes)
            .receiveFrames()
            .map(ConversationConnection::wire)
            .doOnNext(this::received)
            .then()
            .doOnSuccess(v -> end(CloseCodes.NORMAL, "the client closed", false, true))
            .onErrorResume(
                e -> {
                  if (e instanceof BadFrameException bad) {
                    LOG.info("conversation {}: bad frame: {}", info.id(), bad.getMessage());
                    end(bad.closeCode(), bad.getMessage(), true, true);
                  } else {
                    LOG.debug("conversation {}: reading failed", info.id(), e);
                    end(CloseCodes.NORMAL, "the connection broke", false, true);
                  }
                  return Mono.empty();
                });
    // Idle: a timer on the scheduler, restarted by every frame, stopped by the end of input.
    Disposable idle =
        activity
            .asFlux()
            .startWith(Boolean.TRUE)
            .switchMap(tick -> inputEnded ? Mono.<Long>never() : Mono.delay(idleTimeout, scheduler))
            .take(1)
            .takeUntilOther(aborted.asMono())
            .subscribe(
                t ->
                    end(
                        CloseCodes.POLICY_VIOLATION,
                        "idle: no frame from the client for " + idleTimeout.toSeconds() + " s",
                        true,
                        true));

    // The close wait: on the scheduler, from the end of the conversation. Cutting the connection
    // fails the writes held up and completes the reading.
    Disposable cutoff =
        decided
            .asMono()
            .then(Mono.delay(CLOSE_WAIT, scheduler))
            .subscribe(
                t -> {
                  LOG.info(
                      "conversation {}: not closed {} ms after its end (the client reads nothing); cut off",
                      info.id(),
                      CLOSE_WAIT.toMillis());
                  in.withConnection(Connection::dispose);
                });

    Flux<WireFrame> fromPipeline =
        Flux.defer(() -> pipeline.apply(toPipeline.asFlux()))
            .transform(pacing)
            .concatMapIterable(this::encode)
            .doOnComplete(() -> end(CloseCodes.NORMAL, "the conversation is over", false, false))
            .onErrorResume(
                e -> {
                  LOG.warn("conversation {}: the pipeline failed", info.id(), e);
                  end(CloseCodes.INTERNAL_ERROR, "the pipeline failed: " + kind(e), true, false);
                  return Flux.empty();
                })
            .doFinally(
                signal -> {
                  synchronized (repliesLock) {
                    replies.tryEmitComplete();
                  }
                });

    Flux<WireFrame> frames =
        Flux.concat(
                Flux.fromIterable(codec.greeting()),
                Flux.merge(replies.asFlux(), fromPipeline).takeUntilOther(aborted.asMono()))
            .concatWith(Flux.defer(this::errorFrames))
            .doOnNext(this::countOut);

    Mono<Void> writing =
        out.sendObject(frames.map(ConversationConnection::netty))
            .then()
            .then(
                Mono.defer(
                    () -> {
                      Closing c = closing.get();
                      return c == null
                          ? out.sendClose(CloseCodes.NORMAL, "the conversation is over")
                          : out.sendClose(c.code(), reason(c.reason()));
                    }))
            .onErrorResume(
                e -> {
                  LOG.debug("conversation {}: writing failed", info.id(), e);
                  end(CloseCodes.NORMAL, "the connection broke", false, true);
                  return Mono.empty();
                });

    // The report goes out before the end is passed on (doOnTerminate and doOnCancel run first,
    // unlike doFinally), so the server counts the conversation as ended, and a drain completes,
    // only after it.
    Runnable finish =
        () -> {
          idle.dispose();
          cutoff.dispose();
          report();
        };
    return Mono.when(reading, writing).doOnTerminate(finish).doOnCancel(finish);
  }

  private void received(WireFrame frame) {
    framesIn.incrementAndGet();
    if (inputEnded || closing.get() != null) {
      return; // after the client's end of input, or the end of the conversation, frames are ignored
    }
    activity.tryEmitNext(Boolean.TRUE);
    Decoded decoded;
    try {
      decoded = codec.decode(frame);
    } catch (BadFrameException e) {
      LOG.info("conversation {}: bad frame: {}", info.id(), e.getMessage());
      end(e.closeCode(), e.getMessage(), true, true);
      return;
    } catch (RuntimeException e) {
      LOG.warn("conversation {}: the codec failed", info.id(), e);
      end(CloseCodes.INTERNAL_ERROR, "the codec failed: " + kind(e), true, true);
      return;
    }
    for (Part part : decoded.parts()) {
      if (part.isAudio()) {
        audioIn.addAndGet(part.byteSize()); // PCM for the pipeline, whatever the wire carried
      }
    }
    for (WireFrame reply : decoded.replies()) {
      Sinks.EmitResult r;
      synchronized (repliesLock) {
        r = replies.tryEmitNext(reply);
      }
      if (r == Sinks.EmitResult.FAIL_OVERFLOW) {
        end(
            CloseCodes.POLICY_VIOLATION,
            "too many messages waiting for an answer; slow down",
            true,
            true);
        return;
      }
    }
    for (Part part : decoded.parts()) {
      if (toPipeline.tryEmitNext(part) == Sinks.EmitResult.FAIL_OVERFLOW) {
        end(
            CloseCodes.POLICY_VIOLATION,
            "control messages arrive faster than the pipeline reads them; slow down",
            true,
            true);
        return;
      }
    }
    if (decoded.endOfInput()) {
      inputEnded = true;
      activity.tryEmitNext(Boolean.TRUE); // stops the idle timer
      toPipeline.tryEmitComplete();
    }
  }

  private List<WireFrame> encode(Part part) {
    List<WireFrame> frames = codec.encode(part);
    if (frames.isEmpty()) {
      return frames; // nothing for the client: not counted as sent
    }
    if (part.isInterrupted()) {
      interruptions.incrementAndGet();
    }
    if (part.isAudio()) {
      audioOut.addAndGet(part.byteSize()); // the pipeline's PCM, whatever the wire carries
    }
    return frames;
  }

  private Flux<WireFrame> errorFrames() {
    Closing c = closing.get();
    if (c == null || !c.tellClient()) {
      return Flux.empty();
    }
    try {
      return Flux.fromIterable(codec.encodeError(c.code(), c.reason()));
    } catch (RuntimeException e) {
      LOG.warn("conversation {}: the codec failed to encode an error", info.id(), e);
      return Flux.empty();
    }
  }

  private void countOut(WireFrame frame) {
    framesOut.incrementAndGet();
  }

  /** Records why the conversation ends (the first reason wins); with {@code abort}, cuts it short. */
  private void end(int code, String reason, boolean tellClient, boolean abort) {
    if (closing.compareAndSet(null, new Closing(code, reason, tellClient))) {
      decided.tryEmitEmpty();
    }
    if (abort) {
      aborted.tryEmitEmpty();
    }
  }

  private void report() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    Closing c = closing.get();
    ConversationReport report =
        new ConversationReport(
            info.id(),
            info.request().path(),
            info.principal(),
            Duration.ofMillis(scheduler.now(TimeUnit.MILLISECONDS) - openedMillis),
            c == null ? CloseCodes.NORMAL : c.code(),
            c == null ? "the conversation is over" : c.reason(),
            framesIn.get(),
            framesOut.get(),
            audioIn.get(),
            audioOut.get(),
            inbound.droppedAudio(),
            interruptions.get());
    LOG.info(
        "conversation {} ended ({} {}) after {} ms: frames in {} out {}, audio bytes in {} out {},"
            + " audio parts dropped {}, interruptions {}",
        report.id(),
        report.closeCode(),
        report.reason(),
        report.duration().toMillis(),
        report.framesIn(),
        report.framesOut(),
        report.audioBytesIn(),
        report.audioBytesOut(),
        report.audioPartsDropped(),
        report.interruptions());
    try {
      onEnd.accept(report);
    } catch (RuntimeException e) {
      LOG.warn("conversation {}: the end listener failed", info.id(), e);
    }
  }

  private static WireFrame wire(WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      return WireFrame.text(text.text());
    }
    if (frame instanceof BinaryWebSocketFrame) {
      return WireFrame.binary(ByteBufUtil.getBytes(frame.content()));
    }
    throw new BadFrameException(
        CloseCodes.UNSUPPORTED_DATA,
        "a "
            + frame.getClass().getSimpleName()
            + " is not a data frame; send text or binary frames");
  }

  private static WebSocketFrame netty(WireFrame frame) {
    if (frame instanceof WireFrame.Binary b) {
      return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b.bytes()));
    }
    return new TextWebSocketFrame(((WireFrame.Text) frame).text());
  }

  /** The error's kind, never its message (which may hold what the client must not see). */
  static String kind(Throwable e) {
    return e.getClass().getSimpleName();
  }

  /** A close reason fits in 123 bytes of UTF-8. */
  static String reason(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String cut = reason;
    while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "...";
  }
}
