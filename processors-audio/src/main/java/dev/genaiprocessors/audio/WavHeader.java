package dev.genaiprocessors.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The format of a WAV file, read from its header: the chunks up to the start of the {@code data}
 * chunk. Unknown chunks (such as {@code LIST}) are skipped, with the pad byte after odd-sized ones.
 * Anything but 16-bit integer PCM in one or two channels is an {@link UnsupportedAudioException}.
 */
final class WavHeader {

  /** {@link #dataLength()} when the header does not say (a streaming writer's placeholder). */
  static final long UNKNOWN_LENGTH = -1;

  private static final int FORMAT_PCM = 0x0001;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  private static final int MAX_FORMAT_CHUNK = 1 << 16;

  /** Bytes 2..15 of KSDATAFORMAT_SUBTYPE_PCM and its siblings; bytes 0..1 hold the format tag. */
  private static final byte[] SUBFORMAT_GUID_TAIL = {
    0x00,
    0x00,
    0x00,
    0x00,
    0x10,
    0x00,
    (byte) 0x80,
    0x00,
    0x00,
    (byte) 0xAA,
    0x00,
    0x38,
    (byte) 0x9B,
    0x71
  };

  /** Where a header is read from; positioned at the start of the file. */
  interface Source {
    /** Reads into {@code dst} as {@link java.nio.channels.ReadableByteChannel#read} does; -1 at the end. */
    int read(ByteBuffer dst) throws IOException;

    /** Skips {@code count} bytes (past the end is allowed; reads then find the end). */
    void skip(long count) throws IOException;
  }

  private final int channels;
  private final int sampleRate;
  private final long dataLength;

  private WavHeader(int channels, int sampleRate, long dataLength) {
    this.channels = channels;
    this.sampleRate = sampleRate;
    this.dataLength = dataLength;
  }

  /** 1 or 2. */
  int channels() {
    return channels;
  }

  int sampleRate() {
    return sampleRate;
  }

  /** Bytes in one frame (one sample of every channel). */
  int frameSize() {
    return channels * Pcm.BYTES_PER_SAMPLE;
  }

  /** The size the {@code data} chunk declares, or {@link #UNKNOWN_LENGTH}. */
  long dataLength() {
    return dataLength;
  }

  /**
   * Reads the header; on return the source is positioned at the first byte of the samples.
   *
   * @throws UnsupportedAudioException when the bytes are not a WAV file this package reads
   * @throws IOException when the source fails
   */
  static WavHeader read(Source in) throws IOException {
    ByteBuffer riff = readExactly(in, 12, "the RIFF header");
    String id = fourCc(riff, 0);
    if (!id.equals("RIFF")) {
      String what =
          switch (id) {
            case "RIFX" -> "a big-endian RIFX file";
            case "RF64" -> "an RF64 (64-bit) WAV file";
            default -> "not a WAV file: it starts with '" + id + "' where 'RIFF' was expected";
          };
      throw new UnsupportedAudioException(what);
    }
    String form = fourCc(riff, 8);
    if (!form.equals("WAVE")) {
      throw new UnsupportedAudioException("a RIFF file of form '" + form + "', not 'WAVE'");
    }
    int channels = 0;
    int rate = 0;
    while (true) {
      ByteBuffer chunk =
          readChunkHeader(in, channels == 0 ? "the 'fmt ' chunk" : "the 'data' chunk");
      String chunkId = fourCc(chunk, 0);
      long size = Integer.toUnsignedLong(chunk.getInt(4));
      if (chunkId.equals("fmt ")) {
        if (size < 16 || size > MAX_FORMAT_CHUNK) {
          throw new UnsupportedAudioException(
              "a 'fmt ' chunk of " + size + " bytes (16 to 40 expected)");
        }
        ByteBuffer format = readExactly(in, (int) size, "the 'fmt ' chunk");
        channels = checkFormat(format);
        rate = format.getInt(4);
        in.skip(size & 1);
      } else if (chunkId.equals("data")) {
        if (channels == 0) {
          throw new UnsupportedAudioException("a 'data' chunk before any 'fmt ' chunk");
        }
        return new WavHeader(channels, rate, size == 0xFFFF_FFFFL ? UNKNOWN_LENGTH : size);
      } else {
        in.skip(size + (size & 1));
      }
    }
  }

