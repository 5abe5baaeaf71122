package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.client.internal.KeepAlive;
import dev.genaiprocessors.client.internal.WebSocketLink;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Sinks;

/**
 * One WebSocket connection of a session: the Gemini Live state of a {@link WebSocketLink} (the socket, its
 * frames, keep-alive and close, shared with OpenAI Realtime). The session's tasks (one at a time) own the plain fields; the
 * sinks and the socket are the only state other threads touch.
 */
final class Link {

  /**
   * Emits true when the server first says something of substance on this link after {@code setupComplete}
   * (see {@link #progress}); empty when the link ends before. It resets the reconnect budget.
   */
  final Sinks.One<Boolean> connected = Sinks.one();

  /** Emits once the inbound side has ended, to stop the outbound side. */
  final Sinks.One<Boolean> inboundDone = Sinks.one();

  int number;

  /** The socket, once open; written only within its demand, by the session's tasks. */
  @Nullable WebSocketLink socket;

  /** The keep-alive of this connection, from its open until it ends; null when keep-alive is off. */
  @Nullable KeepAlive keepAlive;

  /** When the socket opened, in milliseconds of the session's scheduler. */
  long openedAtMillis;

  boolean setupSent;

  /** What the setup asked for, for the message of a setup timeout. */
  String setupSummary = "";

  /** The initial history is to be sent right after {@code setupComplete}. */
  boolean historyDue;

  boolean ready;

  /**
   * The server said something of substance since the setup (content, a transcription, a tool call or
   * cancellation, an interruption, a generation or turn completion); {@code setupComplete},
   * {@code sessionResumptionUpdate}, {@code goAway} and usage are not.
   */
  boolean progress;

  boolean closeRequested;

  /** Closed by the client to reconnect after {@code goAway}. */
  boolean switching;

  /** A {@code goAway} arrived on this link. */
  boolean goAway;

  boolean setupTimedOut;
  @Nullable ModelProtocolException violation;
  @Nullable Throwable transportError;

  /** The deadline timer of this connection's {@code goAway} is armed. */
  boolean goAwayTimed;

  /** Dropped by the client because the server answered nothing for {@link KeepAlive#DEAD_AFTER_PERIODS} keep-alive periods. */
  boolean deadPeer;

  /**
   * How long a connection must have been open for a {@code goAway} switch on it to be the server's routine
   * rotation, which uses no reconnect attempt even without progress (an idle session lives through any
   * number of them); a shorter-lived one uses an attempt, so a server that sends {@code goAway} right after
   * every setup still ends the session after the budget. Measured on the session's scheduler.
   */
  static final java.time.Duration SETTLED = java.time.Duration.ofMinutes(1);

  /** True when a frame can be written now without buffering. */
  boolean canSend() {
    WebSocketLink w = socket;
    return w != null && w.canSend();
  }

  void send(String json) {
    WebSocketLink w = socket;
    if (w != null) {
      w.send(json);
    }
  }

  /** Sends a message already written as UTF-8 (the array is handed over as it is). */
  void send(byte[] utf8) {
    WebSocketLink w = socket;
    if (w != null) {
      w.send(utf8);
    }
  }

  /**
   * Sends a close frame (reactor-netty closes the channel once it is written); later calls do nothing.
   * The frame is written before anything that disposes the connection afterwards.
   */
  void close(int code, String reason) {
    if (closeRequested) {
      return;
    }
    closeRequested = true;
    WebSocketLink w = socket;
    if (w != null) {
      w.close(code, reason);
    }
  }

