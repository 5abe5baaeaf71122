package dev.genaiprocessors.audio;

/**
 * The G.711 telephone codecs (ITU-T G.711): μ-law and A-law, each sample of 16-bit linear PCM as one byte.
 * Telephony streams (Twilio Media Streams, SIP) and the OpenAI Realtime formats {@code audio/pcmu} and
 * {@code audio/pcma} carry 8 kHz G.711; resample PCM to 8 kHz with {@link Resample} before encoding.
 *
 * <p>Stateless and thread-safe. Encoding is lossy (13 or 14 bits of magnitude are kept as a sign, a 3-bit
 * segment and a 4-bit step); decoding gives the middle of the step. Arrays are never changed in place.
 */
public final class G711 {

  /** Clip level of μ-law input, in 16-bit sample units. */
  private static final int ULAW_CLIP = 32635;

  /** The bias μ-law adds before finding the segment. */
  private static final int ULAW_BIAS = 0x84;

  private G711() {}

  /**
   * Encodes 16-bit little-endian PCM as μ-law.
   *
   * @param pcm16le signed 16-bit little-endian samples; an odd trailing byte is ignored
   * @return one byte per sample
   */
  public static byte[] encodeUlaw(byte[] pcm16le) {
    byte[] out = new byte[pcm16le.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = ulaw(sample(pcm16le, i));
    }
    return out;
  }

  /**
   * Decodes μ-law to 16-bit little-endian PCM.
   *
   * @param ulaw one byte per sample
   * @return two bytes per sample
   */
  public static byte[] decodeUlaw(byte[] ulaw) {
    byte[] out = new byte[ulaw.length * 2];
    for (int i = 0; i < ulaw.length; i++) {
      put(out, i, linearOfUlaw(ulaw[i]));
    }
    return out;
  }

  /**
   * Encodes 16-bit little-endian PCM as A-law.
   *
   * @param pcm16le signed 16-bit little-endian samples; an odd trailing byte is ignored
   * @return one byte per sample
   */
  public static byte[] encodeAlaw(byte[] pcm16le) {
    byte[] out = new byte[pcm16le.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = alaw(sample(pcm16le, i));
    }
    return out;
  }

  /**
   * Decodes A-law to 16-bit little-endian PCM.
   *
   * @param alaw one byte per sample
   * @return two bytes per sample
   */
  public static byte[] decodeAlaw(byte[] alaw) {
    byte[] out = new byte[alaw.length * 2];
    for (int i = 0; i < alaw.length; i++) {
      put(out, i, linearOfAlaw(alaw[i]));
    }
    return out;
  }

  /**
   * One sample as μ-law.
   *
   * @param sample a signed 16-bit sample
   * @return its μ-law byte
   */
  static byte ulaw(int sample) {
    int sign = (sample >> 8) & 0x80;
    int magnitude = sign != 0 ? -sample : sample;
    magnitude = Math.min(magnitude, ULAW_CLIP) + ULAW_BIAS;
    int segment = segmentOf(magnitude >> 7);
    int step = (magnitude >> (segment + 3)) & 0x0F;
    return (byte) ~(sign | (segment << 4) | step);
  }

  /**
   * One μ-law byte as a sample.
   *
   * @param ulaw the byte
   * @return the signed 16-bit sample
   */
  static int linearOfUlaw(byte ulaw) {
    int u = ~ulaw & 0xFF;
    int magnitude = ((((u & 0x0F) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4)) - ULAW_BIAS;
    return (u & 0x80) != 0 ? -magnitude : magnitude;
  }

  /**
   * One sample as A-law.
   *
   * @param sample a signed 16-bit sample
   * @return its A-law byte
   */
  static byte alaw(int sample) {
    int sign = sample >= 0 ? 0x80 : 0;
    int magnitude = sample >= 0 ? sample : -sample - 1;
    magnitude = Math.min(magnitude, 0x7FFF) >> 3; // 13 bits
    int encoded;
    if (magnitude < 32) {
      encoded = magnitude >> 1;
    } else {
      int segment = segmentOf(magnitude >> 5) + 1;
      encoded = (segment << 4) | ((magnitude >> segment) & 0x0F);
    }
    return (byte) ((sign | encoded) ^ 0x55);
  }

  /**
   * One A-law byte as a sample.
   *
   * @param alaw the byte
   * @return the signed 16-bit sample
   */
  static int linearOfAlaw(byte alaw) {
    int a = (alaw ^ 0x55) & 0xFF;
    int step = a & 0x0F;
    int segment = (a & 0x70) >> 4;
    int magnitude = segment == 0 ? (step << 4) + 8 : ((step << 4) + 0x108) << (segment - 1);
    return (a & 0x80) != 0 ? magnitude : -magnitude;
  }

  /** The segment of a value: the position of its highest set bit, 0 to 7 (0 for 0 and 1). */
  private static int segmentOf(int value) {
    int segment = 0;
    for (int v = value >> 1; v > 0 && segment < 7; v >>= 1) {
      segment++;
    }
    return segment;
  }

  private static int sample(byte[] pcm, int index) {
    return (short) ((pcm[2 * index] & 0xFF) | (pcm[2 * index + 1] << 8));
  }

  private static void put(byte[] pcm, int index, int sample) {
    pcm[2 * index] = (byte) sample;
    pcm[2 * index + 1] = (byte) (sample >> 8);
  }
}
