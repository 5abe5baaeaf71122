package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.live.metrics.MediaDrops;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client events waiting to be sent, in order.
 *
 * <p><b>Bound and policy.</b> Holds {@code capacity} events. When full, a new event makes room by dropping the
 * oldest {@code input_audio_buffer.append} (counted, and logged now and then); other events are never
 * dropped. Whoever fills it asks {@link #hasRoom()} before taking the next input part, so a queue full of
 * events that cannot be dropped stops the input instead of growing. Not thread-safe: the session owns it.
 */
final class SendQueue {
  private static final Logger log = LoggerFactory.getLogger(SendQueue.class);

  /** One event, as UTF-8 JSON text (handed to the socket as it is, never changed); droppable for audio appends. */
  record Outgoing(byte[] utf8, boolean droppable) {
    /** The event as text (for tests and logs; the hot path sends {@link #utf8}). */
    String json() {
      return new String(utf8, StandardCharsets.UTF_8);
    }
  }

  private final int capacity;
  private final ArrayDeque<Outgoing> events = new ArrayDeque<>();
  private int droppable;
  private long dropped;
  private MediaDrops drops = MediaDrops.NONE;

  SendQueue(int capacity) {
    this.capacity = capacity;
  }

  void add(String json, boolean isDroppable) {
    add(json.getBytes(StandardCharsets.UTF_8), isDroppable);
  }

  void add(byte[] utf8, boolean isDroppable) {
    if (events.size() >= capacity && droppable > 0) {
      for (Iterator<Outgoing> it = events.iterator(); it.hasNext(); ) {
        if (it.next().droppable()) {
          it.remove();
          droppable--;
          dropped++;
          drops.dropped(1);
          if (dropped == 1 || dropped % 100 == 0) {
            log.warn("OpenAI Realtime: send queue full; {} audio chunks dropped so far", dropped);
          }
          break;
        }
      }
    }
    events.addLast(new Outgoing(utf8, isDroppable));
    if (isDroppable) {
      droppable++;
    }
  }

  /** Puts events before everything queued, in the given order (the settings of a new connection). */
  void addFirst(java.util.List<String> first) {
    for (int i = first.size() - 1; i >= 0; i--) {
      events.addFirst(new Outgoing(first.get(i).getBytes(StandardCharsets.UTF_8), false));
    }
  }

  @Nullable Outgoing poll() {
    Outgoing o = events.pollFirst();
    if (o != null && o.droppable()) {
      droppable--;
    }
    return o;
  }

  /** True when another event can be taken without passing the bound (or by dropping audio). */
  boolean hasRoom() {
    return events.size() < capacity || droppable > 0;
  }

  boolean isEmpty() {
    return events.isEmpty();
  }

  /** Forgets every event but audio (what was meant for a session that ended). */
  void keepOnlyAudio() {
    events.removeIf(o -> !o.droppable());
  }

  /** Where each drop is also reported (the conversation's metrics); {@link MediaDrops#NONE} by default. */
  void reportDropsTo(MediaDrops drops) {
    this.drops = drops;
  }

  /** Audio appends dropped so far. */
  long dropped() {
    return dropped;
  }
}
