package dev.genaiprocessors.testkit.openai;

import java.util.List;
import java.util.Objects;

/**
 * A scripted step: wait for the next client event of one type, then play these actions in order.
 *
 * <p>The event is first handled as the protocol says (appended audio is buffered, a {@code session.update}
 * answered, a {@code response.create} checked); the step fires only when the event was accepted, so an event the
 * server refuses with an {@code error} does not use up a step. A step on {@code response.create} plays its
 * {@link Reply#response responses} with that event's parameters (conversation, instructions, metadata, input);
 * a response in a step on any other event is one the server starts by itself, as server VAD does. A step on
 * {@code response.create} without a {@link Reply#response} leaves that response active with nothing sent, as a
 * server that stalls (a client's {@code response.cancel} or a close ends it).
 *
 * @param clientEventType the client event type awaited, for example {@code response.create}
 * @param actions what the server does then, in order
 */
public record Step(String clientEventType, List<Action> actions) {

  /**
   * Validates and copies.
   *
   * @param clientEventType the client event type awaited
   * @param actions what the server does then
   * @throws IllegalArgumentException when the type is not a GA client event type
   */
  public Step {
    Objects.requireNonNull(clientEventType, "clientEventType");
    if (!ClientSchema.TYPES.contains(clientEventType)) {
      throw new IllegalArgumentException(
          "clientEventType must be a GA client event type such as "
              + "'response.create' or 'input_audio_buffer.append', was '"
              + clientEventType
              + "'");
    }
    actions = List.copyOf(actions);
  }

  /**
   * A step that waits for a client event of this type, then plays the actions.
   *
   * @param clientEventType the client event type awaited, for example {@code input_audio_buffer.append}
   * @param actions what the server does then, in order
   * @return the step
   * @throws IllegalArgumentException when the type is not a GA client event type
   */
  public static Step on(String clientEventType, Action... actions) {
    return new Step(clientEventType, List.of(actions));
  }
}
