package dev.genaiprocessors.audio.device;

import java.io.IOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.SourceDataLine;

/**
 * A sink of PCM bytes that plays them and blocks while its buffer is full: a Java Sound playback line,
 * or a fake one in tests. {@link #flush()} and {@link #close()} may be called from another thread while
 * {@link #write} blocks, and then make it return; {@link #close()} may be called more than once.
 */
interface PlaybackLine extends AutoCloseable {

  /** Queues bytes (whole frames) for playback, blocking until they fit in the line's buffer. */
  void write(byte[] buffer, int offset, int length);

  /** Drops what is queued and not yet played, at once. */
  void flush();

  /** Blocks until what is queued has played. */
  void drain();

  @Override
  void close();

  /** Opens a started line for a format; {@link DeviceUnavailableException} when there is no device. */
  @FunctionalInterface
  interface Opener {
    PlaybackLine open(AudioFormat format) throws IOException;
  }

  /** A started Java Sound playback line. */
  static PlaybackLine of(SourceDataLine line) {
    return new PlaybackLine() {
      @Override
      public void write(byte[] buffer, int offset, int length) {
        // SourceDataLine.write blocks until every byte is queued, or returns early when the line is
        // flushed, stopped or closed: then the rest is dropped, which is what those calls mean.
        line.write(buffer, offset, length);
      }

      @Override
      public void flush() {
        line.flush();
      }

      @Override
      public void drain() {
        line.drain();
      }

      @Override
      public void close() {
        line.close();
      }
    };
  }
}
