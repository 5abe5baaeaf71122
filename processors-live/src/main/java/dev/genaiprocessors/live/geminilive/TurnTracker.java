package dev.genaiprocessors.live.geminilive;

import dev.genaiprocessors.live.geminilive.ClientMessages.Kind;
import dev.genaiprocessors.live.geminilive.ClientMessages.Outgoing;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a session knows of the conversation from what it sent and received: whether a turn is under way,
 * which calls are open, whether content is stale after an interruption, and the newest resumable handle
 * and whether anything happened since it was issued. Owned by the session worker; not thread-safe.
 */
final class TurnTracker {
  private final Set<String> openCalls = new LinkedHashSet<>();
  private @Nullable String handle;
  private boolean handleFresh;
  private boolean turnInProgress;
  private boolean interrupted;
  private long staleDropped;

  TurnTracker(@Nullable String handle) {
    this.handle = handle;
  }

  /** The newest resumable handle, or null. */
  @Nullable String handle() {
    return handle;
  }

  boolean turnInProgress() {
    return turnInProgress;
  }

  /** Model content dropped because its turn was interrupted. */
  long staleDropped() {
    return staleDropped;
  }

  void sent(Outgoing message) {
    if (message.triggersTurn()) {
      turnInProgress = true;
    }
    if (message.kind() != Kind.MEDIA) {
      handleFresh = false;
    }
    message.answered().forEach(openCalls::remove);
  }

  /** Takes note of a server event; false when its part must be dropped (content of an interrupted turn). */
  boolean received(ServerEvent event) {
    if (event instanceof ServerEvent.Content) {
      if (interrupted) {
        staleDropped++;
        return false;
      }
      turnInProgress = true;
      handleFresh = false;
    } else if (event instanceof ServerEvent.Signal signal) {
      if (signal.kind() == ServerEvent.SignalKind.INTERRUPTED) {
        interrupted = true;
      } else if (signal.kind() == ServerEvent.SignalKind.TURN_COMPLETE) {
        turnInProgress = false;
        interrupted = false;
      }
    } else if (event instanceof ServerEvent.ToolCall call) {
      if (call.id() != null) {
        openCalls.add(call.id());
      }
      turnInProgress = true;
      handleFresh = false;
    } else if (event instanceof ServerEvent.ToolCancel cancel) {
      cancel.ids().forEach(openCalls::remove);
    } else if (event instanceof ServerEvent.Resumption update) {
      String h = update.handle();
      if (update.resumable() && h != null && !h.isEmpty()) {
        handle = h;
        handleFresh = true;
      }
    }
    return true;
  }

  /** A new connection resumes at the handle's turn boundary: what was under way on the old one is gone. */
  void newConnection() {
    turnInProgress = false;
    interrupted = false;
    openCalls.clear();
  }

  /** No turn under way, no open call, and a handle issued after everything sent and received. */
  boolean atResumablePoint() {
    return !turnInProgress && openCalls.isEmpty() && handleFresh && handle != null;
  }
}
