package dev.genaiprocessors.audio.device;

import java.io.IOException;
import javax.sound.sampled.TargetDataLine;

/**
 * A source of recorded PCM bytes that blocks while it waits for audio: a Java Sound capture line, or a
 * fake one in tests. {@link #close()} may be called from another thread while {@link #read} blocks, and
 * then makes it return; it may be called more than once.
 */
interface CaptureLine extends AutoCloseable {

  /**
   * Reads up to {@code length} bytes (a whole number of samples), blocking until some are recorded.
   *
   * @return how many bytes were read, at least one; or -1 when the line has ended or was closed
   */
  int read(byte[] buffer, int offset, int length) throws IOException;

  @Override
  void close();

  /** Opens a line for a format; {@link DeviceUnavailableException} when there is no device. */
  @FunctionalInterface
  interface Opener {
    CaptureLine open(javax.sound.sampled.AudioFormat format, int bufferBytes) throws IOException;
  }

  /** A started Java Sound capture line. */
  static CaptureLine of(TargetDataLine line) {
    line.start();
    return new CaptureLine() {
      @Override
      public int read(byte[] buffer, int offset, int length) {
        // TargetDataLine.read blocks until `length` bytes are read, and returns fewer only when the
        // line is stopped, flushed or closed: then the capture is over.
        int n = line.read(buffer, offset, length);
        return n > 0 ? n : -1;
      }

      @Override
      public void close() {
        line.stop();
        line.close();
      }
    };
  }
}
