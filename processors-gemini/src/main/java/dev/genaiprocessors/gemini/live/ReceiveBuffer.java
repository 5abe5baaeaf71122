package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.Part;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.MonoSink;

/**
 * The parts waiting for the subscriber, and the end of the output.
 *
 * <p><b>Bound and policy.</b> Parts are emitted as the subscriber requests them. When {@code capacity} parts
 * wait, the frame reader is held ({@link #holdReader}) until the subscriber has taken some, so the buffer
 * never holds more than {@code capacity} parts plus those of one message, and a message gives at most
 * {@code max(capacity, 256)} parts (the decoder refuses more with a typed error); so at most
 * {@code capacity + max(capacity, 256)} parts wait. Nothing is dropped. The end
 * (completion or error) is signalled after every buffered part. Owned by the session's tasks, run one at a time; not
 * thread-safe.
 */
final class ReceiveBuffer {
  private final FluxSink<Part> sink;
  private final int capacity;
  private final ArrayDeque<Part> parts = new ArrayDeque<>();
  private @Nullable MonoSink<Void> reader;
  private boolean ending;
  private boolean ended;
  private @Nullable Throwable failure;
  private volatile int highWater;

  ReceiveBuffer(FluxSink<Part> sink, int capacity) {
    this.sink = sink;
    this.capacity = capacity;
  }

  void add(Part part) {
    parts.add(part);
    if (parts.size() > highWater) {
      highWater = parts.size();
    }
  }

  boolean hasRoom() {
    return parts.size() < capacity;
  }

  /** Lets the frame reader go on now if there is room or the output has ended, else when there is. */
  void holdReader(MonoSink<Void> permit) {
    if (hasRoom() || ended) {
      permit.success();
    } else {
      reader = permit;
    }
  }

  /** Emits what the subscriber asked for, releases the reader when there is room, and ends when empty. */
  void drain() {
    while (!parts.isEmpty() && !sink.isCancelled() && sink.requestedFromDownstream() > 0) {
      sink.next(parts.poll());
    }
    if (hasRoom()) {
      releaseReader();
    }
    if (ending && parts.isEmpty() && !ended) {
      ended = true;
      Throwable f = failure;
      if (f != null) {
        sink.error(f);
      } else {
        sink.complete();
      }
    }
  }

  /** Ends the output after the buffered parts: with the first failure given, or completion. */
  void end(@Nullable Throwable error) {
    if (failure == null && !ended) {
      failure = error;
    }
    ending = true;
    drain();
  }

  void releaseReader() {
    MonoSink<Void> permit = reader;
    reader = null;
    if (permit != null) {
      permit.success();
    }
  }

  /** True while the frame reader is held for want of room: the socket is not being read. */
  boolean readerHeld() {
    return reader != null;
  }

  /** The most parts that ever waited (for tests of the bound). */
  int highWater() {
    return highWater;
  }
}
