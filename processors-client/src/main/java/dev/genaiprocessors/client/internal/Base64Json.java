package dev.genaiprocessors.client.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * For internal use only. The UTF-8 text of a JSON message whose one string value is Base64 (an audio or image
 * frame of a live session), written into one array of exactly its size: a fixed prefix, the Base64 of the
 * bytes, a fixed suffix, with no String or JSON tree between. The bytes are read from a {@link ByteBuffer}
 * view (such as {@code Part.byteBuffer()}), read-only or direct ones included; such a view is copied once
 * into an array for the JDK's encoder. {@link #decodeString} is the way back, from a frame's bytes.
 *
 * <p>The text is byte for byte what {@link WireJson#write} gives for the same message with the Base64 as a
 * string value ({@link #of} builds the prefix and suffix that way, so the two cannot drift): standard Base64
 * with padding (RFC 4648, section 4), which JSON needs no escape for.
 *
 * <p>Immutable and thread-safe.
 */
public final class Base64Json {
  private static final Base64.Encoder ENCODER = Base64.getEncoder();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

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
   * Writes the standard, padded Base64 of the buffer's remaining bytes into {@code out} at {@code at}, with
   * the JDK's encoder (intrinsic on most CPUs, several times faster than a loop here); a read-only or direct
   * buffer's bytes are copied into one array first, since the encoder takes arrays only.
   *
   * @return the index after the last character written
   */
  static int encode(ByteBuffer bytes, byte[] out, int at) {
    int n = bytes.remaining();
    byte[] src;
    if (bytes.hasArray()
        && bytes.arrayOffset() + bytes.position() == 0
        && bytes.array().length == n) {
      src = bytes.array();
    } else {
      src = new byte[n];
      bytes.duplicate().get(src);
    }
    byte[] encoded = ENCODER.encode(src);
    System.arraycopy(encoded, 0, out, at, encoded.length);
    return at + encoded.length;
  }

  /**
   * Decodes the JSON string value whose opening quote is at {@code quote} in a UTF-8 frame, when it holds
   * nothing but Base64 (the JDK's basic decoder: standard alphabet, padding optional), straight from the
   * frame's bytes with no String between.
   *
   * @param frame the frame's UTF-8 bytes
   * @param quote the index of the value's opening quote, such as a streaming parser's token offset
   * @return the decoded bytes, or null when the value holds an escape, is not closed, or is not Base64 (the
   *     caller then reads the frame another way and says what was wrong)
   */
  public static byte @Nullable [] decodeString(byte[] frame, long quote) {
    if (quote < 0 || quote >= frame.length || frame[(int) quote] != '"') {
      return null;
    }
    int from = (int) quote + 1;
    int end = from;
    while (end < frame.length && frame[end] != '"') {
      if (frame[end] == '\\') {
        return null;
      }
      end++;
    }
    if (end >= frame.length) {
      return null;
    }
    ByteBuffer decoded;
    try {
      decoded = DECODER.decode(ByteBuffer.wrap(frame, from, end - from));
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    byte[] array = decoded.array();
    if (decoded.arrayOffset() == 0
        && decoded.position() == 0
        && decoded.remaining() == array.length) {
      return array;
    }
    byte[] exact = new byte[decoded.remaining()];
    decoded.get(exact);
    return exact;
  }
}
