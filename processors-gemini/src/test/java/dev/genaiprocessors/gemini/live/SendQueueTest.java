package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.gemini.live.ClientMessages.Kind;
import dev.genaiprocessors.gemini.live.ClientMessages.Outgoing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendQueueTest {
  static Outgoing message(Kind kind, String name) {
    return new Outgoing(kind, name, false, List.of());
  }

  static List<String> drain(SendQueue q) {
    List<String> out = new ArrayList<>();
    for (Outgoing m = q.poll(); m != null; m = q.poll()) {
      out.add(m.json());
    }
    return out;
  }

  @Test
  void toolResponsesGoFirstThenEverythingElseInOrder() {
    SendQueue q = new SendQueue(10);
    q.add(message(Kind.MEDIA, "a1"));
    q.add(message(Kind.CONTENT, "t1"));
    q.add(message(Kind.TOOL_RESPONSE, "r1"));
    q.add(message(Kind.MEDIA, "a2"));
    q.add(message(Kind.TOOL_RESPONSE, "r2"));
    assertThat(drain(q)).containsExactly("r1", "r2", "a1", "t1", "a2");
  }

  @Test
  void whenFullTheOldestMediaIsDroppedAndCounted() {
    SendQueue q = new SendQueue(3);
    q.add(message(Kind.MEDIA, "a1"));
    q.add(message(Kind.CONTENT, "t1"));
    q.add(message(Kind.MEDIA, "a2"));
    q.add(message(Kind.MEDIA, "a3"));
    q.add(message(Kind.CONTENT, "t2"));
    assertThat(q.dropped()).isEqualTo(2);
    assertThat(q.size()).isEqualTo(3);
    assertThat(drain(q)).containsExactly("t1", "a3", "t2");
  }

  @Test
  void aQueueFullOfMessagesThatCannotBeDroppedHasNoRoom() {
    SendQueue q = new SendQueue(2);
    q.add(message(Kind.CONTENT, "t1"));
    assertThat(q.hasRoom()).isTrue();
    q.add(message(Kind.TOOL_RESPONSE, "r1"));
    assertThat(q.hasRoom()).isFalse();
    q.add(message(Kind.CONTENT, "t2")); // the one part already requested is still taken
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.dropped()).isZero();
    q.poll();
    q.poll();
    assertThat(q.hasRoom()).isTrue();
  }

  @Test
  void aFullQueueWithMediaStillHasRoom() {
    SendQueue q = new SendQueue(1);
    q.add(message(Kind.MEDIA, "a1"));
    assertThat(q.hasRoom()).isTrue();
    q.add(message(Kind.MEDIA, "a2"));
    assertThat(drain(q)).containsExactly("a2");
  }
}
