package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.Part;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A WAV file being written: the state behind {@link Wav#write}. Blocking. {@link #append} and
 * {@link #finish} are synchronized, because a cancellation may finish the file while a part is being
 * written on another thread.
 */
final class WavFileWriter {

  /** Parts that may wait between the source and the file. */
  static final int PREFETCH = 32;

  /** The rate written in the header when no audio arrived. */
  static final int EMPTY_FILE_RATE = 16000;

  private final FileChannel channel;
  private int sampleRate;
  private String firstMimeType = "";
  private long dataBytes;
  private boolean finished;

  private WavFileWriter(FileChannel channel) {
    this.channel = channel;
  }

  /** Creates or truncates the file and writes a header for no samples yet. */
  static WavFileWriter open(Path file) throws IOException {
    FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    WavFileWriter writer = new WavFileWriter(channel);
    try {
      writeFully(channel, Wav.header(0, EMPTY_FILE_RATE), 0);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return writer;
  }

  /**
   * Appends the samples of a streaming audio part; skips parts that are not audio.
   *
   * @throws IllegalArgumentException for non-streaming audio, a rate other than the first part's, or a
   *     file that would pass the WAV size limit
   */
  synchronized void append(Part part) throws IOException {
    if (finished || !part.isAudio()) {
      return;
    }
    int rate = Pcm.sampleRate(part);
    long size = Pcm.samples(part.byteSize()) * Pcm.BYTES_PER_SAMPLE;
    if (sampleRate == 0) {
      sampleRate = rate;
      firstMimeType = part.mimeType();
    } else if (rate != sampleRate) {
      throw new IllegalArgumentException(
          "a WAV file holds one sample rate: got "
              + rate
              + " Hz ("
              + part.mimeType()
              + ") after "
              + sampleRate
              + " Hz ("
              + firstMimeType
              + "); resample first");
    }
    if (dataBytes + size > Wav.MAX_DATA_BYTES) {
      throw new IllegalArgumentException(
          "a WAV file holds at most "
              + Wav.MAX_DATA_BYTES
              + " bytes of samples; split the recording");
    }
    writeFully(channel, part.byteBuffer(), Wav.HEADER_SIZE + dataBytes);
    dataBytes += size;
  }

  /** Writes the header for the samples written so far and closes the file; later calls do nothing. */
  synchronized void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try (channel) {
      writeFully(channel, Wav.header(dataBytes, sampleRate == 0 ? EMPTY_FILE_RATE : sampleRate), 0);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer bytes, long position)
      throws IOException {
    long at = position;
    while (bytes.hasRemaining()) {
      at += channel.write(bytes, at);
    }
  }
}
