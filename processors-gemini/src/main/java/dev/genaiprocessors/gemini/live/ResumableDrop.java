package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.error.ModelException;
import java.io.IOException;
import java.util.List;

/**
 * A connection ended in a way session resumption can recover from, before the server made progress on it;
 * drives the reconnect retries. It carries how each connection since the last progress ended, for the
 * message once the budget is spent.
 */
final class ResumableDrop extends IOException {
  final int closeCode;
  final String closeReason;
  private List<String> endings = List.of();

  ResumableDrop(int closeCode, String closeReason) {
    super("connection lost (" + closeCode + (closeReason.isEmpty() ? "" : " " + closeReason) + ")");
    this.closeCode = closeCode;
    this.closeReason = closeReason;
  }

  /** How each connection since the last progress ended, this one last; set by the session before it is thrown. */
  ResumableDrop endings(List<String> list) {
    this.endings = List.copyOf(list);
    return this;
  }

  @Override
  public Throwable fillInStackTrace() {
    return this; // a control signal for the retry loop, never shown to users
  }

  /**
   * The error once the reconnect budget is spent.
   *
   * @param attempts the reconnect attempts made since the last progress
   */
  ModelException exhausted(long attempts) {
    return LiveErrors.closed(
        closeCode,
        closeReason,
        "Gemini Live connection lost ("
            + closeCode
            + (closeReason.isEmpty() ? "" : " " + closeReason)
            + ") and "
            + attempts
            + " reconnect attempts with the session resumption handle made no progress"
            + (endings.isEmpty() ? "" : "; the connections ended: " + String.join("; ", endings)),
        null,
        (int)
            Math.min(Integer.MAX_VALUE, attempts + 1)); // the connection lost, then the reconnects
  }
}
