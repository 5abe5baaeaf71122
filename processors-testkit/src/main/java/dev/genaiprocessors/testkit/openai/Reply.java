package dev.genaiprocessors.testkit.openai;

import java.util.List;
import java.util.Objects;

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
