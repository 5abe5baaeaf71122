package dev.genaiprocessors.testkit.openai;

import java.util.Objects;

/**
 * One output item of a scripted {@link Reply#response response}: assistant audio with its transcript, assistant
 * text, or a function call. Under the response's {@code output_modalities}: audio is sent as audio when the
 * modality is {@code audio}, and as text (its transcript) when it is {@code text}.
 */
public sealed interface Output {

  /**
   * Assistant audio: {@code response.output_audio.delta} events of at most 100 ms each, and the transcript as
   * {@code response.output_audio_transcript.delta} events, one per word.
   *
   * @param audio the audio in the session's output format (PCM16 mono 24 kHz by default), not copied: do not change it
   * @param transcript what the audio says
   * @return the output
   */
  static Output audio(byte[] audio, String transcript) {
    return new Audio(
        Objects.requireNonNull(audio, "audio"), Objects.requireNonNull(transcript, "transcript"));
  }

  /**
   * Assistant text, as {@code response.output_text.delta} events, one per word.
   *
   * @param text the text
   * @return the output
   */
  static Output text(String text) {
    return new Text(Objects.requireNonNull(text, "text"));
  }

  /**
   * A function call with a call id the server makes up ({@code call_<n>}); its arguments are streamed as
   * {@code response.function_call_arguments.delta} events in two halves, then {@code .done}.
   *
   * @param name the function's name
   * @param arguments the arguments, a JSON object as a string
   * @return the output
   */
  static Output functionCall(String name, String arguments) {
    return new FunctionCall(
        null, Objects.requireNonNull(name, "name"), Objects.requireNonNull(arguments, "arguments"));
  }

  /**
   * A function call with this call id.
   *
   * @param callId the call id, for example {@code call_abc123}
   * @param name the function's name
   * @param arguments the arguments, a JSON object as a string
   * @return the output
   */
  static Output functionCall(String callId, String name, String arguments) {
    return new FunctionCall(
        Objects.requireNonNull(callId, "callId"),
        Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(arguments, "arguments"));
  }

  /**
   * Assistant audio.
   *
   * @param audio the audio bytes in the output format
   * @param transcript what it says
   */
  record Audio(byte[] audio, String transcript) implements Output {}

  /**
   * Assistant text.
   *
   * @param text the text
   */
  record Text(String text) implements Output {}

  /**
   * A function call.
   *
   * @param callId the call id, or null for one made up by the server
   * @param name the function's name
   * @param arguments the JSON arguments as a string
   */
  record FunctionCall(
      @org.jspecify.annotations.Nullable String callId, String name, String arguments)
      implements Output {}
}
