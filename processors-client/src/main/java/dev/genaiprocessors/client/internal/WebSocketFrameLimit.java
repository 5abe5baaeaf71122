package dev.genaiprocessors.client.internal;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.jspecify.annotations.Nullable;

/**
 * Tells a WebSocket frame over the client's size limit from other transport failures, for the live clients
 * (Gemini Live, OpenAI Realtime), which end the session with a protocol error naming the limit and never
 * retry it (the server would send the same frame again).
 *
 * <p>Netty's decoder refuses a single frame whose header declares more than the limit, its aggregator a
 * message whose fragments add up to more; either way the frame is not read, so only the limit is known, not
 * the exact size.
 */
public final class WebSocketFrameLimit {
  private WebSocketFrameLimit() {}

  /**
   * Whether the error, or one of its causes, is netty's refusal of a frame over the limit.
   *
   * @param error the transport's error, or null
   * @return true when a frame was too big
   */
  public static boolean exceeded(@Nullable Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof TooLongFrameException
          || e instanceof CorruptedWebSocketFrameException c
              && c.closeStatus() != null
              && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
        return true;
      }
    }
    return false;
  }
}
