package dev.genaiprocessors.audio.device;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * One subscription to a {@link Microphone}: a task that opens the line, reads it chunk by chunk and
 * emits each full chunk, until it is stopped or the line ends. It owns the line; {@link #stop()} may be
 * called from any thread and closes the line from a blocking-capable thread, which ends a blocked read.
 */
final class MicrophoneCapture implements Runnable {

  static final Logger log = LoggerFactory.getLogger(Microphone.class);

  /** The capture line's own buffer, in chunks: room for the reading thread to be late by this much. */
  private static final int LINE_BUFFER_CHUNKS = 4;

  private final Microphone config;
  private final FluxSink<Part> sink;
  private volatile boolean stopped;
  private volatile @Nullable CaptureLine line;

  MicrophoneCapture(Microphone config, FluxSink<Part> sink) {
    this.config = config;
    this.sink = sink;
  }

  @Override
  public void run() {
    CaptureLine opened = null;
    try {
      if (Schedulers.isInNonBlockingThread()) {
        throw new IllegalStateException(
            "Microphone reads block, but its capture scheduler runs on a non-blocking "
                + "thread ("
                + Thread.currentThread().getName()
                + "); use Schedulers.boundedElastic() or a dedicated thread");
      }
      opened = config.opener.open(config.format(), LINE_BUFFER_CHUNKS * config.chunkBytes);
      line = opened;
      if (stopped) {
        return; // stop() ran before the line was published: close it here (finally)
      }
      log.debug("recording {} in chunks of {} bytes", config.format(), config.chunkBytes);
      readUntilEnd(opened);
    } catch (Throwable e) {
      if (!stopped) {
        sink.error(e);
      }
    } finally {
      if (opened != null) {
        opened.close();
      }
    }
  }

  private void readUntilEnd(CaptureLine opened) throws Exception {
    byte[] chunk = new byte[config.chunkBytes];
    int filled = 0;
    while (!stopped) {
      int n = opened.read(chunk, filled, chunk.length - filled);
      if (n < 0) {
        if (!stopped) {
          emitPartial(chunk, filled);
          sink.complete();
        }
        return;
      }
      filled += n;
      if (filled == chunk.length) {
        emit(chunk);
        chunk = new byte[config.chunkBytes];
        filled = 0;
      }
    }
  }

  private void emitPartial(byte[] chunk, int filled) {
    int whole = filled & ~1; // never half a sample
    if (whole > 0) {
      byte[] rest = new byte[whole];
      System.arraycopy(chunk, 0, rest, 0, whole);
      emit(rest);
    }
  }

  private void emit(byte[] samples) {
    sink.next(
        Part.audio(samples, config.sampleRate)
            .withRole(config.role)
            .withSubstream(config.substream)
            .withMetadata(PartMetadata.CAPTURE_TIME, config.clock.now(TimeUnit.MILLISECONDS)));
  }

  /** Ends the capture: the loop stops after the read in progress, which closing the line cuts short. */
  void stop() {
    stopped = true;
    CaptureLine current = line;
    if (current != null) {
      // Closing may block briefly, and this may run on a non-blocking thread (a downstream cancel).
      Schedulers.boundedElastic().schedule(current::close);
    }
  }
}
