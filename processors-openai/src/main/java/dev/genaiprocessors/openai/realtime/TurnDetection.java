package dev.genaiprocessors.openai.realtime;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the OpenAI Realtime server finds the end of the user's turn ({@code audio.input.turn_detection}):
 * {@link #serverVad() server VAD} (the server's default), {@link #semanticVad semantic VAD}, or
 * {@link #none() none} (manual turns: the application sends {@code Part.endOfTurn()}).
 */
public sealed interface TurnDetection {

  /**
   * Server VAD with the server's defaults.
   *
   * @return a builder-like value; set fields with its withers
   */
  static ServerVad serverVad() {
    return new ServerVad(null, null, null, null, null, null);
  }

  /**
   * Semantic VAD: the model judges whether the user has finished.
   *
   * @param eagerness how soon it answers
   * @return the setting
   */
  static SemanticVad semanticVad(Eagerness eagerness) {
    return new SemanticVad(Objects.requireNonNull(eagerness, "eagerness"), null, null);
  }

  /**
   * No turn detection ({@code turn_detection: null}): the application commits the audio with
   * {@code Part.endOfTurn()} (commit, then a response) or {@code Part.endOfSpeech()} (commit only).
   *
   * @return the setting
   */
  static None none() {
    return None.INSTANCE;
  }

  /** How eager semantic VAD is to answer. */
  enum Eagerness {
    /** Waits longest for the user. */
    LOW,
    /** In between. */
    MEDIUM,
    /** Answers soonest. */
    HIGH,
    /** The server's choice (medium). */
    AUTO;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Server VAD ({@code "type": "server_vad"}); a null field is left to the server's default.
   *
   * @param threshold activation threshold, 0 to 1
   * @param prefixPadding audio kept before the detected speech
   * @param silenceDuration silence that ends the turn
   * @param idleTimeout silence after the answer after which the server prompts the user
   * @param createResponse whether the server answers at the end of each turn
   * @param interruptResponse whether speech during an answer cancels it (barge-in)
   */
  record ServerVad(
      @Nullable Double threshold,
      @Nullable Duration prefixPadding,
      @Nullable Duration silenceDuration,
      @Nullable Duration idleTimeout,
      @Nullable Boolean createResponse,
      @Nullable Boolean interruptResponse)
      implements TurnDetection {

    /**
     * Checks the values.
     *
     * @param threshold activation threshold, 0 to 1
     * @param prefixPadding audio kept before the detected speech, not negative
     * @param silenceDuration silence that ends the turn, not negative
     * @param idleTimeout idle time before a prompt, not negative
     * @param createResponse whether the server answers at the end of each turn
     * @param interruptResponse whether speech cancels the answer in flight
     * @throws IllegalArgumentException when a value is out of range
     */
    public ServerVad {
      if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException("threshold must be from 0 to 1, was " + threshold);
      }
      requireNotNegative(prefixPadding, "prefixPadding");
      requireNotNegative(silenceDuration, "silenceDuration");
      requireNotNegative(idleTimeout, "idleTimeout");
    }

    /**
     * This setting with another threshold.
     *
     * @param value activation threshold, 0 to 1
     * @return a copy
     */
    public ServerVad threshold(double value) {
      return new ServerVad(
          value, prefixPadding, silenceDuration, idleTimeout, createResponse, interruptResponse);
    }

    /**
     * This setting with another prefix padding.
     *
     * @param value audio kept before detected speech
     * @return a copy
     */
    public ServerVad prefixPadding(Duration value) {
      return new ServerVad(
          threshold, value, silenceDuration, idleTimeout, createResponse, interruptResponse);
    }

    /**
     * This setting with another silence duration.
     *
     * @param value silence that ends the turn
     * @return a copy
     */
    public ServerVad silenceDuration(Duration value) {
      return new ServerVad(
          threshold, prefixPadding, value, idleTimeout, createResponse, interruptResponse);
    }

    /**
     * This setting with an idle timeout.
     *
     * @param value silence after which the server prompts the user
     * @return a copy
     */
    public ServerVad idleTimeout(Duration value) {
      return new ServerVad(
          threshold, prefixPadding, silenceDuration, value, createResponse, interruptResponse);
    }

    /**
     * This setting with {@code create_response} set.
     *
     * @param value whether the server answers at the end of each turn
     * @return a copy
     */
    public ServerVad createResponse(boolean value) {
      return new ServerVad(
          threshold, prefixPadding, silenceDuration, idleTimeout, value, interruptResponse);
    }

    /**
     * This setting with {@code interrupt_response} set.
     *
     * @param value whether speech during an answer cancels it
     * @return a copy
     */
    public ServerVad interruptResponse(boolean value) {
      return new ServerVad(
          threshold, prefixPadding, silenceDuration, idleTimeout, createResponse, value);
    }
  }

  /**
   * Semantic VAD ({@code "type": "semantic_vad"}).
   *
   * @param eagerness how soon it answers
   * @param createResponse whether the server answers at the end of each turn; null: the server's default
   * @param interruptResponse whether speech cancels the answer in flight; null: the server's default
   */
  record SemanticVad(
      Eagerness eagerness, @Nullable Boolean createResponse, @Nullable Boolean interruptResponse)
      implements TurnDetection {

    /**
     * Checks the values.
     *
     * @param eagerness how soon it answers
     * @param createResponse whether the server answers at the end of each turn
     * @param interruptResponse whether speech cancels the answer in flight
     */
    public SemanticVad {
      Objects.requireNonNull(eagerness, "eagerness");
    }
  }

  /** No turn detection: manual turns. */
  final class None implements TurnDetection {
    static final None INSTANCE = new None();

    private None() {}

    @Override
    public String toString() {
      return "TurnDetection.none()";
    }
  }

  private static void requireNotNegative(@Nullable Duration d, String name) {
    if (d != null && d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
  }
}
