package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UtteranceAudioTest {

  @Test
  void givesTheAudioThenThePaddingThenTheEnd() throws IOException {
    AtomicLong budget = new AtomicLong();
    UtteranceAudio audio = new UtteranceAudio(budget, 100);
    audio.offer(new byte[] {1, 2, 3, 4});
    audio.offer(new byte[] {5, 6});
    audio.finish(new byte[] {0, 0});
    audio.offer(new byte[] {9, 9}); // after the end: dropped

    assertThat(budget.get()).isEqualTo(6);
    assertThat(audio.readAllBytes()).containsExactly(1, 2, 3, 4, 5, 6, 0, 0);
    assertThat(audio.read()).isEqualTo(-1);
    assertThat(budget.get()).isZero();
    assertThat(audio.truncated()).isFalse();
  }

  @Test
  void dropsWhatDoesNotFitTheSharedBudgetAndSaysSo() throws IOException {
    AtomicLong budget = new AtomicLong();
    UtteranceAudio first = new UtteranceAudio(budget, 6);
    UtteranceAudio second = new UtteranceAudio(budget, 6);

    assertThat(first.offer(new byte[4])).isTrue();
    assertThat(second.offer(new byte[4])).isFalse();
    assertThat(second.offer(new byte[2])).isTrue();
    first.finish(new byte[0]);
    assertThat(first.readAllBytes()).hasSize(4);
    assertThat(second.truncated()).isTrue();
    assertThat(budget.get()).isEqualTo(2);
  }

  @Test
  void cancellingEndsTheStreamAndFreesTheBudget() throws IOException {
    AtomicLong budget = new AtomicLong();
    UtteranceAudio audio = new UtteranceAudio(budget, 100);
    audio.offer(new byte[10]);

    audio.cancel();

    assertThat(audio.read(new byte[10], 0, 10)).isEqualTo(-1);
    assertThat(budget.get()).isZero();
    assertThat(audio.cancelled()).isTrue();
  }
}
