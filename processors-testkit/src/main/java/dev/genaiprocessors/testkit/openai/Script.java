package dev.genaiprocessors.testkit.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the emulated server does, step by step: each {@link Step} waits for a client event of its type and then
 * plays its actions.
 *
 * <pre>{@code
 * Script script = Script.builder()
 *     .on("input_audio_buffer.append", Reply.speechStarted())
 *     .on("input_audio_buffer.append", Reply.speechStopped(), Reply.response(Output.audio(pcm, "Hi!")),
 *         Reply.inputTranscript("Hello"))
 *     .on("response.create", Reply.response(Output.functionCall("get_weather", "{\"city\":\"Paris\"}")))
 *     .build();
 * emulator.enqueue(script);
 * }</pre>
 *
 * <p>Immutable. The steps of every enqueued script form one queue, shared by the emulator's connections, and
 * only its head waits: a client event of another type is handled by the protocol alone. A {@code response.create}
 * no step waits for is answered by the emulator's
 * {@linkplain OpenAiRealtimeEmulator.Builder#whenScriptExhausted fallback}.
 */
public final class Script {
  private final List<Step> steps;

  private Script(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * A builder of an empty script.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The steps, in order.
   *
   * @return an immutable list
   */
  public List<Step> steps() {
    return steps;
  }

  /** Builds a {@link Script}; not thread-safe. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a step.
     *
     * @param step the step
     * @return this builder
     */
    public Builder step(Step step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    /**
     * Adds a step that waits for a client event of this type, then plays the actions.
     *
     * @param clientEventType the client event type awaited
     * @param actions what the server does then, in order
     * @return this builder
     * @throws IllegalArgumentException when the type is not a GA client event type
     */
    public Builder on(String clientEventType, Action... actions) {
      return step(Step.on(clientEventType, actions));
    }

    /**
     * The script.
     *
     * @return an immutable script of the steps added so far
     */
    public Script build() {
      return new Script(steps);
    }
  }
}
