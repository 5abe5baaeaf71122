package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.KeepAlive;
import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.client.internal.WebSocketLink;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveParts.SessionEvent;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.live.metrics.MediaDrops;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
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
import reactor.core.publisher.Sinks;
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

  /** The open connection; null between connections. */
  private @Nullable WebSocketLink link;

  private int connections;
  private boolean draining;
  private boolean finishing;
  private boolean expired;
  private boolean deadPeer;
  private int continuations;
  private boolean continueNext;
  private @Nullable KeepAlive keepAlive;
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

  /**
   * A connection opened: the settings first (with the history when it continues), then what was queued
   * (audio, and a {@code response.create} asked for since), then the response wanted, if any: on a
   * continuation, the one the expired session was asked for and had not created.
   */
  synchronized void opened(WebSocketLink link) {
    connections++;
    this.link = link;
    expired = false;
    deadPeer = false;
    List<String> first = new ArrayList<>();
    first.add(SessionUpdate.of(s).toString());
    if (connections > 1) {
      for (Transcript.Message m : transcript.messages()) {
        first.add(ClientEvents.createTextItem(m.role(), m.text()).toString());
      }
    }
    queue.addFirst(first);
    startKeepAlive(link);
    flushCreate();
    drain();
    if (finishing) {
      close(1000, "done"); // the drain timeout passed while no connection was open
    }
  }

  /** The socket asked for more frames: send what is queued. */
  synchronized void demand() {
    drain();
  }

  /** The parts of a server event. */
  synchronized List<Part> onServerEvent(byte[] frame) {
    List<Part> parts = server.onEvent(frame);
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
   * to continue on a new connection (see {@link #takeContinueNext()}); else the error to end it with. When
   * the output goes on or completes, every out-of-band request still in flight gets its end in {@code out}
   * (a marked generation-complete with {@link OutOfBandRequest#ERROR}, then a marked end of turn): its
   * answer will never come, since a new session knows nothing of it. When a continuation takes over, the
   * answer of the conversation in flight (created, not done) ends first, as {@link
   * ServerEvents#endCutTurn} says; one asked for and not created yet is asked for again in the new session,
   * after its history (see {@link Responses#reset()} and {@link #opened}).
   *
   * @param out where the parts to give before the connection's end go
   */
  synchronized @Nullable Throwable linkEnded(
      @Nullable WebSocketCloseStatus status, @Nullable Throwable transportError, List<Part> out) {
    List<OutOfBandRequest> unanswered = responses.outOfBandInFlight();
    Responses.Response cut = responses.active();
    link = null;
    stopKeepAlive();
    responses.reset();
    inputEvents.reset();
    if (finishing) {
      // The drain timeout passed (or the output was cancelled, and nothing reads these).
      for (OutOfBandRequest r : unanswered) {
        ServerEvents.endWithError(
            r,
            "not answered before the session ended: the drain timeout of "
                + s.drainTimeout.toMillis()
                + " ms passed after the input ended; a longer drainTimeout waits longer for"
                + " out-of-band answers",
            out);
      }
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
              + KeepAlive.DEAD_AFTER_PERIODS
              + " keep-alive periods of "
              + s.keepAlive,
          null);
    }
    if (expired) {
      if (continuations < s.maxContinuations) {
        continuations++;
        continueNext = true;
        // What was queued for the old session (truncations, call outputs, items) means nothing to
        // the new one, which gets the transcript instead; queued audio goes on.
        queue.keepOnlyAudio();
        // The answer of the conversation in flight is cut: its response.done will never come, so
        // its turn ends here, before the CONTINUED part. (OpenAI has no tool-call cancellation:
        // calls it made stay the application's to answer.)
        if (cut != null) {
          ServerEvents.endCutTurn(cut, RealtimeParts.EXPIRED_AND_CONTINUED, out);
        }
        // A response of the conversation asked for and not created yet (responses.reset() wants it
        // again) is asked for in the new session once it has the history, so its turn is answered.
        // Its out-of-band requests are not sent again: their item references name items of the old
        // session, which the new one does not have.
        for (OutOfBandRequest r : unanswered) {
          ServerEvents.endWithError(
              r,
              "the session expired (session_expired) before it was answered; the conversation"
                  + " continues in a new session: send the request again for an answer",
              out);
        }
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
    queue.add(WireJson.MAPPER.writeValueAsBytes(event), droppable);
    drain();
  }

  /** Queues an {@code input_audio_buffer.append} already written as UTF-8 (droppable), and sends what the socket takes. */
  void sendAudio(byte[] append) {
    queue.add(append, true);
    drain();
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      WebSocketLink l = link;
      while (l != null && l.canSend() && !queue.isEmpty()) {
        SendQueue.Outgoing o = queue.poll();
        if (o != null) {
          l.send(o.utf8());
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
    if (inputDone && !finishing && queue.isEmpty() && responses.idle() && link != null) {
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
    WebSocketLink l = link;
    if (l != null) {
      l.close(code, reason);
    }
  }

  /**
   * Pings every keep-alive period on the session's scheduler, under this session's lock, and drops the
   * connection when the server answered nothing, not even a pong, for
   * {@value KeepAlive#DEAD_AFTER_PERIODS} periods in a row; its end then fails the session.
   */
  private void startKeepAlive(WebSocketLink l) {
    if (s.keepAlive.isZero()) {
      return;
    }
    KeepAlive.Timer onScheduler = KeepAlive.Timer.on(s.scheduler);
    keepAlive =
        new KeepAlive(
                l,
                s.keepAlive,
                (tick, delayMillis) -> onScheduler.schedule(this.locked(tick), delayMillis),
                () -> false,
                () -> {
                  log.warn(
                      "OpenAI Realtime: no answer for {} keep-alive periods of {}; dropping the"
                          + " connection",
                      KeepAlive.DEAD_AFTER_PERIODS,
                      s.keepAlive);
                  deadPeer = true;
                })
            .start();
  }

  private Runnable locked(Runnable task) {
    return () -> {
      synchronized (this) {
        task.run();
      }
    };
  }

  private void stopKeepAlive() {
    KeepAlive k = keepAlive;
    keepAlive = null;
    if (k != null) {
      k.stop();
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
