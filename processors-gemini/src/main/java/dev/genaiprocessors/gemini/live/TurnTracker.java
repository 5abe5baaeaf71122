package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.gemini.live.ClientMessages.Kind;
import dev.genaiprocessors.gemini.live.ClientMessages.Outgoing;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a session knows of the conversation from what it sent and received: whether a server turn is under
 * way, whether everything sent that makes the model answer has been answered, which calls are open,
 * whether content is stale after an interruption, and the newest resumable handle and whether anything
 * happened since it was issued. Owned by the session's tasks, run one at a time; not thread-safe.
 *
 * <p><b>Answers.</b> Every message that makes the model answer (a turn, realtime text, the end of the audio
 * stream or of an activity, a tool response that prompts) counts as a trigger. A server turn starts with
 * its first content, call or signal, and takes note of how many triggers were sent by then; when it
 * completes (interrupted or not) it answers one more trigger, but never one sent after it started. So a
 * turn interrupted by a new text answers the text before it, and the text's own answer is still awaited;
 * two texts sent back to back wait for two turns; a turn the server began by itself (voice activity on
 * audio) answers nothing sent after it began.
 */
final class TurnTracker {
  private final Set<String> openCalls = new LinkedHashSet<>();
  private @Nullable String handle;
  private boolean handleFresh;
  private boolean serverTurnOpen;
  private long serverTurnStart;
  private long triggersSent;
  private long triggersAnswered;
  private boolean interrupted;
  private long staleDropped;

  TurnTracker(@Nullable String handle) {
    this.handle = handle;
  }

  /** The newest resumable handle, or null. */
  @Nullable String handle() {
    return handle;
  }

  /** A server turn is under way, or something sent is not answered yet. */
  boolean turnInProgress() {
    return serverTurnOpen || triggersAnswered < triggersSent;
  }

  /** Model content dropped because its turn was interrupted. */
  long staleDropped() {
    return staleDropped;
  }

  void sent(Outgoing message) {
    if (message.triggersTurn()) {
      triggersSent++;
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
      beginTurn();
      handleFresh = false;
    } else if (event instanceof ServerEvent.Signal signal) {
      switch (signal.kind()) {
        case INTERRUPTED -> {
          beginTurn();
          interrupted = true;
        }
        case GENERATION_COMPLETE -> beginTurn();
        case TURN_COMPLETE -> {
          beginTurn();
          triggersAnswered =
              Math.max(triggersAnswered, Math.min(triggersAnswered + 1, serverTurnStart));
          serverTurnOpen = false;
          interrupted = false;
        }
        default -> {}
      }
    } else if (event instanceof ServerEvent.ToolCall call) {
      beginTurn();
      if (call.id() != null) {
        openCalls.add(call.id());
      }
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

  private void beginTurn() {
    if (!serverTurnOpen) {
      serverTurnOpen = true;
      serverTurnStart = triggersSent;
    }
  }

  /** What a connection's end cut: a turn under way (or awaited), and the calls still open. */
  record Cut(boolean turn, List<String> openCalls) {
    boolean isEmpty() {
      return !turn && openCalls.isEmpty();
    }
  }

  /**
   * A new connection resumes at the handle's turn boundary: what was under way on the old one is gone.
   *
   * @return what was cut, for the session to end it visibly
   */
  Cut newConnection() {
    Cut cut = new Cut(turnInProgress(), List.copyOf(openCalls));
    serverTurnOpen = false;
    interrupted = false;
    triggersAnswered = triggersSent;
    openCalls.clear();
    return cut;
  }

  /** No turn under way, nothing unanswered, no open call, and a handle issued after everything sent and received. */
  boolean atResumablePoint() {
    return !turnInProgress() && openCalls.isEmpty() && handleFresh && handle != null;
  }
}
