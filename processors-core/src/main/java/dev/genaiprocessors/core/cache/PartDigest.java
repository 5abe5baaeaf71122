package dev.genaiprocessors.core.cache;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartJson;
import dev.genaiprocessors.core.PartMetadata;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Cache keys for parts: the SHA-256 of a canonical encoding, as 64 hex digits.
 *
 * <p>Parts that are {@linkplain Part#equals equal} have the same digest: {@code capture_time} is left
 * out, and role and substream are lower-cased. Byte content is hashed as it is, without encoding it.
 * Thread-safe.
 */
public final class PartDigest {
  private PartDigest() {}

  /**
   * The digest of one part.
   *
   * @param part the part
   * @return the SHA-256 of the part's canonical encoding, as 64 lower-case hex digits
   */
  public static String of(Part part) {
    MessageDigest digest = sha256();
    update(digest, part);
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The digest of a sequence of parts, in order.
   *
   * @param parts the parts, in order
   * @return the SHA-256 of the parts' canonical encodings in order, as 64 lower-case hex digits
   */
  public static String of(List<Part> parts) {
    MessageDigest digest = sha256();
    for (Part part : parts) {
      update(digest, part);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void update(MessageDigest digest, Part part) {
    Part canonical =
        part.withoutMetadata(PartMetadata.CAPTURE_TIME)
            .withRole(part.role().toLowerCase(Locale.ROOT))
            .withSubstream(part.substream().toLowerCase(Locale.ROOT));
    if (part.isBytes()) {
      updateField(digest, "bytes".getBytes(StandardCharsets.UTF_8));
      updateField(digest, part.mimeType().getBytes(StandardCharsets.UTF_8));
      ByteBuffer data = part.byteBuffer();
      digest.update(ByteBuffer.allocate(4).putInt(data.remaining()).flip());
      digest.update(data);
      canonical =
          Part.text("")
              .withRole(canonical.role())
              .withSubstream(canonical.substream())
              .withMetadata(canonical.metadata());
    }
    updateField(digest, PartJson.write(canonical).getBytes(StandardCharsets.UTF_8));
  }

  private static void updateField(MessageDigest digest, byte[] bytes) {
    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).flip());
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
