package dev.genaiprocessors.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds WAV files chunk by chunk, including malformed and unsupported ones, for tests. */
public final class WavFiles {

  private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
  private String magic = "RIFF";
  private String form = "WAVE";

  public static WavFiles riff() {
    return new WavFiles();
  }

  WavFiles magic(String magic) {
    this.magic = magic;
    return this;
  }

  WavFiles form(String form) {
    this.form = form;
    return this;
  }

  /** A 16-byte {@code fmt } chunk. */
  WavFiles fmt(int tag, int channels, int rate, int bits) {
    int blockAlign = channels * bits / 8;
    return chunk(
        "fmt ",
        le(16)
            .putShort((short) tag)
            .putShort((short) channels)
            .putInt(rate)
            .putInt(rate * blockAlign)
            .putShort((short) blockAlign)
            .putShort((short) bits)
            .array());
  }

  /** A 40-byte {@code WAVE_FORMAT_EXTENSIBLE} chunk whose subformat is the GUID of {@code subTag}. */
  WavFiles extensible(int subTag, int channels, int rate, int bits) {
    int blockAlign = channels * bits / 8;
    ByteBuffer b =
        le(40)
            .putShort((short) 0xFFFE)
            .putShort((short) channels)
            .putInt(rate)
            .putInt(rate * blockAlign)
            .putShort((short) blockAlign)
            .putShort((short) bits)
            .putShort((short) 22)
            .putShort((short) bits)
            .putInt(channels == 1 ? 4 : 3)
            .putShort((short) subTag)
            .put(
                new byte[] {
                  0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71
                });
    return chunk("fmt ", b.array());
  }

  /** A chunk with its size, its bytes and the pad byte an odd size needs. */
  WavFiles chunk(String id, byte[] body) {
    return chunkDeclaring(id, body.length, body);
  }

  /** A chunk whose header declares {@code declared} bytes, whatever the body holds (no pad byte). */
  WavFiles chunkDeclaring(String id, long declared, byte[] body) {
    chunks.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    chunks.writeBytes(le(4).putInt((int) declared).array());
    chunks.writeBytes(body);
    if (declared == body.length && (body.length & 1) != 0) {
      chunks.write(0);
    }
    return this;
  }

  byte[] build() {
    byte[] body = chunks.toByteArray();
    ByteBuffer out = le(12 + body.length);
    out.put(magic.getBytes(StandardCharsets.US_ASCII))
        .putInt(4 + body.length)
        .put(form.getBytes(StandardCharsets.US_ASCII))
        .put(body);
    return out.array();
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
