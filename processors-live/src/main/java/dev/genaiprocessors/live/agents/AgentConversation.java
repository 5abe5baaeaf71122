package dev.genaiprocessors.live.agents;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.live.agents.ConversationTrace.Span;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One conversation of {@link BackgroundAgents}: it watches what goes into the live processor and what comes
 * out, keeps the history window, starts tasks at completed turns and at function calls, and delivers their
 * results. All state is guarded by this object's lock; parts for the model and notices for the output are
 * emitted under it (so their sinks see one thread at a time), after the state they follow from is updated.
 */
final class AgentConversation {
  private static final Logger log = LoggerFactory.getLogger(AgentConversation.class);

  /** The most function calls of the application's own tools traced at once; past it the oldest is closed. */
  static final int MAX_OPEN_TOOL_CALLS = 64;

  /** The most characters kept of one side of one turn; the rest is cut. */
  static final int MAX_TURN_CHARS = 8_192;

  /** The most characters of an error message passed on to the model. */
  private static final int MAX_REASON_CHARS = 300;

  /** The most notices waiting for the output's reader; past it new ones are dropped (they only inform). */
  private static final int MAX_NOTICES = 1024;

  private final BackgroundAgents s;
  private final String id;
  private final boolean openAi;
  private final ConversationTrace trace;

  /**
   * Parts for the model, merged into its input. Bounded: each task sends at most three parts (an answer to
   * its call, a cut, its result) and tasks in flight are bounded; should the live processor stop reading
   * anyway, a part that does not fit is dropped with a warning rather than blocking anyone.
   */
  private final Sinks.Many<Part> toModel;