  /**
   * Why this link ended, once it has: null for a clean end (a goAway switch, a close after goAway or a 1000
   * or 1001 close with a handle to resume from, or the session is done) after the server made
   * {@linkplain #progress progress}; a {@link ResumableDrop} for a drop without a close frame that a handle
   * can resume, or for a clean end without progress (so it uses the reconnect budget); the
   * {@link ModelProtocolException} when the server broke the protocol; a {@link ModelException} for
   * everything else.
   */
  @Nullable Throwable outcome(
      @Nullable WebSocketCloseStatus status,
      GeminiLiveSettings s,
      @Nullable String handle,
      boolean done) {
    int code = status == null ? 1006 : status.code();
    String reason = status == null ? "" : s.redactor().redact(status.reasonText());
    if (violation != null) {
      return violation;
    }
    ModelProtocolException tooBig = frameTooBig(transportError, s.maxFrameBytes);
    if (tooBig != null) {
      return tooBig;
    }
    if (setupTimedOut) {
      return LiveErrors.closed(
          1000,
          "setupComplete did not arrive within " + s.setupTimeout,
          "Gemini Live did not answer the setup within "
              + s.setupTimeout
              + "; the setup sent "
              + setupSummary
              + (s.profile() == ModelProfile.GEMINI_3_1
                      && (setupSummary.contains("enableAffectiveDialog")
                          || setupSummary.contains("proactivity"))
                  ? " (models of the 3.1 generation never answer a setup with enableAffectiveDialog or proactivity)"
                  : ""),
          null);
    }
    if (done) {
      return null;
    }
    if (deadPeer) {
      String why =
          "no answer from the server, not even a pong to the keep-alive pings, for "
              + KeepAlive.DEAD_AFTER_PERIODS
              + " keep-alive periods of "
              + s.keepAlive;
      return s.sessionResumption && handle != null
          ? new ResumableDrop(1006, why)
          : LiveErrors.closed(
              1006,
              why,
              "Gemini Live server not answering: "
                  + why
                  + " ("
                  + (s.sessionResumption ? "no resumable handle yet" : "session resumption is off")
                  + ")",
              null);
    }
    boolean settled =
        s.scheduler.now(java.util.concurrent.TimeUnit.MILLISECONDS) - openedAtMillis
            >= SETTLED.toMillis();
    if (switching) {
      return progress || settled
          ? null
          : new ResumableDrop(
              code,
              "switched after goAway before any progress, "
                  + SETTLED.toSeconds()
                  + " s after opening at most");
    }
    if (!s.sessionResumption || handle == null) {
      return ended(
          code,
          reason,
          (status == null ? "the connection ended without a close frame; " : "")
              + (s.sessionResumption ? "no resumable handle yet" : "session resumption is off"));
    }
    if (goAway || code == 1000 || code == 1001) {
      return progress || (goAway && settled)
          ? null
          : new ResumableDrop(code, reason.isEmpty() ? "closed before any progress" : reason);
    }
    return status == null
        ? new ResumableDrop(1006, "no close frame")
        : ended(code, reason, "not resumable");
  }

  /**
   * The error of a frame over the limit, when that is why the inbound side failed: netty's decoder refuses
   * a single frame whose header declares more than the limit, its aggregator a message whose fragments add
   * up to more; either way the frame is not read, so only the limit is known, not the exact size.
   */
  static @Nullable ModelProtocolException frameTooBig(@Nullable Throwable error, int limit) {
    if (dev.genaiprocessors.client.internal.WebSocketFrameLimit.exceeded(error)) {
      return LiveErrors.protocol(
          1009,
          "the Gemini Live server sent a frame of more than "
              + limit
              + " bytes, the limit set by maxFrameBytes("
              + limit
              + "); the session ends without reconnecting,"
              + " since the server would send it again: raise maxFrameBytes if such frames are expected");
    }
    return null;
  }

  private static ModelException ended(int code, String reason, String why) {
    return LiveErrors.closed(
        code,
        reason,
        "Gemini Live closed the session: "
            + code
            + (reason.isEmpty() ? "" : " " + reason)
            + " ("
            + why
            + ")",
        null);
  }

  void ended() {
    connected.tryEmitEmpty();
    KeepAlive k = keepAlive;
    if (k != null) {
      k.stop();
    }
    WebSocketLink w = socket;
    if (w != null) {
      w.endSending();
    }
  }
}
