package dev.genaiprocessors.server;

import dev.genaiprocessors.core.Part;
import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The bounded buffer between a client and its pipeline: at most {@code capacity} parts. Policy when
 * full: the oldest audio part is dropped and counted (live audio that the pipeline could not keep up
 * with is stale anyway); control and text parts are never dropped, and when the buffer is full of them
 * {@link #offer} refuses (the server then closes the connection: the client sends control messages
 * faster than its pipeline reads them).
 *
 * <p>Used as the queue of a unicast sink (one producer, the connection's event loop; one consumer, the
 * pipeline); every method holds the queue's lock for a few steps only, never while waiting.
 */
final class InboundQueue extends AbstractQueue<Part> {
  private final ArrayDeque<Part> parts;
  private final int capacity;
  private final AtomicLong droppedAudio = new AtomicLong();

  InboundQueue(int capacity) {
    this.capacity = capacity;
    this.parts = new ArrayDeque<>(Math.min(capacity, 64));
  }

  long droppedAudio() {
    return droppedAudio.get();
  }

  @Override
  public synchronized boolean offer(Part part) {
    if (parts.size() >= capacity) {
      Iterator<Part> it = parts.iterator();
      boolean freed = false;
      while (it.hasNext()) {
        if (it.next().isAudio()) {
          it.remove();
          droppedAudio.incrementAndGet();
          freed = true;
          break;
        }
      }
      if (!freed) {
        return false;
      }
    }
    parts.addLast(part);
    return true;
  }

  @Override
  public synchronized @Nullable Part poll() {
    return parts.pollFirst();
  }

  @Override
  public synchronized @Nullable Part peek() {
    return parts.peekFirst();
  }

  @Override
  public synchronized int size() {
    return parts.size();
  }

  @Override
  public synchronized boolean isEmpty() {
    return parts.isEmpty();
  }

  @Override
  public synchronized void clear() {
    parts.clear();
  }

  /** Not supported: the sink never iterates its queue. */
  @Override
  public Iterator<Part> iterator() {
    throw new UnsupportedOperationException("the inbound queue is not iterable");
  }
}
