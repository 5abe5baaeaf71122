package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.gemini.live.ClientMessages.Kind;
import dev.genaiprocessors.gemini.live.ClientMessages.Outgoing;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * The messages waiting to be sent: tool responses first, then everything else in arrival order.
 *
 * <p><b>Bound and policy.</b> Holds up to {@code capacity} messages. When full, a new message makes
 * room by dropping the oldest realtime media message (audio or video), which is counted; text, turns,
 * activity signals and tool responses are never dropped. Whoever fills the queue asks {@link #hasRoom()}
 * before taking the next part, so a queue full of messages that cannot be dropped stops the input
 * instead of growing: the size never passes {@code capacity + 1}. Not thread-safe: the session's tasks,
 * run one at a time, own it.
 */
final class SendQueue {
  private final int capacity;
  private final ArrayDeque<Outgoing> toolResponses = new ArrayDeque<>();
  private final ArrayDeque<Outgoing> others = new ArrayDeque<>();
  private int media;
  private long dropped;

  SendQueue(int capacity) {
    this.capacity = capacity;
  }

  void add(Outgoing message) {
    if (size() >= capacity && media > 0) {
      dropOldestMedia();
    }
    if (message.kind() == Kind.TOOL_RESPONSE) {
      toolResponses.add(message);
    } else {
      others.add(message);
      if (message.droppable()) {
        media++;
      }
    }
  }

  /** True when another message can be taken without passing the bound (or by dropping media). */
  boolean hasRoom() {
    return size() < capacity || media > 0;
  }

  @Nullable Outgoing poll() {
    Outgoing next = toolResponses.poll();
    if (next == null) {
      next = others.poll();
      if (next != null && next.droppable()) {
        media--;
      }
    }
    return next;
  }

  boolean isEmpty() {
    return toolResponses.isEmpty() && others.isEmpty();
  }

  int size() {
    return toolResponses.size() + others.size();
  }

  /** Media messages dropped so far. */
  long dropped() {
    return dropped;
  }

  private void dropOldestMedia() {
    for (Iterator<Outgoing> it = others.iterator(); it.hasNext(); ) {
      if (it.next().droppable()) {
        it.remove();
        media--;
        dropped++;
        return;
      }
    }
  }
}
