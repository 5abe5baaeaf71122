package dev.genaiprocessors.openai.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SendQueueTest {

  @Test
  void whenFullTheOldestAudioMakesRoomAndOtherEventsAreNeverDropped() {
    SendQueue q = new SendQueue(3);
    q.add("a1", true);
    q.add("create", false);
    q.add("a2", true);
    assertThat(q.hasRoom()).isTrue(); // audio can make room
    q.add("a3", true);
    assertThat(q.dropped()).isEqualTo(1);
    assertThat(List.of(q.poll().json(), q.poll().json(), q.poll().json()))
        .containsExactly("create", "a2", "a3");
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void eachDropIsReportedToTheConversationsMetrics() {
    SendQueue q = new SendQueue(2);
    long[] reported = {0};
    q.reportDropsTo(count -> reported[0] += count);
    q.add("a1", true);
    q.add("a2", true);
    q.add("a3", true);
    q.add("a4", true);
    assertThat(reported[0]).isEqualTo(2).isEqualTo(q.dropped());
  }

  @Test
  void aQueueFullOfEventsThatCannotBeDroppedHasNoRoom() {
    SendQueue q = new SendQueue(2);
    q.add("x", false);
    q.add("y", false);
    assertThat(q.hasRoom()).isFalse();
  }

  @Test
  void settingsGoFirstAndAnEndedSessionKeepsOnlyItsAudio() {
    SendQueue q = new SendQueue(8);
    q.add("a1", true);
    q.add("truncate", false);
    q.keepOnlyAudio();
    q.addFirst(List.of("update", "seed"));
    assertThat(List.of(q.poll().json(), q.poll().json(), q.poll().json()))
        .containsExactly("update", "seed", "a1");
  }
}
