package dev.genaiprocessors.live.geminilive;

import java.io.IOException;

/** A connection ended in a way session resumption can recover from; drives the reconnect retries. */
final class ResumableDrop extends IOException {
  final int closeCode;
  final String closeReason;

  ResumableDrop(int closeCode, String closeReason) {
    super("connection lost (" + closeCode + (closeReason.isEmpty() ? "" : " " + closeReason) + ")");
    this.closeCode = closeCode;
    this.closeReason = closeReason;
  }

  @Override
  public Throwable fillInStackTrace() {
    return this; // a control signal for the retry loop, never shown to users
  }

  LiveSessionException exhausted(long attempts) {
    return new LiveSessionException(closeCode, closeReason,
        "Gemini Live connection lost (" + closeCode + (closeReason.isEmpty() ? "" : " " + closeReason)
            + ") and " + attempts + " reconnect attempts with the session resumption handle failed", null);
  }
}
