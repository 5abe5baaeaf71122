package dev.genaiprocessors.testkit.gemini;

import java.time.Duration;
import java.util.Objects;

/**
 * An adverse action on the connection, to exercise a client's failure handling; a {@link Step} like
 * any reply, so it happens at an exact point of a turn.
 *
 * <pre>{@code
 * Script.builder()
 *     .turn(Reply.text("A"), Reply.turnComplete(), Fault.goAway(Duration.ofSeconds(5)))  // then 1011 after 5 s
 *     .turn(Reply.text("B"), Reply.turnComplete(), Fault.drop())                          // no close frame
 *     .build();
 * }</pre>
 */
public sealed interface Fault extends Step {

  /** Close text of the real server's connection limit. */
  String DEADLINE_EXPIRED = "Deadline expired before operation could complete.";

  /**
   * {@code {"goAway": {"timeLeft": "<n>s"}}}, then, unless the client leaves first, close
   * {@code 1011 "Deadline expired before operation could complete."} when the time is up. The turn goes on.
   *
   * @param timeLeft the time the {@code goAway} announces, and after which the connection is closed; not
   *     negative
   * @return the fault
   * @throws IllegalArgumentException when {@code timeLeft} is negative
   */
  static Fault goAway(Duration timeLeft) {
    Objects.requireNonNull(timeLeft, "timeLeft");
    if (timeLeft.isNegative()) {
      throw new IllegalArgumentException("timeLeft must not be negative, was " + timeLeft);
    }
    return new GoAway(timeLeft);
  }

  /**
   * A close frame with this code and reason (cut to 123 bytes), after the frames sent before it.
   *
   * @param code the close code
   * @param reason the close reason
   * @return the fault
   */
  static Fault close(int code, String reason) {
    return new Close(code, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Closes the TCP connection without a close frame (the client sees 1006).
   *
   * @return the fault
   */
  static Fault drop() {
    return new Drop();
  }

  /**
   * A frame that is not JSON.
   *
   * @return the fault
   */
  static Fault malformedFrame() {
    return new MalformedFrame();
  }

  /**
   * A dead peer: from now on the connection reads nothing and sends nothing, pongs included, but stays
   * open (no close frame, no TCP close), as a server that hung or a path that lost its packets.
   *
   * @return the fault
   */
  static Fault silence() {
    return new Silence();
  }

  /** @see #goAway(Duration) */
  record GoAway(Duration timeLeft) implements Fault {}

  /** @see #close(int, String) */
  record Close(int code, String reason) implements Fault {}

  /** @see #drop() */
  record Drop() implements Fault {}

  /** @see #malformedFrame() */
  record MalformedFrame() implements Fault {}

  /** @see #silence() */
  record Silence() implements Fault {}
}
