package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.live.ConversationState;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's callbacks, called for each event in order on the session's callback thread. A
 * callback that throws is reported to {@code onError}; an {@code onError} that throws is logged. Either
 * way the session goes on.
 */
record Callbacks(
    @Nullable Consumer<byte[]> onAudio,
    @Nullable TranscriptListener onTranscript,
    @Nullable Consumer<Throwable> onError,
    @Nullable Runnable onInterrupted,
    @Nullable Consumer<ConversationState> onStateChange) {

  private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

  void dispatch(RealtimeEvent event) {
    try {
      if (event instanceof RealtimeEvent.AudioChunk chunk) {
        if (onAudio != null && chunk.data().length > 0) {
          onAudio.accept(chunk.data());
        }
      } else if (event instanceof RealtimeEvent.TranscriptDelta t) {
        if (onTranscript != null) {
          onTranscript.onTranscript(t.text(), t.isFinal(), t.speaker());
        }
      } else if (event instanceof RealtimeEvent.Interrupted) {
        if (onInterrupted != null) {
          onInterrupted.run();
        }
      } else if (event instanceof RealtimeEvent.StateChanged s) {
        if (onStateChange != null) {
          onStateChange.accept(s.state());
        }
      } else if (event instanceof RealtimeEvent.Error e) {
        error(e.error());
      }
      // A ToolCallRequest is answered by the config's tools or onToolCall, off this thread.
    } catch (RuntimeException | java.lang.Error thrown) {
      if (thrown instanceof VirtualMachineError) {
        throw thrown;
      }
      error(thrown);
    }
  }

  void error(Throwable error) {
    if (onError == null) {
      LOG.warn("Realtime session error (no onError callback): {}", error.toString());
      return;
    }
    try {
      onError.accept(error);
    } catch (RuntimeException thrown) {
      LOG.warn("The onError callback threw {} while handling {}", thrown, error.toString());
    }
  }
}
