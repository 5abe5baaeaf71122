package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.client.internal.KeepAlive;
import dev.genaiprocessors.client.internal.WebSocketLink;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.SerialTasks;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.gemini.live.ClientMessages.Kind;
import dev.genaiprocessors.gemini.live.ClientMessages.Outgoing;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.metrics.MediaDrops;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * One subscription of a {@link GeminiLiveProcessor}: a session that spans one or more connections
 * ({@link Link}s). Every event (an input part, a frame, the end of a connection, demand, a timer) is a
 * task run one at a time ({@link #run}): on the thread that brings it when the session is idle, else after
 * the running one; timers fire on one worker of the configured scheduler. So the fields below are only
 * touched by one task at a time. Connections come from a {@code repeat}/{@code retryWhen} loop: a clean end (goAway switchover)
 * repeats at once, a resumable drop retries with backoff on the scheduler, anything else ends it.
 */
final class GeminiLiveSession {
  private static final Logger log = LoggerFactory.getLogger(GeminiLiveSession.class);
  private static final long MAX_SWITCH_MARGIN_MILLIS = 10_000;

  private final GeminiLiveProcessor processor;
  private final GeminiLiveSettings s;
  private final Flux<Part> input;
  private final FluxSink<Part> sink;
  private final Scheduler.Worker worker;
  private final SendQueue queue;

  /**
   * The session's tasks, one at a time ({@link #run}). The waiting tasks are bounded by what is given:
   * input is requested one part at a time, a frame is read only after the last one's task ran, demand and
   * request tasks come from the socket and the subscriber one burst at a time, and timers are few.
   */
  private final SerialTasks tasks = new SerialTasks();

  private final ReceiveBuffer output;
  private final TurnTracker turns;
  private final ClientMessages encoder;
  private final @Nullable String history;

  /** Events (parts) one server message may give; with the receive buffer's capacity, the bound of what waits. */
  private final int maxEventsPerMessage;

  private @Nullable Subscription upstream;
  private boolean inputRequested;
  private boolean inputDone;
  private @Nullable Link link;
  private int links;
  private boolean goAwayPending;

  /** True once a setupComplete arrived on any connection of this session (by the session's tasks). */
  private boolean started;

  /** After the input completed: when the drain times out (scheduler millis), and whether its timer is pending. */
  private long drainDeadline;

  private boolean drainTimerPending;

  /** No further connection: finishing, failed or cancelled. Read by the repeat predicate. */
  private volatile boolean done;

  /** The output was cancelled or terminated; tasks do nothing from then on. */
  private volatile boolean disposed;

  private volatile @Nullable Disposable loop;

  /** The last connection to end was switched by the client after goAway (else it was lost). */
  private boolean lastEndSwitched;

  /** How each connection since the server last made progress ended; cleared on progress. */
  private final List<String> endings = new ArrayList<>();

  GeminiLiveSession(GeminiLiveProcessor processor, Flux<Part> input, FluxSink<Part> sink) {
    this.processor = processor;
    this.s = processor.settings;
    this.input = input;
    this.sink = sink;
    this.worker = s.scheduler.createWorker();
    this.queue = new SendQueue(s.sendQueueCapacity);
    this.turns = new TurnTracker(s.resumeHandle);
    this.encoder = new ClientMessages(s);
    this.history = ClientMessages.history(s.initialHistory);
    this.output = new ReceiveBuffer(sink, s.receiveBufferCapacity);
    this.maxEventsPerMessage = Math.max(s.receiveBufferCapacity, ServerMessages.DEFAULT_MAX_EVENTS);
  }

  void start() {
    sink.onRequest(n -> run(this::drainReceived));
    sink.onDispose(() -> run(this::dispose));
    input.subscribe(
        new BaseSubscriber<Part>() {
          @Override
          protected void hookOnSubscribe(Subscription subscription) {
            run(
                () -> {
                  upstream = subscription;
                  requestInput();
                });
          }

          @Override
          protected void hookOnNext(Part part) {
            run(() -> onInput(part));
          }

          @Override
          protected void hookOnComplete() {
            run(
                () -> {
                  inputDone = true;
                  armDrainTimer();
                  maybeFinish();
                });
          }

          @Override
          protected void hookOnError(Throwable error) {
            failLater(error);
          }
        });
    loop =
        LinkTransport.connections(this, processor)
            .subscribe(connected -> {}, this::failLater, () -> run(this::loopEnded));
  }

  boolean done() {
    return done;
  }

  /** The most parts that ever waited for the subscriber (for tests of the bound). */
  int receivedHighWater() {
    return output.highWater();
  }

  /**
   * Runs a task one at a time with every other task of this session: on this thread, now, when no task runs
   * or waits, else after those, on the thread that runs them (a lock-free queue-drain, as in Reactor's
   * operators). So an input part, a frame or a demand that finds the session idle costs no hand-off to
   * another thread. Tasks after disposal are dropped.
   */
  void run(Runnable task) {
    if (disposed) {
      log.trace("Gemini Live session already disposed");
      return;
    }
    serialize(guarded(task));
  }

  /** Runs the task in turn with the session's other tasks (see {@link SerialTasks}). */
  private void serialize(Runnable task) {
    tasks.run(task);
  }

  /**
   * A timer that fires on the session worker and then runs its task as {@link #run} does; it is never
   * cancelled: the task checks when it fires whether it still matters (a timer that is due after disposal
   * does nothing). Scheduling takes only the executor's queue insertion (which Reactor's BlockHound
   * integration allows); nothing here cancels a scheduled task, since cancelling a delayed task of a
   * {@code ScheduledThreadPoolExecutor} takes its queue lock to remove it, which must not happen on a
   * non-blocking thread.
   */
  private void timer(Runnable task, long delayMillis) {
    try {
      worker.schedule(() -> run(task), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException rejected) {
      log.trace("Gemini Live session already disposed");
    }
  }

  /** The task, doing nothing once the session is disposed, and failing the session when it throws. */
  private Runnable guarded(Runnable task) {
    return () -> {
      if (disposed) {
        return;
      }
      try {
        task.run();
      } catch (Throwable t) {
        fail(t);
      }
    };
  }

  /**
   * An error from another thread: in turn with the tasks, where {@link #fail} ends the output with it, or
   * gives it to {@code onErrorDropped} when the session is (or gets) disposed first; never nowhere.
   */
  private void failLater(Throwable error) {
    serialize(() -> fail(error));
  }

  // ---------------------------------------------------------------- connections

  void opened(Link l, WebSocketLink socket) {
    l.socket = socket;
    if (done) {
      l.close(1000, "");
      return;
    }
    l.number = ++links;
    l.openedAtMillis = s.scheduler.now(java.util.concurrent.TimeUnit.MILLISECONDS);
    link = l;
    startKeepAlive(l);
    endCutTurn(turns.newConnection());
    timer(() -> setupTimedOut(l), s.setupTimeout.toMillis());
    log.debug("Gemini Live: connection {} open, resuming: {}", l.number, turns.handle() != null);
  }

  /**
   * A turn or calls cut by the end of the last connection end visibly: {@code interrupted} and an end of
   * turn, and a tool-call cancellation of the open calls (which background tools turn into {@code cancel_fc}),
   * each with the {@linkplain GeminiLiveParts#INTERRUPTION_REASON reason}.
   */
  private void endCutTurn(TurnTracker.Cut cut) {
    if (cut.isEmpty()) {
      return;
    }
    String reason = lastEndSwitched ? "connection switched after goAway" : "connection lost";
    log.debug(
        "Gemini Live: {} in the middle of a turn; {} open calls cancelled",
        reason,
        cut.openCalls().size());
    if (!cut.openCalls().isEmpty()) {
      tools.jackson.databind.node.ObjectNode json = Wire.object();
      cut.openCalls().forEach(json.putArray("ids")::add);
      output.add(
          Part.json(json, GeminiLiveParts.TOOL_CALL_CANCELLATION)
              .withRole("model")
              .withMetadata(GeminiLiveParts.INTERRUPTION_REASON, reason));
    }
    if (cut.turn()) {
      output.add(Part.interrupted().withMetadata(GeminiLiveParts.INTERRUPTION_REASON, reason));
      output.add(
          Part.endOfTurn()
              .withRole("model")
              .withMetadata(GeminiLiveParts.INTERRUPTION_REASON, reason));
    }
    drainReceived();
  }

  /**
   * Pings every keep-alive period (timers on the session worker), and takes the server for dead when nothing at all
   * arrived (no message, no pong) for {@value KeepAlive#DEAD_AFTER_PERIODS} periods in a row while the socket
   * was being read: the connection is dropped, and its outcome reconnects with the handle (using the budget)
   * or fails. Before {@code setupComplete} silence counts as heard (the setup timeout watches that).
   */
  private void startKeepAlive(Link l) {
    if (s.keepAlive.isZero()) {
      return;
    }
    l.keepAlive =
        new KeepAlive(
                Objects.requireNonNull(l.socket),
                s.keepAlive,
                this::timer,
                () -> !l.ready || output.readerHeld(),
                () -> {
                  log.info(
                      "Gemini Live: connection {} answered nothing for {} keep-alive periods of {};"
                          + " dropping it",
                      l.number,
                      KeepAlive.DEAD_AFTER_PERIODS,
                      s.keepAlive);
                  l.deadPeer = true;
                  l.closeRequested = true;
                })
            .start();
  }

  private void setupTimedOut(Link l) {
    if (link == l && !l.ready && !l.closeRequested) {
      l.setupTimedOut = true;
      l.close(1000, "no setupComplete");
    }
  }

  void linkEnded(Link l, @Nullable WebSocketCloseStatus status, MonoSink<Boolean> result) {
    l.ended();
    if (link == l) {
      link = null;
    }
    goAwayPending = false;
    lastEndSwitched = l.switching;
    Throwable error = l.outcome(status, s, turns.handle(), done);
    if (error instanceof ResumableDrop drop) {
      endings.add("connection " + l.number + ": " + drop.getMessage());
      drop.endings(endings);
    }
    log.debug(
        "Gemini Live: connection {} ended ({}): {}",
        l.number,
        status == null ? 1006 : status.code(),
        error == null ? "clean" : error.getMessage());
    if (error == null) {
      result.success();
    } else {
      result.error(error);
    }
  }

  void openFailed(Throwable e, MonoSink<Boolean> result) {
    String message = s.redactor().redact(String.valueOf(e.getMessage()));
    if (done) {
      result.success();
    } else if (s.sessionResumption && turns.handle() != null && links > 0) {
      ResumableDrop drop = new ResumableDrop(1006, "could not reconnect: " + message);
      endings.add("connection " + (links + 1) + " did not open: " + message);
      result.error(drop.endings(endings));
    } else {
      Throwable cause = message.equals(String.valueOf(e.getMessage())) ? e : null;
      ModelException error =
          LiveErrors.closed(
              1006,
              message,
              "could not open the Gemini Live socket at " + Wire.safe(s.uri) + ": " + message,
              cause);
      // An HTTP answer to the upgrade such as 404 or 401 will not change; a refused or reset
      // connection, a
      // connection closed before the answer, 408, 429 and 5xx may.
      int status = WebSocketLink.refusedStatus(e);
      boolean mayPass = status == 0 || status == 408 || status == 429 || status >= 500;
      result.error(links == 0 && mayPass ? new LinkTransport.FirstOpenFailed(error) : error);
    }
  }

  private void loopEnded() {
    output.end(null);
  }

  // ---------------------------------------------------------------- sending

  private void onInput(Part part) {
    inputRequested = false;
    if (done) {
      return;
    }
    Outgoing message = encoder.encode(part);
    if (message.kind() == Kind.PASS_THROUGH) {
      output.add(part);
      drainReceived();
    } else if (message.kind() == Kind.IGNORED) {
      log.debug("Gemini Live: nothing to send for {}", part);
    } else {
      long droppedBefore = queue.dropped();
      queue.add(message);
      if (queue.dropped() != droppedBefore) {
        MediaDrops.in(sink.contextView()).dropped(queue.dropped() - droppedBefore);
      }
      if (queue.dropped() != droppedBefore
          && (queue.dropped() == 1 || queue.dropped() % 100 == 0)) {
        log.warn(
            "Gemini Live: send queue full ({}), {} realtime media messages dropped so far",
            s.sendQueueCapacity,
            queue.dropped());
      }
      drainSend();
    }
    requestInput();
  }

  private void requestInput() {
    Subscription u = upstream;
    if (u != null
        && !inputRequested
        && !inputDone
        && !done
        && queue.hasRoom()
        && output.hasRoom()) {
      inputRequested = true;
      u.request(1);
    }
  }

  void drainSend() {
    Link l = link;
    if (l == null || l.closeRequested) {
      return;
    }
    if (!l.setupSent) {
      if (!l.canSend()) {
        return;
      }
      l.setupSent = true;
      String handle = turns.handle();
      l.historyDue = handle == null && history != null;
      var setup = SetupMessage.of(s, handle);
      l.setupSummary = SetupMessage.summary(setup);
      l.send(ClientMessages.write(setup));
    }
    if (!l.ready) {
      return;
    }
    String due = l.historyDue ? history : null; // historyDue is only ever set with a history
    if (due != null) {
      if (!l.canSend()) {
        return;
      }
      l.historyDue = false;
      l.send(due); // initial history: before anything else, once per session
    }
    while (!queue.isEmpty() && l.canSend()) {
      // Not null: isEmpty() was just false, and the session's tasks run one at a time (SendQueue).
      Outgoing m = Objects.requireNonNull(queue.poll());
      turns.sent(m);
      l.send(m.utf8());
    }
    requestInput();
    maybeFinish();
  }

  private void maybeFinish() {
    Link l = link;
    if (inputDone
        && !done
        && queue.isEmpty()
        && !turns.turnInProgress()
        && l != null
        && l.ready
        && !l.closeRequested) {
      done = true;
      l.close(1000, "");
    }
  }

  // ---------------------------------------------------------------- receiving

  Mono<Void> frame(Link l, byte[] bytes) {
    return Mono.create(
        permit ->
            run(
                () -> {
                  received(l, bytes);
                  output.holdReader(permit);
                }));
  }

  private void received(Link l, byte[] bytes) {
    if (l != link || disposed || l.violation != null) {
      return; // after a protocol violation nothing more from this server is trusted
    }
    armDrainTimer();
    List<ServerEvent> events;
    try {
      events = ServerMessages.decode(bytes, maxEventsPerMessage, s.redactor());
    } catch (ModelProtocolException e) {
      violation(l, e);
      return;
    }
    for (ServerEvent event : events) {
      if (!l.ready && !(event instanceof ServerEvent.SetupComplete)) {
        violation(
            l,
            LiveErrors.protocol(
                1002,
                "the Gemini Live server sent "
                    + event.getClass().getSimpleName()
                    + " before setupComplete"));
        return;
      }
      apply(l, event);
    }
    drainReceived();
    maybeSwitch();
    maybeFinish();
  }

  private void apply(Link l, ServerEvent event) {
    if (event instanceof ServerEvent.SetupComplete setupComplete) {
      // The contract's session event rides on the session-id part when the server sent an id: the
      // first setupComplete of the session says it started, a later one (a new connection) that it
      // resumed.
      LiveParts.SessionEvent what =
          started ? LiveParts.SessionEvent.RESUMED : LiveParts.SessionEvent.STARTED;
      started = true;
      Part announced = setupComplete.part();
      output.add(
          announced != null
              ? LiveParts.withSessionEvent(announced, what)
              : LiveParts.sessionEvent(what));
      if (!l.ready) {
        l.ready = true;
        drainSend();
      }
      return;
    }
    if (!l.progress && isProgress(event)) {
      l.progress = true;
      endings.clear();
      l.connected.tryEmitValue(true); // resets the reconnect budget
    }
    Part part = event.part();
    if (!turns.received(event) || part == null) {
      log.debug(
          "Gemini Live: dropped model content after interruption ({} so far)",
          turns.staleDropped());
      return;
    }
    output.add(part);
    if (event instanceof ServerEvent.GoAway goAway) {
      l.goAway = true;
      goAwayPending = true;
      Duration left = goAway.timeLeft();
      if (left != null && !l.goAwayTimed) {
        l.goAwayTimed =
            true; // one deadline timer per connection; it does nothing once the connection is gone
        long millis = Math.max(0, left.toMillis());
        long at = millis - Math.min(MAX_SWITCH_MARGIN_MILLIS, millis / 2);
        timer(() -> switchLink(l), at);
      }
    }
  }

  /** Something of substance: what makes a reconnect count as progress (not setup, resumption, goAway or usage). */
  private static boolean isProgress(ServerEvent event) {
    return event instanceof ServerEvent.Content
        || event instanceof ServerEvent.ToolCall
        || event instanceof ServerEvent.ToolCancel
        || event instanceof ServerEvent.Signal signal
            && (signal.kind() != ServerEvent.SignalKind.OTHER || signal.part().isTranscription());
  }

  private void violation(Link l, ModelProtocolException e) {
    l.violation = e;
    l.close(
        e.closeCode(),
        e.closeCode() == 1002
            ? "protocol error"
            : e.closeCode() == 1009 ? "message too big" : "malformed frame");
  }

  /** After {@code goAway}: switch at a turn boundary with a fresh handle, or at the deadline timer. */
  private void maybeSwitch() {
    Link l = link;
    if (goAwayPending && l != null && l.ready && turns.atResumablePoint()) {
      switchLink(l);
    }
  }

  private void switchLink(Link l) {
    if (l != link || l.closeRequested || done || turns.handle() == null) {
      return;
    }
    goAwayPending = false;
    l.switching = true;
    log.info("Gemini Live: reconnecting with the session resumption handle after goAway");
    l.close(1000, "reconnecting");
  }

  private void drainReceived() {
    output.drain();
    requestInput();
  }

  // ---------------------------------------------------------------- ending

  /**
   * Once the input is done: (re)starts the wait for the server's answers, measured from its last message.
   * One timer is pending at a time; when it fires before the deadline moved by later messages, it waits again
   * for the rest.
   */
  private void armDrainTimer() {
    if (!inputDone || done) {
      return;
    }
    drainDeadline = s.scheduler.now(TimeUnit.MILLISECONDS) + s.drainTimeout.toMillis();
    if (!drainTimerPending) {
      drainTimerPending = true;
      timer(this::drainTimerFired, s.drainTimeout.toMillis());
    }
  }

  private void drainTimerFired() {
    drainTimerPending = false;
    if (done) {
      return;
    }
    long left = drainDeadline - s.scheduler.now(TimeUnit.MILLISECONDS);
    if (left > 0) {
      drainTimerPending = true;
      timer(this::drainTimerFired, left);
      return;
    }
    drainTimedOut();
  }

  private void drainTimedOut() {
    log.info(
        "Gemini Live: no answer from the server for {} after the input completed; closing the session",
        s.drainTimeout);
    Link l = link;
    if (l != null && !l.closeRequested) {
      done = true;
      l.close(1000, "");
    } else {
      stop();
      output.end(null);
    }
  }

  /** Ends the session with an error; after the output was cancelled the error goes to {@code onErrorDropped}. */
  private void fail(Throwable error) {
    if (disposed) {
      Operators.onErrorDropped(error, Context.empty());
      return;
    }
    stop();
    if (sink.isCancelled()) {
      Operators.onErrorDropped(error, Context.empty());
      return;
    }
    output.end(error);
  }

  /**
   * The output was cancelled or has terminated: close with 1000 first, then release everything. The worker
   * (with the timers still pending on it) is disposed off this thread, see {@link #release}.
   */
  private void dispose() {
    if (disposed) {
      return;
    }
    stop();
    disposed = true;
    output.releaseReader();
    release(worker);
  }

  /**
   * Disposes on a thread where blocking is allowed: disposing cancels pending delayed tasks, and a
   * {@code ScheduledThreadPoolExecutor} removes a cancelled task from its queue under a lock. Taken on a
   * non-blocking thread during a storm of cancellations, that lock parks, BlockHound fails the park, and the
   * lock's wait queue is left broken: later schedulers on that executor wedge. Falls back to disposing here
   * only when the offloading scheduler refuses the task.
   */
  private static void release(Disposable d) {
    try {
      Schedulers.boundedElastic().schedule(d::dispose);
    } catch (RejectedExecutionException refused) {
      d.dispose();
    }
  }

  /** No more connections or input: the close frame is written before the connection is disposed. */
  private void stop() {
    done = true;
    Link l = link;
    if (l != null) {
      l.close(1000, "");
    }
    Disposable d = loop;
    if (d != null) {
      release(d); // may cancel a reconnect backoff delayed on the scheduler
    }
    Subscription u = upstream;
    if (u != null) {
      u.cancel();
    }
  }
}
