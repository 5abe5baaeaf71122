package dev.genaiprocessors.testkit.openai;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An adverse action on the connection, to exercise a client's failure handling; an {@link Action} like any
 * reply, so it happens at an exact point of a step.
 *
 * <pre>{@code
 * Script.builder()
 *     .on("response.create", Fault.delay(Duration.ofSeconds(2)), Reply.response(Output.text("late")))
 *     .on("input_audio_buffer.append", Fault.drop())             // TCP closed, no close frame
 *     .build();
 * }</pre>
 */
public sealed interface Fault extends Action {

  /**
   * Closes the TCP connection without a close frame, after the events sent before it (the client sees 1006).
   *
   * @return the fault
   */
  static Fault drop() {
    return new Drop();
  }

  /**
   * A close frame with this code and reason, after the events sent before it.
   *
   * @param code the close code, for example 1011
   * @param reason the close reason (at most 123 UTF-8 bytes)
   * @return the fault
   * @throws IllegalArgumentException when the reason is longer than a close frame allows
   */
  static Fault close(int code, String reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
      throw new IllegalArgumentException("reason must be at most 123 UTF-8 bytes, was: " + reason);
    }
    return new Close(code, reason);
  }

  /**
   * An {@code error} event; the connection stays open, as on the real server.
   *
   * @param type the error type, for example {@code server_error} or {@code invalid_request_error}
   * @param code the error code, or null
   * @param message the message
   * @return the fault
   */
  static Fault error(String type, @Nullable String code, String message) {
    return new Error(
        Objects.requireNonNull(type, "type"), code, Objects.requireNonNull(message, "message"));
  }

  /**
   * Waits this long before the step's next action (measured on the emulator's scheduler); client events go on
   * being handled meanwhile.
   *
   * @param delay the pause, not negative
   * @return the fault
   * @throws IllegalArgumentException when the delay is negative
   */
  static Fault delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    return new Delay(delay);
  }

  /** @see #drop() */
  record Drop() implements Fault {}

  /**
   * @param code the close code
   * @param reason the close reason
   * @see #close(int, String)
   */
  record Close(int code, String reason) implements Fault {}

  /**
   * @param type the error type
   * @param code the error code, or null
   * @param message the message
   * @see #error(String, String, String)
   */
  record Error(String type, @Nullable String code, String message) implements Fault {}

  /**
   * @param delay the pause
   * @see #delay(Duration)
   */
  record Delay(Duration delay) implements Fault {}
}
