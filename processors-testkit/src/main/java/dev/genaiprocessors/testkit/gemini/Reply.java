package dev.genaiprocessors.testkit.gemini;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the emulated model sends or waits for, as a {@link Step} of a scripted turn. Each reply is one
 * server message, sent as the real server sends it (camelCase, defaults omitted, binary frame).
 *
 * <pre>{@code
 * Reply.text("It is sunny"), Reply.generationComplete(), Reply.turnComplete()
 * Reply.toolCall("fc-1", "get_weather", args), Reply.awaitToolResponse(), Reply.text("Sunny in Paris")
 * Reply.text("Once upon a time"), Reply.hold()     // until the user barges in: interrupted + turnComplete
 * }</pre>
 */
public sealed interface Reply extends Step {

  /**
   * {@code serverContent.modelTurn} with one text part.
   *
   * @param text the text of the part
   * @return the step
   */
  static Reply text(String text) {
    return new Text(Objects.requireNonNull(text, "text"));
  }

  /**
   * {@code serverContent.modelTurn} with {@code inlineData} {@code audio/pcm;rate=24000}.
   *
   * @param pcm16le the audio, 16-bit little-endian PCM, mono, 24 kHz; not copied
   * @return the step
   */
  static Reply audio(byte[] pcm16le) {
    return audio(pcm16le, 24000);
  }

  /**
   * {@code serverContent.modelTurn} with {@code inlineData} {@code audio/pcm;rate=<sampleRate>}; the array is not copied.
   *
   * @param pcm16le the audio, 16-bit little-endian PCM, mono
   * @param sampleRate the audio's sample rate in Hz
   * @return the step
   */
  static Reply audio(byte[] pcm16le, int sampleRate) {
    return new Audio(Objects.requireNonNull(pcm16le, "pcm16le"), sampleRate);
  }

  /**
   * {@code serverContent.inputTranscription} (a delta, without {@code finished}, as the real server sends it).
   *
   * @param text the transcription delta
   * @return the step
   */
  static Reply inputTranscription(String text) {
    return new InputTranscription(Objects.requireNonNull(text, "text"));
  }

  /**
   * {@code serverContent.outputTranscription} (a delta, without {@code finished}).
   *
   * @param text the transcription delta
   * @return the step
   */
  static Reply outputTranscription(String text) {
    return new OutputTranscription(Objects.requireNonNull(text, "text"));
  }

  /**
   * {@code serverContent.generationComplete}.
   *
   * @return the step
   */
  static Reply generationComplete() {
    return new GenerationComplete();
  }

  /**
   * {@code serverContent.turnComplete}; ends the generating part of the turn, and, when the session asked
   * for resumption, is followed by a {@code sessionResumptionUpdate} with a new handle.
   *
   * @return the step
   */
  static Reply turnComplete() {
    return new TurnComplete(null);
  }

  /**
   * {@code serverContent.turnComplete} with a {@code turnCompleteReason} ({@code NEED_MORE_INPUT}, ...).
   *
   * @param reason the reason, as the API spells it
   * @return the step
   */
  static Reply turnComplete(String reason) {
    return new TurnComplete(Objects.requireNonNull(reason, "reason"));
  }

  /**
   * {@code serverContent.interrupted} (the emulator also sends it by itself on barge-in).
   *
   * @return the step
   */
  static Reply interrupted() {
    return new Interrupted();
  }

  /**
   * A standalone {@code usageMetadata}.
   *
   * @param promptTokens the prompt's token count
   * @param responseTokens the answer's token count
   * @return the step
   */
  static Reply usage(int promptTokens, int responseTokens) {
    return new Usage(promptTokens, responseTokens);
  }

  /**
   * {@code toolCall} with one function call; the call stays open until answered or cancelled. For a function
   * the setup declared BLOCKING the turn then waits for the response; for a NON_BLOCKING one it goes on, and
   * the response is answered by its scheduling ({@code INTERRUPT}: the turn under way is interrupted and the
   * next scripted turn plays; {@code WHEN_IDLE}: the next turn plays after it; {@code SILENT}: nothing).
   *
   * @param id the call's id, which the client's {@code toolResponse} must name
   * @param name the function's name
   * @param args the arguments, a JSON object
   * @return the step
   */
  static Reply toolCall(String id, String name, JsonNode args) {
    return new ToolCall(
        Objects.requireNonNull(id, "id"),
        Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(args, "args").deepCopy());
  }

