package dev.genaiprocessors.core.observe;

import dev.genaiprocessors.core.Processor;
import java.util.Objects;
import java.util.logging.Level;
import reactor.core.publisher.SignalType;

/**
 * Processors that log the parts passing through them, unchanged, for debugging: Reactor's
 * {@code log} operator on the category {@code dev.genaiprocessors.parts.<name>} (SLF4J when it is on
 * the class path). Parts are logged with {@link dev.genaiprocessors.core.Part#toString()}, which
 * summarises bytes and cuts long text.
 *
 * <pre>{@code
 * Processor pipeline = PartLog.log("after-vad").then(model).then(PartLog.log("model-out"));
 * }</pre>
 */
public final class PartLog {
  private PartLog() {}

  /**
   * Logs every part, completion, error and cancellation at DEBUG ({@code FINE}).
   *
   * @param name the stage's name, appended to the log category
   * @return a processor that passes every part through unchanged and logs it
   */
  public static Processor log(String name) {
    return log(name, Level.FINE);
  }

  /**
   * Logs every part, completion, error and cancellation at the given level.
   *
   * @param name the stage's name, appended to the log category
   * @param level the log level
   * @return a processor that passes every part through unchanged and logs it
   */
  public static Processor log(String name, Level level) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(level, "level");
    String category = "dev.genaiprocessors.parts." + name;
    return input ->
        input.log(
            category,
            level,
            SignalType.ON_NEXT,
            SignalType.ON_COMPLETE,
            SignalType.ON_ERROR,
            SignalType.CANCEL);
  }
}
