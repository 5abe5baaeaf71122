package dev.genaiprocessors.live.agents;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * The trace of one conversation, as Micrometer observations: the conversation, and within it its turns,
 * model responses, tool calls and background tasks, each with its ids, its duration (on the conversation's
 * {@link Scheduler}, so virtual in tests) and its outcome; interruptions are events. Only ids, names,
 * counts and outcomes are recorded: never audio, text or keys. With no registry nothing is created.
 * Not thread-safe: its conversation calls it under its lock.
 */
final class ConversationTrace {
  static final String CONVERSATION = "genai.conversation";
  static final String TURN = "genai.conversation.turn";
  static final String RESPONSE = "genai.model.response";
  static final String TOOL_CALL = "genai.tool.call";
  static final String TASK = "genai.agent.task";
  static final String INTERRUPTED = "interrupted";
  static final String DELIVERY_INTERRUPTED = "delivery.interrupted";

  /** A span: an observation and when it started. Null observation when nothing is recorded. */
  static final class Span {
    final @Nullable Observation observation;
    final long startMillis;

    Span(@Nullable Observation observation, long startMillis) {
      this.observation = observation;
      this.startMillis = startMillis;
    }
  }

  private final @Nullable ObservationRegistry registry;
  private final Scheduler clock;
  private final Span conversation;

  ConversationTrace(
      @Nullable ObservationRegistry registry,
      Scheduler clock,
      String conversationId,
      String provider) {
    this.registry = registry;
    this.clock = clock;
    this.conversation =
        start(
            null,
            CONVERSATION,
            "conversation",
            "provider",
            provider,
            "conversation.id",
            conversationId);
  }

  Span turn(long turnId) {
    return start(
        conversation, TURN, "turn " + turnId, null, null, "turn.id", Long.toString(turnId));
  }

  Span response(Span turn, long turnId) {
    return start(turn, RESPONSE, "model response", null, null, "turn.id", Long.toString(turnId));
  }

  Span toolCall(Span turn, String name, String callId) {
    Span s = start(turn, TOOL_CALL, "tool " + name, "tool.name", name, "call.id", callId);
    return s;
  }

  Span task(String taskId, long turnId, String kind, @Nullable String tool) {
    Span s = start(conversation, TASK, "agent task", "task.kind", kind, "task.id", taskId);
    if (s.observation != null) {
      s.observation.highCardinalityKeyValue("turn.id", Long.toString(turnId));
      if (tool != null) {
        s.observation.lowCardinalityKeyValue("tool.name", tool);
      }
    }
    return s;
  }

  /** Adds a key to a span that is still open. */
  void tag(Span span, String key, String value) {
    if (span.observation != null) {
      span.observation.highCardinalityKeyValue(key, value);
    }
  }

  void event(Span span, String name) {
    if (span.observation != null) {
      span.observation.event(Observation.Event.of(name));
    }
  }

  void conversationEvent(String name) {
    event(conversation, name);
  }

  /** Ends a span with its outcome and duration. */
  void stop(Span span, String outcome) {
    Observation o = span.observation;
    if (o == null) {
      return;
    }
    o.lowCardinalityKeyValue("outcome", outcome);
    o.highCardinalityKeyValue("duration.ms", Long.toString(now() - span.startMillis));
    o.stop();
  }

  /** Ends the conversation's span; {@code error} (the live processor's) when it failed. */
  void end(String outcome, @Nullable Throwable error) {
    if (error != null && conversation.observation != null) {
      conversation.observation.error(error);
    }
    stop(conversation, outcome);
  }

  private Span start(
      @Nullable Span parent,
      String name,
      String contextual,
      @Nullable String lowKey,
      @Nullable String lowValue,
      String highKey,
      String highValue) {
    if (registry == null) {
      return new Span(null, 0);
    }
    Observation o = Observation.createNotStarted(name, registry).contextualName(contextual);
    if (parent != null && parent.observation != null) {
      o.parentObservation(parent.observation);
    }
    if (lowKey != null && lowValue != null) {
      o.lowCardinalityKeyValue(lowKey, lowValue);
    }
    o.highCardinalityKeyValue(highKey, highValue);
    o.start();
    return new Span(o, now());
  }

  private long now() {
    return clock.now(TimeUnit.MILLISECONDS);
  }
}
