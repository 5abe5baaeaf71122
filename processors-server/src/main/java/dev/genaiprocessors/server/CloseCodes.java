package dev.genaiprocessors.server;

/**
 * The WebSocket close codes the server sends (RFC 6455 §7.4.1 and the IANA registry), each with the
 * situation that leads to it, so that a client in any language can tell why a conversation ended.
 *
 * <p>Every close also carries a short reason text in English; the code, not the text, is the
 * contract.
 */
public final class CloseCodes {

  /** The conversation ended normally (the client said stop, or the pipeline completed). */
  public static final int NORMAL = 1000;

  /** The server is draining or shutting down; reconnect, and the balancer picks another instance. */
  public static final int GOING_AWAY = 1001;

  /** A frame of a kind the wire format does not use, or a control message that cannot be parsed. */
  public static final int UNSUPPORTED_DATA = 1003;

  /** Refused by policy: authentication failed, the origin is not allowed, or the idle timeout ran out. */
  public static final int POLICY_VIOLATION = 1008;

  /** A frame larger than the server's frame limit. */
  public static final int MESSAGE_TOO_BIG = 1009;

  /** The pipeline failed; the reason names the error's kind, never its secrets. */
  public static final int INTERNAL_ERROR = 1011;

  /** The server is at its connection limit; try again later or elsewhere. */
  public static final int TRY_AGAIN_LATER = 1013;

  private CloseCodes() {}
}
