package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One thing a server message says, with the part it becomes; the session acts on these in order. */
sealed interface ServerEvent {

  /** The part to emit, or null. */
  @Nullable Part part();

  /** {@code setupComplete}; its part carries the {@code sessionId} when the server sent one, else null. */
  record SetupComplete(@Nullable Part part) implements ServerEvent {}

  /** Model text or audio of the current turn. */
  record Content(Part part) implements ServerEvent {}

  /** A signal part; {@code kind} says what it does to the turn. */
  record Signal(Part part, SignalKind kind) implements ServerEvent {}

  /** What a signal does to the session's idea of the turn. */
  enum SignalKind {
    INTERRUPTED,
    GENERATION_COMPLETE,
    TURN_COMPLETE,
    OTHER
  }

  /** A function call the client must answer. */
  record ToolCall(Part part, @Nullable String id) implements ServerEvent {}

  /** Calls the server cancelled. */
  record ToolCancel(Part part, List<String> ids) implements ServerEvent {}

  /** {@code goAway}; {@code timeLeft} is null when absent or malformed. */
  record GoAway(Part part, @Nullable Duration timeLeft) implements ServerEvent {}

  /** {@code sessionResumptionUpdate}; {@code handle} is null or empty when not resumable. */
  record Resumption(Part part, @Nullable String handle, boolean resumable) implements ServerEvent {}
}
