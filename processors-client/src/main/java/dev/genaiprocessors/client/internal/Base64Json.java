package dev.genaiprocessors.client.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * For internal use only. The UTF-8 text of a JSON message whose one string value is Base64 (an audio or image
 * frame of a live session), written into one array of exactly its size: a fixed prefix, the Base64 of the
 * bytes, a fixed suffix. The bytes are read from a {@link ByteBuffer} view (such as
 * {@code Part.byteBuffer()}), read-only or direct ones included, with no copy of them and no String between.
 *
 * <p>The text is byte for byte what {@link WireJson#write} gives for the same message with the Base64 as a
 * string value ({@link #of} builds the prefix and suffix that way, so the two cannot drift): standard Base64
 * with padding (RFC 4648, section 4), which JSON needs no escape for.
 *
 * <p>Immutable and thread-safe.
 */
public final class Base64Json {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.US_ASCII);

  /** The value the template holds where the Base64 goes. */
  private static final String MARK = "\u0000base64\u0000";

  private final byte[] prefix;
  private final byte[] suffix;

  private Base64Json(byte[] prefix, byte[] suffix) {
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /**
   * The frame of a message: {@code template} with {@code field} set to the Base64 of the bytes.
   *
   * @param template the message, with {@code field} anywhere in it; the message is written once here, with
   *     {@code field} set to a marker, and the node is left as it was
   * @param object the object node in {@code template} that holds {@code field}
   * @param field the name of the string field that gets the Base64
   * @return the frame's prefix and suffix
   * @throws IllegalArgumentException when the marker is not found once in the written template
   */
  public static Base64Json of(JsonNode template, ObjectNode object, String field) {
    JsonNode before = object.get(field);
    object.put(field, MARK);
    String text;
    try {
      text = WireJson.write(template);
    } finally {
      if (before == null) {
        object.remove(field);
      } else {
        object.set(field, before);
      }
    }
    // The marker is written escaped: \u0000base64\u0000.
    String written = "\"\\u0000base64\\u0000\"";
    int at = text.indexOf(written);
    if (at < 0 || text.indexOf(written, at + 1) >= 0) {
      throw new IllegalArgumentException(
          "the template does not hold the Base64 field once: " + field);
    }
    return new Base64Json(
        text.substring(0, at + 1).getBytes(StandardCharsets.UTF_8),
        text.substring(at + written.length() - 1).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The number of Base64 characters for {@code n} bytes, padding included.
   *
   * @param n the number of bytes
   * @return {@code 4 * ceil(n / 3)}
   */
  public static int encodedLength(int n) {
    return (n + 2) / 3 * 4;
  }

  /**
   * The frame's UTF-8 text with the bytes' Base64 in place; the buffer's position and limit are left as they
   * were.
   *
   * @param bytes the bytes from the buffer's position to its limit (heap or direct, read-only or not)
   * @return a new array of exactly the frame's length, owned by the caller
   * @throws IllegalArgumentException when the frame would pass the largest array
   */
  public byte[] frame(ByteBuffer bytes) {
    int n = bytes.remaining();
    long length = (long) prefix.length + encodedLength(n) + suffix.length;
    if (n > (Integer.MAX_VALUE - 16) / 4 * 3 || length > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "a frame of " + n + " bytes is too large to send as Base64 JSON");
    }
    byte[] out = new byte[(int) length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    int end = encode(bytes, out, prefix.length);
    System.arraycopy(suffix, 0, out, end, suffix.length);
    return out;
  }

  /**
   * Writes the standard, padded Base64 of the buffer's remaining bytes into {@code out} at {@code at}.
   *
   * @return the index after the last character written
   */
  static int encode(ByteBuffer bytes, byte[] out, int at) {
    int from = bytes.position();
    int to = bytes.limit();
    int o = at;
    int i = from;
    if (bytes.hasArray()) {
      byte[] in = bytes.array();
      int offset = bytes.arrayOffset();
      for (; i + 2 < to; i += 3) {
        int v =
            (in[offset + i] & 0xff) << 16
                | (in[offset + i + 1] & 0xff) << 8
                | (in[offset + i + 2] & 0xff);
        o = quad(v, out, o);
      }
    } else {
      for (; i + 2 < to; i += 3) {
        int v =
            (bytes.get(i) & 0xff) << 16
                | (bytes.get(i + 1) & 0xff) << 8
                | (bytes.get(i + 2) & 0xff);
        o = quad(v, out, o);
      }
    }
    int left = to - i;
    if (left == 1) {
      int v = (bytes.get(i) & 0xff) << 16;
      out[o++] = ALPHABET[v >>> 18];
      out[o++] = ALPHABET[(v >>> 12) & 0x3f];
      out[o++] = '=';
      out[o++] = '=';
    } else if (left == 2) {
      int v = (bytes.get(i) & 0xff) << 16 | (bytes.get(i + 1) & 0xff) << 8;
      out[o++] = ALPHABET[v >>> 18];
      out[o++] = ALPHABET[(v >>> 12) & 0x3f];
      out[o++] = ALPHABET[(v >>> 6) & 0x3f];
      out[o++] = '=';
    }
    return o;
  }

  private static int quad(int v, byte[] out, int o) {
    out[o] = ALPHABET[v >>> 18];
    out[o + 1] = ALPHABET[(v >>> 12) & 0x3f];
    out[o + 2] = ALPHABET[(v >>> 6) & 0x3f];
    out[o + 3] = ALPHABET[v & 0x3f];
    return o + 4;
  }
}