  /** Checks a format chunk and returns its channel count. */
  private static int checkFormat(ByteBuffer format) {
    int tag = Short.toUnsignedInt(format.getShort(0));
    int channels = Short.toUnsignedInt(format.getShort(2));
    long rate = Integer.toUnsignedLong(format.getInt(4));
    int blockAlign = Short.toUnsignedInt(format.getShort(12));
    int bits = Short.toUnsignedInt(format.getShort(14));
    if (tag == FORMAT_EXTENSIBLE) {
      if (format.capacity() < 40) {
        throw new UnsupportedAudioException(
            "a truncated WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk of "
                + format.capacity()
                + " bytes (40 expected)");
      }
      for (int i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
        if (format.get(26 + i) != SUBFORMAT_GUID_TAIL[i]) {
          throw new UnsupportedAudioException(
              "WAVE_FORMAT_EXTENSIBLE with an unknown subformat GUID");
        }
      }
      tag = Short.toUnsignedInt(format.getShort(24));
    }
    if (tag != FORMAT_PCM) {
      throw new UnsupportedAudioException(formatName(tag, bits) + " samples");
    }
    if (bits != 16) {
      throw new UnsupportedAudioException(bits + "-bit PCM samples");
    }
    if (channels < 1 || channels > 2) {
      throw new UnsupportedAudioException(channels + " channels");
    }
    if (rate == 0 || rate > Integer.MAX_VALUE) {
      throw new UnsupportedAudioException("a sample rate of " + rate + " Hz");
    }
    if (blockAlign != channels * Pcm.BYTES_PER_SAMPLE) {
      throw new UnsupportedAudioException(
          "a block size of " + blockAlign + " bytes for " + channels + " channel(s) of 16-bit PCM");
    }
    return channels;
  }

  private static String formatName(int tag, int bits) {
    return switch (tag) {
      case 0x0003 -> bits + "-bit IEEE float";
      case 0x0002 -> "Microsoft ADPCM";
      case 0x0006 -> "A-law";
      case 0x0007 -> "mu-law";
      case 0x0011 -> "IMA ADPCM";
      case 0x0055 -> "MPEG layer 3";
      default -> String.format("format tag 0x%04X", tag);
    };
  }

  private static ByteBuffer readChunkHeader(Source in, String looking) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    int read = fill(in, header);
    if (read == 0) {
      throw new UnsupportedAudioException("a WAV file that ends before " + looking);
    }
    if (read < 8) {
      throw new UnsupportedAudioException(
          "a truncated WAV header: a chunk header of " + read + " bytes (8 expected)");
    }
    return header;
  }

  private static ByteBuffer readExactly(Source in, int count, String what) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(count).order(ByteOrder.LITTLE_ENDIAN);
    int read = fill(in, buffer);
    if (read < count) {
      throw new UnsupportedAudioException(
          "a truncated WAV header: "
              + read
              + " bytes of "
              + what
              + " where "
              + count
              + " were expected");
    }
    return buffer;
  }

  /** Reads until the buffer is full or the source ends; returns the bytes read. */
  private static int fill(Source in, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (in.read(buffer) < 0) {
        break;
      }
    }
    return buffer.position();
  }

  /** Four bytes as ASCII, non-printable bytes shown as {@code ?}. */
  private static String fourCc(ByteBuffer buffer, int offset) {
    byte[] id = new byte[4];
    for (int i = 0; i < 4; i++) {
      byte b = buffer.get(offset + i);
      id[i] = b >= 0x20 && b < 0x7F ? b : (byte) '?';
    }
    return new String(id, StandardCharsets.US_ASCII);
  }
}
