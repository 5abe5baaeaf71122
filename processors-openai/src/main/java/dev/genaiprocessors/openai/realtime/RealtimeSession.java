package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveParts.SessionEvent;
import dev.genaiprocessors.live.metrics.MediaDrops;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.node.ObjectNode;

/**
 * One subscription of an {@link OpenAiRealtimeProcessor}: a conversation over one connection, or several
 * when an expired session is continued ({@link RealtimeLink} opens each). Every event (an input part, a
 * server event, demand, the end of a connection, a timer) runs under this object's lock, so the state below
 * is touched by one thread at a time; nothing blocks while holding it.
 *
 * <p><b>Send queue.</b> Client events wait in one {@link SendQueue} of {@code sendQueueCapacity} events, sent
 * in order within the socket's demand; the input is read only while it has room.
 */
final class RealtimeSession {
  private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);

  /** Keep-alive periods in a row with nothing from the server, pongs included, after which it is taken for dead. */
  static final int DEAD_AFTER_PERIODS = 2;

  private final RealtimeSettings s;
  private final SecretRedactor redactor;
  private final Flux<Part> input;
  private final Responses responses = new Responses();
  private final Transcript transcript;
  private final ServerEvents server;
  private final InputEvents inputEvents;
  private final SendQueue queue;

  /**
   * Parts the input gives for the output (an interruption); at most one per response, so the bound of 256 is
   * never reached in practice (overflow fails the output).
   */
  private final Sinks.Many<Part> local =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(256).get());

  private @Nullable FluxSink<WebSocketFrame> frames;
  private @Nullable WebsocketOutbound out;
  private int connections;
  private boolean draining;
  private boolean closeRequested;
  private boolean finishing;
  private boolean expired;
  private boolean deadPeer;
  private volatile boolean heard;
  private int silentPeriods;
  private int continuations;
  private boolean continueNext;
  private @Nullable Disposable keepAlive;
  private @Nullable Disposable drainTimer;

  private @Nullable Subscription upstream;
  private boolean inputRequested;
  private boolean inputDone;

  RealtimeSession(RealtimeSettings settings, SecretRedactor redactor, Flux<Part> input) {
    this.s = settings;
    this.redactor = redactor;
    this.input = input;
    this.queue = new SendQueue(settings.sendQueueCapacity);
    this.transcript =
        new Transcript(settings.maxContinuations > 0 ? settings.continuationHistoryItems : 0);
    this.server = new ServerEvents(this, responses, transcript);
    this.inputEvents = new InputEvents(this, responses, transcript, server);
  }

  /** Reports what the send queue drops to the subscriber's metrics; called before {@link #run}. */
  void reportDropsTo(MediaDrops drops) {
    queue.reportDropsTo(drops);
  }

  RealtimeSettings settings() {
    return s;
  }

  SecretRedactor redactor() {
    return redactor;
  }

  /** The output: the parts of every connection, and the input's own parts, until the conversation ends. */
  Flux<Part> run(RealtimeLink link) {
    Flux<Part> connections =
        Flux.defer(() -> link.connect(this))
            .repeat(this::takeContinueNext)
            .doOnComplete(local::tryEmitComplete);
    return Flux.merge(connections, local.asFlux())
        .doOnSubscribe(sub -> input.subscribe(new InputSubscriber()))
        .doFinally(signal -> stop());
  }

  // ---------------------------------------------------------------- connection events (from
  // RealtimeLink)

  /** A connection opened: the settings first (with the history when it continues), then what was queued. */
  synchronized void opened(WebsocketOutbound out, FluxSink<WebSocketFrame> frames) {
    connections++;
    this.out = out;
    this.frames = frames;
    closeRequested = false;
    expired = false;
    deadPeer = false;
    heard = true;
    silentPeriods = 0;
    List<String> first = new ArrayList<>();
    first.add(SessionUpdate.of(s).toString());
    if (connections > 1) {
      for (Transcript.Message m : transcript.messages()) {
        first.add(ClientEvents.createTextItem(m.role(), m.text()).toString());
      }
    }
    queue.addFirst(first);
    frames.onRequest(n -> drainLocked());
    if (!s.keepAlive.isZero()) {
      long period = s.keepAlive.toMillis();
      keepAlive =
          s.scheduler.schedulePeriodically(
              this::keepAliveTick, period, period, TimeUnit.MILLISECONDS);
    }
    flushCreate();
    drain();
    if (finishing) {
      close(1000, "done"); // the drain timeout passed while no connection was open
    }
  }

  /** A frame arrived (pongs included): the peer is alive. */
  void heard() {
    heard = true;
  }

  /** The parts of a server event. */
  synchronized List<Part> onServerEvent(String text) {
    List<Part> parts = server.onEvent(text);
    flushCreate();
    drain();
    return parts;
  }

  /** {@code session.created}: on a continued session, the continuation is announced. */
  void sessionCreated(List<Part> out) {
    if (connections > 1) {
      out.add(LiveParts.sessionEvent(SessionEvent.CONTINUED));
    }
  }

  /** {@code error session_expired}: the server closes next. */
  void expired() {
    expired = true;
  }

  /** After {@code response.done}: the next response may go, or the conversation may end. */
  void afterResponseDone() {
    flushCreate();
  }

  /** True when speech during an answer cancels it on the server (VAD on, {@code interrupt_response} not false). */
  boolean serverInterrupts() {
    TurnDetection t = s.turnDetection;
    if (t instanceof TurnDetection.None) {
      return false;
    }
    if (t instanceof TurnDetection.ServerVad v) {
      return !Boolean.FALSE.equals(v.interruptResponse());
    }
    if (t instanceof TurnDetection.SemanticVad v) {
      return !Boolean.FALSE.equals(v.interruptResponse());
    }
    return true; // the server's default is server_vad with interrupt_response
  }

  /**
   * A connection ended (after its inbound side): how the session goes on. Null to end the output cleanly or
   * to continue on a new connection (see {@link #takeContinueNext()}); else the error to end it with.
   */
  synchronized @Nullable Throwable linkEnded(
      @Nullable WebSocketCloseStatus status, @Nullable Throwable transportError) {
    frames = null;
    out = null;
    stopKeepAlive();
    responses.reset();
    inputEvents.reset();
    if (finishing) {
      return null;
    }
    ModelException tooBig = RealtimeLink.frameTooBig(transportError, s.maxFrameBytes);
    if (tooBig != null) {
      return tooBig;
    }
    int code = status == null ? 1006 : status.code();
    String reason = status == null ? "" : redactor.redact(status.reasonText());
    if (deadPeer) {
      return RealtimeErrors.closed(
          1006,
          "",
          "no answer from the server, not even a pong, for "
              + DEAD_AFTER_PERIODS
              + " keep-alive periods of "
              + s.keepAlive,
          null);
    }
    if (expired) {
      if (continuations < s.maxContinuations) {
        continuations++;
        continueNext = true;
        // What was queued for the old session (truncations, call outputs, items) means nothing to
        // the new
        // one, which gets the transcript instead; queued audio goes on.
        queue.keepOnlyAudio();
        log.info(
            "OpenAI Realtime: session expired; continuing in a new session ({} of {})",
            continuations,
            s.maxContinuations);
        return null;
      }
      return RealtimeErrors.closed(
          code,
          reason,
          s.maxContinuations == 0
              ? "the session reached the server's time limit (session_expired); enable"
                  + " continueOnExpiry to go on in a new session seeded with the conversation"
              : "the session reached the server's time limit (session_expired) and the "
                  + s.maxContinuations
                  + " continuations of continueOnExpiry are used up",
          transportError);
    }
    return RealtimeErrors.closed(
        code,
        reason,
        status == null ? "the connection ended without a close frame" : "closed by the server",
        transportError);
  }

  private synchronized boolean takeContinueNext() {
    boolean next = continueNext;
    continueNext = false;
    return next;
  }

  // ---------------------------------------------------------------- sending

  /** Queues a client event (see {@link SendQueue} for the policy) and sends what the socket takes. */
  void send(ObjectNode event, boolean droppable) {
    queue.add(event.toString(), droppable);
    drain();
  }

  private synchronized void drainLocked() {
    drain();
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      FluxSink<WebSocketFrame> f = frames;
      while (f != null && !closeRequested && f.requestedFromDownstream() > 0 && !queue.isEmpty()) {
        SendQueue.Outgoing o = queue.poll();
        if (o != null) {
          f.next(new TextWebSocketFrame(o.json()));
        }
      }
    } finally {
      draining = false;
    }
    requestInput();
    maybeFinish();
  }

  private void flushCreate() {
    if (responses.takeCreate()) {
      send(ClientEvents.createResponse(), false);
    }
  }

  // ---------------------------------------------------------------- input

  private final class InputSubscriber extends BaseSubscriber<Part> {
    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      synchronized (RealtimeSession.this) {
        upstream = subscription;
        requestInput();
      }
    }

    @Override
    protected void hookOnNext(Part part) {
      List<Part> parts = new ArrayList<>(1);
      synchronized (RealtimeSession.this) {
        inputRequested = false;
        try {
          inputEvents.onPart(part, parts);
        } catch (IllegalArgumentException e) {
          local.tryEmitError(e);
          return;
        }
        flushCreate();
        drain();
      }
      for (Part p : parts) {
        if (local.tryEmitNext(p).isFailure()) {
          local.tryEmitError(
              new IllegalStateException("OpenAI Realtime: more than 256 local parts waiting"));
        }
      }
    }

    @Override
    protected void hookOnComplete() {
      synchronized (RealtimeSession.this) {
        inputDone = true;
        drainTimer =
            s.scheduler.schedule(
                RealtimeSession.this::drainTimedOut,
                s.drainTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        maybeFinish();
      }
    }

    @Override
    protected void hookOnError(Throwable error) {
      local.tryEmitError(error);
    }
  }

  private void requestInput() {
    Subscription u = upstream;
    if (u != null && !inputRequested && !inputDone && queue.hasRoom()) {
      inputRequested = true;
      u.request(1);
    }
  }

  // ---------------------------------------------------------------- ending

  /** Once the input has ended and nothing is queued, in flight or awaited: close, which ends the output. */
  private void maybeFinish() {
    if (inputDone && !finishing && queue.isEmpty() && responses.idle() && out != null) {
      finish();
    }
  }

  private synchronized void drainTimedOut() {
    if (!finishing) {
      log.info("OpenAI Realtime: the drain timeout of {} passed; closing", s.drainTimeout);
      finish();
    }
  }

  private void finish() {
    finishing = true;
    continueNext = false;
    close(1000, "done");
  }

  private void close(int code, String reason) {
    WebsocketOutbound o = out;
    if (o != null && !closeRequested) {
      closeRequested = true;
      o.sendClose(code, reason)
          .subscribe(
              null, e -> log.debug("OpenAI Realtime: close frame not written: {}", e.toString()));
    }
  }

  private synchronized void keepAliveTick() {
    if (heard) {
      heard = false;
      silentPeriods = 0;
    } else if (++silentPeriods >= DEAD_AFTER_PERIODS) {
      log.warn(
          "OpenAI Realtime: no answer for {} keep-alive periods of {}; dropping the connection",
          DEAD_AFTER_PERIODS,
          s.keepAlive);
      deadPeer = true;
      stopKeepAlive();
      WebsocketOutbound o = out;
      if (o != null) {
        o.withConnection(c -> c.dispose());
      }
      return;
    }
    FluxSink<WebSocketFrame> f = frames;
    if (f != null && f.requestedFromDownstream() > 0) {
      f.next(new PingWebSocketFrame());
    }
  }

  private void stopKeepAlive() {
    Disposable k = keepAlive;
    keepAlive = null;
    if (k != null) {
      k.dispose();
    }
  }

  private synchronized void stop() {
    finishing = true;
    stopKeepAlive();
    Disposable d = drainTimer;
    if (d != null) {
      d.dispose();
    }
    Subscription u = upstream;
    if (u != null) {
      u.cancel();
    }
  }
}
