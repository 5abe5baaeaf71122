package dev.genaiprocessors.offline.tts;

import dev.genaiprocessors.audio.Resampler;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a WAV file from a stream as it arrives and hands its samples on in pieces, trusting nothing in
 * the header but the format: a program writing WAV to a pipe cannot go back to fill in the sizes, so
 * espeak-ng, for one, writes placeholders there. The samples run from the {@code data} chunk to the end
 * of the stream. Only 16-bit PCM, mono, is accepted.
 *
 * <p><b>Hostile output.</b> The shape of every header field is checked before it is used: a {@code fmt }
 * chunk shorter than the 16 bytes of PCM's format, a rate above {@link #MAX_SAMPLE_RATE}, a stream that
 * ends inside a header, a {@code data} chunk before the format, all are an {@link IOException} saying
 * what was found (an {@link EOFException} for a stream cut short). Memory is one 8 KiB piece at a time,
 * whatever the header declares; a chunk the reader skips is read past, never held.
 */
final class WavStream {

  /** Receives pieces of PCM; returns false to stop reading. */
  @FunctionalInterface
  interface Pieces {
    boolean accept(byte[] pcm16le, int sampleRate);
  }

  private static final int PIECE_BYTES = 8192;

  /** The size of PCM's format fields: tag, channels, rate, byte rate, block align, bits. */
  private static final int PCM_FORMAT_BYTES = 16;

  /** The highest sample rate accepted, in Hz: the highest the audio package resamples from. */
  static final int MAX_SAMPLE_RATE = Resampler.MAX_SAMPLE_RATE;

  private WavStream() {}

  /**
   * Reads the stream to its end (or until {@code pieces} returns false).
   *
   * @param source a name for error messages (the program that wrote the stream)
   * @throws IOException when the stream cannot be read, or is not 16-bit mono PCM WAV (the message says
   *     what it is instead)
   */
  static void read(InputStream in, String source, Pieces pieces) throws IOException {
    byte[] riff = readFully(in, 12, source);
    if (!ascii(riff, 0).equals("RIFF") || !ascii(riff, 8).equals("WAVE")) {
      throw new IOException(
          source + " did not write a WAV file (it starts with '" + ascii(riff, 0) + "')");
    }
    int sampleRate = 0;
    while (true) {
      byte[] header = readFully(in, 8, source);
      String id = ascii(header, 0);
      long size = littleEndianInt(header, 4) & 0xffffffffL;
      if (id.equals("fmt ")) {
        if (size < PCM_FORMAT_BYTES) {
          throw new IOException(
              source
                  + " wrote a WAV 'fmt ' chunk of "
                  + size
                  + " bytes; at least "
                  + PCM_FORMAT_BYTES
                  + " are expected (16-bit PCM, mono)");
        }
        byte[] fmt = readFully(in, (int) Math.min(size, 64), source);
        skip(in, size - fmt.length + (size & 1), source);
        int format = littleEndianShort(fmt, 0);
        int channels = littleEndianShort(fmt, 2);
        sampleRate = littleEndianInt(fmt, 4);
        int bits = littleEndianShort(fmt, 14);
        if (format != 1
            || channels != 1
            || bits != 16
            || sampleRate <= 0
            || sampleRate > MAX_SAMPLE_RATE) {
          throw new IOException(
              source
                  + " wrote WAV audio of format "
                  + format
                  + ", "
                  + channels
                  + " channel(s), "
                  + bits
                  + " bits at "
                  + Integer.toUnsignedString(sampleRate)
                  + " Hz; expected 16-bit PCM (format 1), mono, at 1 to "
                  + MAX_SAMPLE_RATE
                  + " Hz");
        }
      } else if (id.equals("data")) {
        if (sampleRate == 0) {
          throw new IOException(source + " wrote a WAV data chunk before its format chunk");
        }
        stream(in, sampleRate, pieces);
        return;
      } else {
        skip(in, size + (size & 1), source);
      }
    }
  }

  /** Hands on everything up to the end of the stream, in even-sized pieces, whatever the header said. */
  private static void stream(InputStream in, int sampleRate, Pieces pieces) throws IOException {
    byte[] buffer = new byte[PIECE_BYTES];
    int filled = 0;
    int n;
    while ((n = in.read(buffer, filled, buffer.length - filled)) >= 0) {
      filled += n;
      if (filled == buffer.length) {
        if (!pieces.accept(buffer, sampleRate)) {
          return;
        }
        buffer = new byte[PIECE_BYTES];
        filled = 0;
      }
    }
    int even = filled & ~1;
    if (even > 0) {
      byte[] last = new byte[even];
      System.arraycopy(buffer, 0, last, 0, even);
      pieces.accept(last, sampleRate);
    }
  }

  private static byte[] readFully(InputStream in, int count, String source) throws IOException {
    byte[] bytes = in.readNBytes(count);
    if (bytes.length < count) {
      throw new EOFException(
          source
              + " ended its WAV output after "
              + bytes.length
              + " of "
              + count
              + " header bytes"
              + (bytes.length == 0 ? " (it wrote nothing)" : ""));
    }
    return bytes;
  }

  private static void skip(InputStream in, long count, String source) throws IOException {
    long left = count;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException(source + " ended its WAV output inside a chunk header");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static String ascii(byte[] b, int offset) {
    return new String(b, offset, 4, StandardCharsets.US_ASCII);
  }

  private static int littleEndianShort(byte[] b, int offset) {
    return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8;
  }

  private static int littleEndianInt(byte[] b, int offset) {
    return (b[offset] & 0xff)
        | (b[offset + 1] & 0xff) << 8
        | (b[offset + 2] & 0xff) << 16
        | (b[offset + 3] & 0xff) << 24;
  }
}
