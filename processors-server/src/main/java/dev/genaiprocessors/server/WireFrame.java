package dev.genaiprocessors.server;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One WebSocket data frame (a whole message: fragmented messages are joined before a codec sees them),
 * as a {@link ConnectionCodec} reads and writes it. The server turns these into Netty frames and back;
 * a codec never touches Netty.
 *
 * <p>Ownership: a {@link Binary} frame holds its array without copying it; whoever makes one hands the
 * array over and must not change it afterwards.
 */
public sealed interface WireFrame {

  /**
   * A text frame.
   *
   * @param text the message, UTF-8 on the wire
   */
  record Text(String text) implements WireFrame {
    /**
     * A text frame.
     *
     * @param text the message
     */
    public Text {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return "Text[" + text.length() + " chars]";
    }
  }

  /**
   * A binary frame.
   *
   * @param bytes the payload, owned by the frame from now on
   */
  record Binary(byte[] bytes) implements WireFrame {
    /**
     * A binary frame.
     *
     * @param bytes the payload
     */
    public Binary {
      Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public String toString() {
      return "Binary[" + bytes.length + " bytes]";
    }
  }

  /**
   * A text frame.
   *
   * @param text the message
   * @return the frame
   */
  static WireFrame text(String text) {
    return new Text(text);
  }

  /**
   * A binary frame.
   *
   * @param bytes the payload, handed over (not copied)
   * @return the frame
   */
  static WireFrame binary(byte[] bytes) {
    return new Binary(bytes);
  }

  /**
   * The size of the payload on the wire.
   *
   * @return bytes of payload (a text frame's UTF-8 length)
   */
  default int payloadBytes() {
    if (this instanceof Binary b) {
      return b.bytes().length;
    }
    return ((Text) this).text().getBytes(StandardCharsets.UTF_8).length;
  }
}
