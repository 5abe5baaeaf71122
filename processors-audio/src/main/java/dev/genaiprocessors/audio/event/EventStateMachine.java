package dev.genaiprocessors.audio.event;

import dev.genaiprocessors.audio.event.EventDetection.Transition;
import dev.genaiprocessors.core.Part;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one {@link EventDetection} subscription: the current event, the transition being
 * confirmed and how many times in a row it was detected. Not thread-safe: the caller feeds it one
 * answer at a time, with a happens-before edge between answers.
 */
final class EventStateMachine {

  private static final Logger log = LoggerFactory.getLogger(EventDetection.class);

  private final Map<Transition, List<Part>> outputs;
  private final Map<Transition, Integer> sensitivities;
  private String state = EventDetection.START;
  private @Nullable Transition counted;
  private int count;
  private final long debounceMillis;
  private final EventMeters meters;

  /** When a transition into each event last fired, for the debounce. */
  private final Map<String, Long> lastFired = new HashMap<>();

  EventStateMachine(Map<Transition, List<Part>> outputs, Map<Transition, Integer> sensitivities) {
    this(outputs, sensitivities, 0, EventMeters.NONE);
  }

  EventStateMachine(
      Map<Transition, List<Part>> outputs,
      Map<Transition, Integer> sensitivities,
      long debounceMillis,
      EventMeters meters) {
    this.outputs = outputs;
    this.sensitivities = sensitivities;
    this.debounceMillis = debounceMillis;
    this.meters = meters;
  }

  /** The current state: {@link EventDetection#START} or the last event that fired. */
  String state() {
    return state;
  }

  /**
   * Takes one answer of the backend.
   *
   * @return the parts to emit: those of the transition it fired, or none
   */
  List<Part> onAnswer(String answer) {
    return onAnswer(answer, 0);
  }

  /**
   * Takes one answer of the backend, at this time (milliseconds of the detection's clock): a
   * transition into an event that fired less than the debounce ago is suppressed (it does not fire,
   * the state stays, and the run of detections restarts).
   *
   * @return the parts to emit: those of the transition it fired, or none
   */
  List<Part> onAnswer(String answer, long nowMillis) {
    String event = answer.strip().toLowerCase(Locale.ROOT);
    if (event.isEmpty()) {
      log.debug("blank detection answer ignored in state '{}'", state);
      return List.of();
    }
    String from = state;
    if (event.equals(from) || event.equals(EventDetection.ANY)) {
      // A self-transition never fires, and '*' is no event; either breaks a run of detections.
      counted = null;
      count = 0;
      return List.of();
    }
    Transition current = new Transition(from, event);
    count = current.equals(counted) ? count + 1 : 1;
    counted = current;
    List<Part> parts = lookup(outputs, current);
    if (parts == null && !from.equals(EventDetection.START)) {
      log.debug("transition ('{}' -> '{}') is not in the table; ignored", from, event);
      return List.of();
    }
    Integer sensitivity = lookup(sensitivities, current);
    if (sensitivity != null && count <= sensitivity) {
      log.debug(
          "transition ('{}' -> '{}') detected {} of {} times", from, event, count, sensitivity + 1);
      return List.of();
    }
    Long last = lastFired.get(event);
    if (debounceMillis > 0 && last != null && nowMillis - last < debounceMillis) {
      log.debug("transition ('{}' -> '{}') debounced", from, event);
      meters.debounced();
      counted = null;
      count = 0;
      return List.of();
    }
    log.debug("transition ('{}' -> '{}') fired", from, event);
    lastFired.put(event, nowMillis);
    meters.detected();
    state = event;
    counted = null;
    count = 0;
    return parts == null ? List.of() : parts;
  }

  /** The entry for an exact transition, else for the wildcard with the same target, else null. */
  private static <V> @Nullable V lookup(Map<Transition, V> table, Transition transition) {
    V exact = table.get(transition);
    if (exact != null || transition.from().equals(EventDetection.ANY)) {
      return exact;
    }
    return table.get(new Transition(EventDetection.ANY, transition.to()));
  }
}
