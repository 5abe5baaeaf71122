package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.Part;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open WAV file read one chunk at a time: the state behind {@link Wav#read}. Blocking; not
 * thread-safe (Reactor's {@code generate} calls it from one thread at a time).
 *
 * <p><b>Memory</b> is sized by what the file holds, never by what its header declares alone: the read
 * buffer is the requested chunk, or the sample bytes present in the file when it was opened (at least
 * {@value #MIN_BUFFER_BYTES} bytes) when that is less. A 54-byte file that declares 2,147,483,647 Hz
 * therefore costs a few kilobytes, not the 400 MB of a 100 ms chunk at that rate. A file that grows
 * while it is read is still read to its end, in parts no larger than that buffer.
 */
final class WavFileReader {

  /** The smallest read buffer, in bytes (rounded down to whole frames). */
  static final int MIN_BUFFER_BYTES = 4096;

  private static final Logger log = LoggerFactory.getLogger(WavFileReader.class);

  private final FileChannel channel;
  private final WavHeader header;
  private final ByteBuffer buffer;

  /** Sample bytes not yet read, or {@code Long.MAX_VALUE} when the header does not say. */
  private long remaining;

  private WavFileReader(FileChannel channel, WavHeader header, int chunkFrames) {
    this.channel = channel;
    this.header = header;
    this.buffer =
        ByteBuffer.allocate(chunkFrames * header.frameSize()).order(ByteOrder.LITTLE_ENDIAN);
    this.remaining =
        header.dataLength() == WavHeader.UNKNOWN_LENGTH ? Long.MAX_VALUE : header.dataLength();
  }

  /**
   * Opens the file and reads its header.
   *
   * @throws IllegalArgumentException when {@code chunk} is shorter than one sample at the file's rate
   * @throws UnsupportedAudioException when the file is not a supported WAV file
   */
  static WavFileReader open(Path file, Duration chunk) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      WavHeader header =
          WavHeader.read(
              new WavHeader.Source() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                  return channel.read(dst);
                }

                @Override
                public void skip(long count) throws IOException {
                  channel.position(channel.position() + count);
                }
              });
      long chunkSamples;
      try {
        chunkSamples = Pcm.samples(Pcm.bytes(chunk, header.sampleRate()));
      } catch (ArithmeticException e) {
        chunkSamples =
            Long.MAX_VALUE; // a chunk longer than any file: bounded below by what is there
      }
      if (chunkSamples < 1) {
        throw new IllegalArgumentException(
            "chunk of " + chunk + " is shorter than one sample at " + header.sampleRate() + " Hz");
      }
      long present = Math.max(0, channel.size() - channel.position());
      long there =
          header.dataLength() == WavHeader.UNKNOWN_LENGTH
              ? present
              : Math.min(header.dataLength(), present);
      long boundFrames = Math.max(there, MIN_BUFFER_BYTES) / header.frameSize();
      int maxFrames = (Integer.MAX_VALUE - 8) / header.frameSize();
      return new WavFileReader(
          channel, header, (int) Math.min(Math.min(chunkSamples, boundFrames), maxFrames));
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** The next chunk as an {@code audio/pcm} part, or null at the end of the samples. */
  @Nullable Part next() throws IOException {
    buffer.clear();
    if (remaining < buffer.capacity()) {
      buffer.limit((int) remaining);
    }
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // read until the chunk is full or the file ends
    }
    int frames = buffer.position() / header.frameSize();
    remaining -= buffer.position();
    if (frames == 0) {
      return null;
    }
    buffer.flip();
    return Part.audio(Wav.toMono(buffer, header.channels(), frames), header.sampleRate());
  }

  /** Closes the file; a failure to close is logged, not thrown (nothing more is read from it). */
  void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("could not close a WAV file after reading", e);
    }
  }
}
