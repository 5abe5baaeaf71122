package dev.genaiprocessors.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import org.junit.jupiter.api.Test;

class InboundQueueTest {

  @Test
  void whenFullTheOldestAudioIsDroppedAndCountedAndControlIsKept() {
    InboundQueue q = new InboundQueue(3);
    Part control = Part.endOfTurn();
    Part a1 = Part.audio(new byte[] {1, 0}, 16000);
    Part a2 = Part.audio(new byte[] {2, 0}, 16000);
    Part a3 = Part.audio(new byte[] {3, 0}, 16000);
    assertThat(q.offer(control)).isTrue();
    assertThat(q.offer(a1)).isTrue();
    assertThat(q.offer(a2)).isTrue();
    assertThat(q.offer(a3)).isTrue();
    assertThat(q.droppedAudio()).isEqualTo(1);
    assertThat(q.poll()).isEqualTo(control);
    assertThat(q.poll()).isEqualTo(a2);
    assertThat(q.poll()).isEqualTo(a3);
    assertThat(q.poll()).isNull();
  }

  @Test
  void aQueueFullOfControlPartsRefusesMore() {
    InboundQueue q = new InboundQueue(2);
    assertThat(q.offer(Part.endOfTurn())).isTrue();
    assertThat(q.offer(Part.interrupted())).isTrue();
    assertThat(q.offer(Part.text("x"))).isFalse();
    assertThat(q.offer(Part.audio(new byte[2], 16000))).isFalse();
    assertThat(q.size()).isEqualTo(2);
  }
}
