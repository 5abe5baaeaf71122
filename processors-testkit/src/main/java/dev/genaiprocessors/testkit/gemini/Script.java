package dev.genaiprocessors.testkit.gemini;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the emulated model answers, turn by turn: the steps of each turn, played when the user's turn
 * ends (a {@code clientContent} with {@code turnComplete}, {@code realtimeInput.text},
 * {@code activityEnd}, {@code audioStreamEnd}, or a {@code toolResponse} while the model is idle), and
 * optionally what answers the {@code setup}.
 *
 * <pre>{@code
 * Script script = Script.builder()
 *     .turn(Reply.text("Hello"), Reply.generationComplete(), Reply.turnComplete())
 *     .turn(Reply.toolCall("fc-1", "get_weather", "{\"city\":\"Paris\"}"), Reply.awaitToolResponse(),
 *           Reply.text("Sunny"), Reply.turnComplete())
 *     .build();
 * emulator.enqueue(script);
 * }</pre>
 *
 * <p>Immutable. Turns of all enqueued scripts form one queue shared by the emulator's connections, so a
 * resumed session goes on with the next turn; when it is empty the emulator's
 * {@linkplain GeminiLiveEmulator.Builder#whenScriptExhausted fallback} answers.
 */
public final class Script {
  private final List<List<Step>> turns;
  private final @Nullable List<Step> setupReply;

  private Script(List<List<Step>> turns, @Nullable List<Step> setupReply) {
    this.turns = List.copyOf(turns);
    this.setupReply = setupReply;
  }

  /**
   * A builder of an empty script.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The steps of each turn, in order.
   *
   * @return the turns, each a list of steps
   */
  public List<List<Step>> turns() {
    return turns;
  }

  /**
   * What answers a {@code setup}, or null for the default ({@code setupComplete}).
   *
   * @return the setup reply, or null
   */
  public @Nullable List<Step> setupReply() {
    return setupReply;
  }

  /** Builds a {@link Script}. */
  public static final class Builder {
    private final List<List<Step>> turns = new ArrayList<>();
    private @Nullable List<Step> setupReply;

    private Builder() {}

    /**
     * Adds a turn: the steps played when the next user turn ends.
     *
     * @param steps the steps, in order
     * @return this
     */
    public Builder turn(Step... steps) {
      turns.add(List.of(steps));
      return this;
    }

    /**
     * Replaces what answers each later {@code setup} (default: {@link Reply#setupComplete()}). Leave out
     * {@code setupComplete} to emulate a server that never answers, or put content first to emulate a
     * protocol violation.
     *
     * @param steps the steps that answer a setup, in order
     * @return this builder
     */
    public Builder setupReply(Step... steps) {
      setupReply = List.of(steps);
      return this;
    }

    /**
     * The script.
     *
     * @return the script
     */
    public Script build() {
      return new Script(turns, setupReply);
    }
  }
}
