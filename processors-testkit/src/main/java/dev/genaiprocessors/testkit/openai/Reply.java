package dev.genaiprocessors.testkit.openai;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Server events a {@link Step} plays: responses, server-VAD speech events and input transcriptions.
 *
 * <pre>{@code
 * Step.on("input_audio_buffer.append", Reply.speechStarted());                         // barge-in if answering
 * Step.on("input_audio_buffer.append", Reply.speechStopped(),                           // committed, item added
 *     Reply.response(Output.audio(pcm, "It is sunny.")), Reply.inputTranscript("Weather?"));  // transcript late
 * }</pre>
 */
public sealed interface Reply extends Action {

  /**
   * A whole response: {@code response.created}, {@code rate_limits.updated}, then per output its item, content
   * part and deltas and their {@code .done} events, then {@code response.done} with status {@code completed} and
   * usage. In a step on {@code response.create} it follows that event's parameters (an out-of-band
   * {@code conversation: "none"} response adds nothing to the conversation and echoes the metadata); in a step on
   * another event it is a server-started response in the default conversation. If the default conversation
   * already has an active response, a server-started one is skipped (logged), as the server would not start it.
   *
   * @param outputs the output items, in order
   * @return the reply
   */
  static Reply response(Output... outputs) {
    return new Response(List.of(outputs), false);
  }

  /**
   * A response that stays active: everything of {@link #response} but the {@code .done} events, so that a
   * barge-in ({@link #speechStarted()}), a client's {@code response.cancel} or a later {@link #finishResponse()}
   * ends it.
   *
   * @param outputs the output items, in order
   * @return the reply
   */
  static Reply openResponse(Output... outputs) {
    return new Response(List.of(outputs), true);
  }

  /**
   * A response the server could not produce: {@code response.created} and {@code rate_limits.updated}, then at
   * once {@code response.done} with status {@code failed}, no output, and {@code status_details}
   * {@code {"type": "failed", "error": {"type", "code", "message"}}} (the fields of the server's response
   * status, as openai-java's {@code RealtimeResponseStatus.Error} reads them; {@code code} is null when not
   * given). Usage counts the input tokens only. Placed like {@link #response}: in a step on
   * {@code response.create} it fails that response (out-of-band ones included, echoing their metadata).
   *
   * @param errorType the error's type, for example {@code server_error}
   * @param errorCode the error's code, or null
   * @param message what went wrong, as the server words it
   * @return the reply
   */
  static Reply failedResponse(String errorType, @Nullable String errorCode, String message) {
    return new FailedResponse(
        Objects.requireNonNull(errorType, "errorType"),
        errorCode,
        Objects.requireNonNull(message, "message"));
  }

  /**
   * A response the server cut short: everything of {@link #response}, but its items end with status
   * {@code incomplete} and {@code response.done} has status {@code incomplete} and {@code status_details}
   * {@code {"type": "incomplete", "reason": reason}}, as when the answer reaches {@code max_output_tokens}.
   *
   * @param reason {@code max_output_tokens} or {@code content_filter}, the reasons the server gives for
   *     {@code incomplete}
   * @param outputs the output items sent before the cut, in order
   * @return the reply
   * @throws IllegalArgumentException for another reason
   */
  static Reply incompleteResponse(String reason, Output... outputs) {
    return new IncompleteResponse(reason, List.of(outputs));
  }

  /**
   * Completes the oldest active response of the connection ({@code completed}); nothing when none is active.
   *
   * @return the reply
   */
  static Reply finishResponse() {
    return new FinishResponse();
  }

  /**
   * Server VAD heard speech start: {@code input_audio_buffer.speech_started} at the start of the last appended
   * audio; then, with {@code interrupt_response}, an active response of the default conversation is cancelled
   * ({@code response.done}, status {@code cancelled}, reason {@code turn_detected}). Nothing happens when the
   * session's turn detection is off.
   *
   * @return the reply
   */
  static Reply speechStarted() {
    return new SpeechStarted();
  }

  /**
   * Server VAD heard speech stop: {@code input_audio_buffer.speech_stopped}, {@code input_audio_buffer.committed},
   * {@code conversation.item.added} and {@code conversation.item.done} of the user's audio item. Nothing happens
   * when the session's turn detection is off.
   *
   * @return the reply
   */
  static Reply speechStopped() {
    return new SpeechStopped();
  }

  /**
   * The transcription of the last committed user audio: one
   * {@code conversation.item.input_audio_transcription.delta} per word, then {@code .completed} with usage.
   * Nothing happens when no audio was committed or the session has no {@code audio.input.transcription}, as on
   * the real server.
   *
   * @param transcript what the user said
   * @return the reply
   */
  static Reply inputTranscript(String transcript) {
    return new InputTranscript(Objects.requireNonNull(transcript, "transcript"));
  }

  /**
   * @param outputs the output items
   * @param leaveOpen whether the response stays active
   * @see #response(Output...)
   * @see #openResponse(Output...)
   */
  record Response(List<Output> outputs, boolean leaveOpen) implements Reply {
    /**
     * Copies the outputs.
     *
     * @param outputs the output items
     * @param leaveOpen whether the response stays active
     */
    public Response {
      outputs = List.copyOf(outputs);
    }
  }

  /**
   * @param errorType the error's type
   * @param errorCode the error's code, or null
   * @param message what went wrong
   * @see #failedResponse(String, String, String)
   */
  record FailedResponse(String errorType, @Nullable String errorCode, String message)
      implements Reply {}

  /**
   * @param reason why the server cut the response short
   * @param outputs the output items sent before the cut
   * @see #incompleteResponse(String, Output...)
   */
  record IncompleteResponse(String reason, List<Output> outputs) implements Reply {
    /** The reasons the server gives for status {@code incomplete}. */
    static final Set<String> REASONS = Set.of("max_output_tokens", "content_filter");

    /**
     * Validates and copies.
     *
     * @param reason why the server cut the response short
     * @param outputs the output items
     * @throws IllegalArgumentException for a reason the server does not give for {@code incomplete}
     */
    public IncompleteResponse {
      Objects.requireNonNull(reason, "reason");
      if (!REASONS.contains(reason)) {
        throw new IllegalArgumentException(
            "an incomplete response's reason must be max_output_tokens or content_filter, was '"
                + reason
                + "'");
      }
      outputs = List.copyOf(outputs);
    }
  }

  /** @see #finishResponse() */
  record FinishResponse() implements Reply {}

  /** @see #speechStarted() */
  record SpeechStarted() implements Reply {}

  /** @see #speechStopped() */
  record SpeechStopped() implements Reply {}

  /**
   * @param transcript what the user said
   * @see #inputTranscript(String)
   */
  record InputTranscript(String transcript) implements Reply {}
}