  /**
   * {@code toolCall} with one function call and arguments given as JSON text.
   *
   * @param id the call's id, which the client's {@code toolResponse} must name
   * @param name the function's name
   * @param argsJson the arguments, a JSON object as text
   * @return the step
   */
  static Reply toolCall(String id, String name, String argsJson) {
    return toolCall(id, name, EmulatorWire.parse(argsJson));
  }

  /**
   * {@code toolCallCancellation} of these ids.
   *
   * @param ids the ids of the calls to cancel
   * @return the step
   */
  static Reply toolCallCancellation(String... ids) {
    return new ToolCallCancellation(List.of(ids));
  }

  /**
   * Waits until every open call to a function not declared NON_BLOCKING has its {@code toolResponse} (a
   * BLOCKING function's pause). A call to a function the setup declared BLOCKING pauses by itself, as on the
   * real server; calls to NON_BLOCKING functions never pause the turn.
   *
   * @return the step
   */
  static Reply awaitToolResponse() {
    return new AwaitToolResponse();
  }

  /**
   * Keeps generating until the user interrupts (activity start, new content); then interrupted + turnComplete.
   *
   * @return the step
   */
  static Reply hold() {
    return new Hold();
  }

  /**
   * Waits this long before the next step (still interruptible).
   *
   * @param delay how long to wait, on the emulator's clock
   * @return the step
   */
  static Reply delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    return new Delay(delay);
  }

  /**
   * {@code sessionResumptionUpdate} with this handle, resumable; the emulator accepts it for resuming.
   *
   * @param handle the handle the client may resume with
   * @return the step
   */
  static Reply resumptionUpdate(String handle) {
    return new ResumptionUpdate(Objects.requireNonNull(handle, "handle"));
  }

  /**
   * {@code {"sessionResumptionUpdate": {}}}: not resumable right now.
   *
   * @return the step
   */
  static Reply notResumable() {
    return new ResumptionUpdate(null);
  }

  /**
   * {@code {"setupComplete": {}}}, for {@link Script.Builder#setupReply} (followed by a resumption update when asked for).
   *
   * @return the step
   */
  static Reply setupComplete() {
    return new SetupComplete();
  }

  /**
   * A frame with exactly this text (JSON or not).
   *
   * @param frame the frame's text, sent as it is
   * @return the step
   */
  static Reply raw(String frame) {
    return new Raw(Objects.requireNonNull(frame, "frame"));
  }

  /** @see #text(String) */
  record Text(String text) implements Reply {}

  /** @see #audio(byte[], int) */
  record Audio(byte[] pcm16le, int sampleRate) implements Reply {}

  /** @see #inputTranscription(String) */
  record InputTranscription(String text) implements Reply {}

  /** @see #outputTranscription(String) */
  record OutputTranscription(String text) implements Reply {}

  /** @see #generationComplete() */
  record GenerationComplete() implements Reply {}

  /** @see #turnComplete(String) */
  record TurnComplete(@Nullable String reason) implements Reply {}

  /** @see #interrupted() */
  record Interrupted() implements Reply {}

  /** @see #usage(int, int) */
  record Usage(int promptTokens, int responseTokens) implements Reply {}

  /** @see #toolCall(String, String, JsonNode) */
  record ToolCall(String id, String name, JsonNode args) implements Reply {}

  /** @see #toolCallCancellation(String...) */
  record ToolCallCancellation(List<String> ids) implements Reply {}

  /** @see #awaitToolResponse() */
  record AwaitToolResponse() implements Reply {}

  /** @see #hold() */
  record Hold() implements Reply {}

  /** @see #delay(Duration) */
  record Delay(Duration delay) implements Reply {}

  /** @see #resumptionUpdate(String) */
  record ResumptionUpdate(@Nullable String handle) implements Reply {}

  /** @see #setupComplete() */
  record SetupComplete() implements Reply {}

  /** @see #raw(String) */
  record Raw(String frame) implements Reply {}
}
