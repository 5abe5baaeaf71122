package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.live.ConversationState;
import java.time.Duration;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a real-time session reports, in the order the provider produced it: the stream form of
 * {@link RealtimeVoice}'s callbacks ({@link RealtimeVoice#run}).
 */
public sealed interface RealtimeEvent {

  /** Who spoke a transcript. */
  enum Speaker {
    /** The person at the microphone (or who sent text). */
    USER,
    /** The model. */
    ASSISTANT
  }

  /**
   * A piece of the model's speech, at the config's {@link RealtimeConfig#outputSampleRate() output rate}.
   *
   * @param data 16-bit little-endian mono PCM; empty for the final marker
   * @param duration how long it plays
   * @param isFinal true for the empty marker that ends the model's turn
   */
  record AudioChunk(byte[] data, Duration duration, boolean isFinal) implements RealtimeEvent {
    /**
     * Checks the fields.
     *
     * @param data 16-bit little-endian mono PCM; empty for the final marker
     * @param duration how long it plays
     * @param isFinal true for the empty marker that ends the model's turn
     * @throws NullPointerException when data or duration is null
     */
    public AudioChunk {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(duration, "duration");
    }
  }

  /**
   * Text of what someone said: deltas ({@code isFinal} false) as they come, then one final event with the
   * whole utterance's text.
   *
   * @param text the new text (a delta), or the whole utterance (final)
   * @param isFinal true when the utterance is complete
   * @param speaker who said it
   */
  record TranscriptDelta(String text, boolean isFinal, Speaker speaker) implements RealtimeEvent {
    /**
     * Checks the fields.
     *
     * @param text the new text (a delta), or the whole utterance (final)
     * @param isFinal true when the utterance is complete
     * @param speaker who said it
     * @throws NullPointerException when text or speaker is null
     */
    public TranscriptDelta {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(speaker, "speaker");
    }
  }

  /**
   * The model calls a function. A tool of the config is run automatically; another is answered by the
   * {@code onToolCall} callback.
   *
   * @param callId the call's id (answers carry it back), possibly empty when the provider gives none
   * @param functionName the function's name
   * @param arguments the arguments object
   */
  record ToolCallRequest(String callId, String functionName, JsonNode arguments)
      implements RealtimeEvent {
    /**
     * Checks the fields.
     *
     * @param callId the call's id, possibly empty
     * @param functionName the function's name
     * @param arguments the arguments object
     * @throws NullPointerException when a field is null
     */
    public ToolCallRequest {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(functionName, "functionName");
      Objects.requireNonNull(arguments, "arguments");
    }
  }

  /** The model's answer was cut short (the user spoke over it): drop any audio queued for playback. */
  record Interrupted() implements RealtimeEvent {}

  /**
   * Something went wrong. In {@link RealtimeVoice#run} an error of the provider is the last event (the
   * stream then completes); a setting reported under {@link RealtimeConfig.UnsupportedSettings#WARN}
   * comes first and the session goes on.
   *
   * @param error the error, one of the live contract's {@link ModelException} subtypes
   */
  record Error(ModelException error) implements RealtimeEvent {
    /**
     * Checks the field.
     *
     * @param error the error
     * @throws NullPointerException when error is null
     */
    public Error {
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * The conversation entered another state, as the session's
   * {@link dev.genaiprocessors.live.state.ConversationStateMachine} derived it from the provider's parts
   * ({@link dev.genaiprocessors.live.state.StateReportingLiveProcessor}).
   *
   * @param state the state entered
   */
  record StateChanged(ConversationState state) implements RealtimeEvent {
    /**
     * Checks the field.
     *
     * @param state the state entered
     * @throws NullPointerException when state is null
     */
    public StateChanged {
      Objects.requireNonNull(state, "state");
    }
  }
}