  private final Sinks.Many<Part> notices =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(MAX_NOTICES).get());
  private final Disposable.Composite running = Disposables.composite();

  // Guarded by this.
  /** The history window: oldest dropped past {@code s.historyParts}. */
  private final ArrayDeque<Part> history = new ArrayDeque<>();

  private final StringBuilder userText = new StringBuilder();
  private final StringBuilder modelText = new StringBuilder();
  private boolean userInTurn;
  private boolean answerInTurn;
  private boolean interruptedInTurn;
  private boolean awaitingAnswer;
  private boolean responding;
  private boolean userSpeaking;
  private boolean inputEnded;
  private boolean closed;
  private long completedTurns;
  private long taskSeq;
  private long tasksStarted;
  private long tasksFailed;
  private @Nullable Span turnSpan;
  private @Nullable Span responseSpan;
  private final LinkedHashMap<String, Task> tasks = new LinkedHashMap<>();
  private final ArrayDeque<Task> waiting = new ArrayDeque<>();
  private final LinkedHashMap<String, Span> openToolCalls = new LinkedHashMap<>();
  private @Nullable Task speaking;
  private @Nullable Disposable speakingDeadline;

  /** A task from its start until its result is delivered. */
  private static final class Task {
    final String id;
    final long turnId;
    final @Nullable Part call;
    final Delivery delivery;
    final Span span;
    @Nullable Disposable work;
    boolean done;
    String text = "";

    Task(String id, long turnId, @Nullable Part call, Delivery delivery, Span span) {
      this.id = id;
      this.turnId = turnId;
      this.call = call;
      this.delivery = delivery;
      this.span = span;
    }

    String label() {
      return call == null ? "" : " (" + call.functionCall().name() + ")";
    }
  }

  AgentConversation(BackgroundAgents s, String id, String provider) {
    this.s = s;
    this.id = id;
    this.openAi = "openai".equalsIgnoreCase(provider);
    this.trace = new ConversationTrace(s.registry, s.scheduler, id, provider);
    this.toModel =
        Sinks.many()
            .unicast()
            .onBackpressureBuffer(Queues.<Part>get(3 * s.maxTasksInFlight + 16).get());
  }

  String id() {
    return id;
  }

  Flux<Part> toModel() {
    return toModel.asFlux();
  }

  Flux<Part> notices() {
    return notices.asFlux();
  }

  synchronized ConversationStats stats() {
    return new ConversationStats(
        id,
        completedTurns,
        tasks.size(),
        waiting.size(),
        history.size(),
        openToolCalls.size(),
        tasksStarted,
        tasksFailed);
  }

  // ---- what goes in ----

  synchronized void onInput(Part p) {
    if (closed) {
      return;
    }
    if (p.isText()
        && !p.text().isEmpty()
        && p.substream().isEmpty()
        && (p.role().isEmpty() || p.role().equalsIgnoreCase("user"))
        && !Boolean.FALSE.equals(p.metadata(PartMetadata.TURN_COMPLETE))) {
      openTurn();
      append(userText, p.text(), " ");
      userInTurn = true;
      awaitingAnswer = true;
    } else if (p.isFunctionResponse()) {
      Span span =
          openToolCalls.remove(callKey(p.functionResponse().id(), p.functionResponse().name()));
      if (span != null) {
        trace.stop(span, p.functionResponse().isError() ? "error" : "answered");
      }
    }
  }

  synchronized void inputEnded() {
    inputEnded = true;
    maybeEndInput();
  }

  // ---- what comes out ----

  synchronized void onOutput(Part p) {
    if (closed) {
      return;
    }
    if (OutOfBandRequest.isOutOfBand(p)) {
      onOutOfBand(p);
      return;
    }
    if (p.isStartOfSpeech()) {
      userSpeaking = true;
      openTurn();
      userInTurn = true;
      if (speaking != null) {
        deliveryInterrupted();
      }
    } else if (p.isEndOfSpeech()) {
      userSpeaking = false;
    } else if (p.isInterrupted()) {
      interruptedInTurn = true;
      responding = false;
      if (turnSpan != null) {
        trace.event(turnSpan, ConversationTrace.INTERRUPTED);
      }
      trace.conversationEvent(ConversationTrace.INTERRUPTED);
      if (responseSpan != null) {
        trace.stop(responseSpan, "interrupted");
        responseSpan = null;
      }
      if (speaking != null) {
        deliveryInterrupted();
      }
    } else if (p.isEndOfTurn()) {
      onModelTurnEnd();
    } else if (p.isTranscription()) {
      if (p.substream().startsWith("input")) {
        if (p.isFinalTranscription()) {
          openTurn();
          append(userText, p.text(), " ");
          userInTurn = true;
        }
      } else {
        answer();
        if (p.isFinalTranscription()) {
          append(modelText, p.text(), "");
        }
      }
    } else if (p.isFunctionCall()) {
      onFunctionCall(p);
    } else if (p.isAudio()) {
      answer();
    } else if (p.isText()
        && !p.text().isEmpty()
        && p.substream().isEmpty()
        && !p.isThought()
        && "model".equalsIgnoreCase(p.role())) {
      answer();
      append(modelText, p.text(), "");
    }
    flushWaiting();
  }

  private void onOutOfBand(Part p) {
    if (speaking == null || !openAi) {
      return;
    }
    if (p.isInterrupted()) {
      deliveryInterrupted();
    } else if (p.isEndOfTurn()) {
      finishSpoken();
    }
  }

  private void answer() {
    openTurn();
    answerInTurn = true;
    responding = true;
    if (responseSpan == null && turnSpan != null) {
      responseSpan = trace.response(turnSpan, completedTurns + 1);
    }
  }

  private void openTurn() {
    if (turnSpan == null) {
      turnSpan = trace.turn(completedTurns + 1);
    }
  }

  private void onModelTurnEnd() {
    responding = false;
    if (responseSpan != null) {
      trace.stop(responseSpan, interruptedInTurn ? "interrupted" : "completed");
      responseSpan = null;
    }
    if (speaking != null && !openAi) {
      finishSpoken();
    }
    if (!answerInTurn && !interruptedInTurn) {
      return; // a response of function calls only: the turn goes on
    }
    if (userText.length() > 0) {
      remember(Part.text(userText.toString()).withRole("user"));
    }
    if (modelText.length() > 0) {
      remember(Part.text(modelText.toString()).withRole("model"));
    }
    boolean userTurn = userInTurn;
    if (turnSpan != null) {
      trace.stop(
          turnSpan, !userTurn ? "assistant_only" : interruptedInTurn ? "interrupted" : "completed");
      turnSpan = null;
    }
    userText.setLength(0);
    modelText.setLength(0);
    userInTurn = false;
    answerInTurn = false;
    interruptedInTurn = false;
    awaitingAnswer = false;
    if (userTurn) {
      completedTurns++;
      if (s.everyTurn != null) {
        startTask(null, s.everyTurn);
      }
    }
  }

  private void onFunctionCall(Part p) {
    openTurn();
    PartContent.FunctionCall call = p.functionCall();
    Delivery delivery = s.tools.get(call.name());
    if (delivery == null) {
      if (openToolCalls.size() >= MAX_OPEN_TOOL_CALLS) {
        Iterator<Map.Entry<String, Span>> oldest = openToolCalls.entrySet().iterator();
        trace.stop(oldest.next().getValue(), "unanswered");
        oldest.remove();
      }
      if (turnSpan != null) {
        openToolCalls.put(
            callKey(call.id(), call.name()),
            trace.toolCall(turnSpan, call.name(), String.valueOf(call.id())));
      }
      return;
    }
    if (turnSpan != null) {
      trace.stop(trace.toolCall(turnSpan, call.name(), String.valueOf(call.id())), "background");
    }
    startTask(p, delivery);
  }

  // ---- tasks ----

  private void startTask(@Nullable Part call, Delivery delivery) {
    if (closed || inputEnded) {
      return;
    }
    String taskId = "t" + ++taskSeq;
    String tool = call == null ? null : call.functionCall().name();
    Span span = trace.task(taskId, completedTurns, call == null ? "turn" : "tool", tool);
    if (tasks.size() >= s.maxTasksInFlight) {
      // Full: the newest task is refused, never queued (a turn's task is skipped: the next turn's
      // task
      // sees the whole history anyway; a call is answered with an error the assistant can say).
      tasksFailed++;
      trace.stop(span, "rejected");
      notice(
          taskId, tool, "rejected", "refused: " + s.maxTasksInFlight + " tasks already in flight");
      if (call != null) {
        send(
            Part.functionError(
                call.functionCall().id(),
                call.functionCall().name(),
                "Not started: "
                    + s.maxTasksInFlight
                    + " background tasks are already running. Tell the user, and try again later."));
      }
      return;
    }
    Task t = new Task(taskId, completedTurns, call, delivery, span);
    tasks.put(taskId, t);
    tasksStarted++;
    List<Part> snapshot = new ArrayList<>(history.size() + 1);
    snapshot.addAll(history);
    if (call != null && userText.length() > 0) {
      snapshot.add(Part.text(userText.toString()).withRole("user"));
    }
    AgentTask task = new AgentTask(id, completedTurns, taskId, snapshot, call);
    notice(taskId, tool, "started", "started");
    if (call != null) {
      send(acknowledgement(call, taskId));
    }
    Disposable work =
        Mono.defer(() -> s.agent.run(task))
            .timeout(s.timeout, s.scheduler)
            .subscribe(
                r -> onTaskDone(t, r, null),
                e -> onTaskDone(t, null, e),
                () -> onTaskDone(t, null, null));
    if (!t.done) {
      t.work = work;
      running.add(work);
    }
  }

  private Part acknowledgement(Part call, String taskId) {
    PartContent.FunctionCall c = call.functionCall();
    String note = "Started in the background as task " + taskId + "; the result will follow.";
    if (openAi) {
      ObjectNode r =
          JsonNodeFactory.instance.objectNode().put("status", "started").put("note", note);
      return Part.functionResult(c.id(), c.name(), r);
    }
    ObjectNode response = JsonNodeFactory.instance.objectNode().put("result", note);
    return Part.of(
        new PartContent.FunctionResponse(
            c.id(), c.name(), response, Delivery.CONTEXT_ONLY.scheduling(), true, false));
  }

  private synchronized void onTaskDone(
      Task t, @Nullable AgentResult result, @Nullable Throwable error) {
    if (t.done) {
      return;
    }
    t.done = true;
    if (t.work != null) {
      running.remove(t.work);
    }
    if (closed) {
      return;
    }
    String tool = t.call == null ? null : t.call.functionCall().name();
    boolean ok = result != null;
    String outcome;
    String detail;
    if (result != null) {
      outcome = "completed";
      trace.tag(t.span, "result.status", result.status());
      trace.tag(t.span, "result.actions", Integer.toString(result.results().size()));
      detail = result.describe();
      t.text = "Background task " + t.id + t.label() + " finished: " + detail + ".";
    } else {
      tasksFailed++;
      String reason;
      if (error instanceof TimeoutException) {
        outcome = "timed_out";
        reason = "it timed out after " + describe(s.timeout);
      } else if (error == null) {
        outcome = "failed";
        reason = "the agent answered nothing";
      } else {
        outcome = "failed";
        reason = "it failed: " + cut(String.valueOf(error.getMessage()));
      }
      t.text =
          "Background task "
              + t.id
              + t.label()
              + " did not finish: "
              + reason
              + ". Tell the user it did not work.";
      log.debug("conversation {}: background task {} {}", id, t.id, outcome);
      detail = t.text;
    }
    trace.stop(t.span, outcome);
    notice(t.id, tool, outcome, detail);
    deliver(t, ok);
    flushWaiting();
  }

  // ---- delivery ----

  private void deliver(Task t, boolean ok) {
    if (t.call != null && !openAi) {
      // Gemini: a NON_BLOCKING function response; the server schedules it.
      PartContent.FunctionCall c = t.call.functionCall();
      ObjectNode response =
          JsonNodeFactory.instance.objectNode().put(ok ? "result" : "error", t.text);
      send(
          Part.of(
              new PartContent.FunctionResponse(
                  c.id(), c.name(), response, t.delivery.scheduling(), false, !ok)));
      finish(t);
      return;
    }
    switch (t.delivery) {
      case CONTEXT_ONLY -> {
        send(context(t.text));
        finish(t);
      }
      case SPEAK_NOW -> {
        if (speaking != null) {
          Task cut = speaking;
          stopSpeaking();
          finish(cut);
        }
        if (openAi && responding) {
          send(Part.interrupted());
        }
        speak(t);
      }
      case SPEAK_WHEN_IDLE -> {
        if (idle()) {
          speak(t);
        } else {
          waiting.add(t);
        }
      }
    }
  }

  private boolean idle() {
    return !responding && !awaitingAnswer && !userSpeaking && speaking == null;
  }

  private void flushWaiting() {
    if (!closed && idle() && !waiting.isEmpty()) {
      speak(waiting.poll());
    }
  }

  private void speak(Task t) {
    speaking = t;
    if (openAi) {
      send(
          OutOfBandRequest.builder()
              .id("agent-" + t.id)
              .instructions(s.instructions)
              .metadata(BackgroundAgents.CONVERSATION_ID, id)
              .metadata(BackgroundAgents.TASK_ID, t.id)
              .input(Part.text(t.text).withRole("user"))
              .build()
              .toPart());
    } else {
      send(Part.text(t.text + " " + s.instructions).withRole("user"));
    }
    // Should the provider never say that the report ended, the next result is not held back for
    // ever.
    speakingDeadline = Mono.delay(s.timeout, s.scheduler).subscribe(tick -> onSpeakingDeadline(t));
  }

  private synchronized void onSpeakingDeadline(Task t) {
    if (speaking == t && !closed) {
      log.debug("conversation {}: no end seen of the report of task {}", id, t.id);
      finishSpoken();
    }
  }

  private void finishSpoken() {
    Task t = speaking;
    stopSpeaking();
    if (t != null) {
      finish(t);
    }
    flushWaiting();
  }

  private void stopSpeaking() {
    speaking = null;
    if (speakingDeadline != null) {
      speakingDeadline.dispose();
      speakingDeadline = null;
    }
  }

  /**
   * The user cut the assistant while it reported a result: the report is not repeated. On Gemini the result
   * is in the context already; on OpenAI (whose report stays out of the conversation) it is added to it,
   * so the assistant still knows it.
   */
  private void deliveryInterrupted() {
    Task t = speaking;
    if (t == null) {
      return;
    }
    stopSpeaking();
    trace.conversationEvent(ConversationTrace.DELIVERY_INTERRUPTED);
    notice(t.id, t.call == null ? null : t.call.functionCall().name(), "delivery_interrupted", "");
    if (openAi) {
      send(context("The user interrupted your report of this result. " + t.text));
    }
    finish(t);
  }

  private static Part context(String text) {
    return Part.text(text).withRole("user").withMetadata(PartMetadata.TURN_COMPLETE, false);
  }

  private void finish(Task t) {
    tasks.remove(t.id);
    waiting.remove(t);
    maybeEndInput();
  }

  // ---- the end ----

  private void maybeEndInput() {
    if (inputEnded && tasks.isEmpty()) {
      toModel.tryEmitComplete();
    }
  }

  synchronized void close(SignalType signal, @Nullable Throwable error) {
    if (closed) {
      return;
    }
    closed = true;
    running.dispose();
    for (Task t : tasks.values()) {
      if (!t.done) {
        trace.stop(t.span, "cancelled");
      }
    }
    tasks.clear();
    waiting.clear();
    stopSpeaking();
    openToolCalls.values().forEach(span -> trace.stop(span, "unanswered"));
    openToolCalls.clear();
    if (responseSpan != null) {
      trace.stop(responseSpan, "cancelled");
    }
    if (turnSpan != null) {
      trace.stop(turnSpan, "cancelled");
    }
    trace.end(
        error != null ? "error" : signal == SignalType.CANCEL ? "cancelled" : "completed", error);
    notices.tryEmitComplete();
    toModel.tryEmitComplete();
  }

  synchronized void endNotices() {
    notices.tryEmitComplete();
  }

  // ---- helpers ----

  private void send(Part p) {
    Sinks.EmitResult r = toModel.tryEmitNext(p);
    if (r.isFailure()) {
      log.warn("conversation {}: a part for the model was dropped ({})", id, r);
    }
  }

  private void notice(String taskId, @Nullable String tool, String state, String detail) {
    Part n =
        Part.status(
                "background task "
                    + taskId
                    + (tool == null ? "" : " (" + tool + ")")
                    + " "
                    + state
                    + (detail.isEmpty() || detail.equals(state) ? "" : ": " + detail))
            .withMetadata(BackgroundAgents.CONVERSATION_ID, id)
            .withMetadata(BackgroundAgents.TASK_ID, taskId)
            .withMetadata(BackgroundAgents.TASK_STATE, state);
    notices.tryEmitNext(n); // a full buffer drops the notice: notices only inform
  }

  private void remember(Part p) {
    history.addLast(p);
    while (history.size() > s.historyParts) {
      history.removeFirst();
    }
  }

  private static void append(StringBuilder sb, String text, String separator) {
    if (sb.length() >= MAX_TURN_CHARS) {
      return;
    }
    if (sb.length() > 0 && !text.isEmpty()) {
      sb.append(separator);
    }
    sb.append(text, 0, Math.min(text.length(), MAX_TURN_CHARS - sb.length()));
  }

  private static String callKey(@Nullable String callId, String name) {
    return callId == null ? "name:" + name : callId;
  }

  private static String cut(String s) {
    return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "…";
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
