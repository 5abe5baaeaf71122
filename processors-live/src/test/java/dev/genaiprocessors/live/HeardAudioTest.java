package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class HeardAudioTest {

  @Test
  void countsReleasedChunksUpToNowAndNeverDroppedOnes() {
    HeardAudio heard = new HeardAudio();
    Part a = Part.audio(new byte[4800], 24000).withMetadata(LiveParts.ANSWER_ID, "item_1");
    heard.released(a, 1000, 100);
    heard.released(a, 1100, 100);
    heard.released(a, 1300, 100); // after a 100 ms gap in playback
    heard.dropped(List.of(a, a), 1350);
    assertThat(heard.heardMillis("item_1", 999)).isZero();
    assertThat(heard.heardMillis("item_1", 1150)).isEqualTo(150);
    assertThat(heard.heardMillis("item_1", 1250)).isEqualTo(200);
    assertThat(heard.heardMillis("item_1", 1350)).isEqualTo(250);
    assertThat(heard.heardMillis("item_1", 5000)).isEqualTo(300);
    assertThat(heard.heardMillis("item_2", 5000)).isZero();
  }

  @Test
  void asksThePlayersClockAndIgnoresAudioOfNoAnswer() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    try {
      HeardAudio heard = new HeardAudio(clock);
      heard.released(Part.audio(new byte[4800], 24000), 0, 100); // no answer id: not counted
      heard.released(
          Part.audio(new byte[4800], 24000).withMetadata(LiveParts.ANSWER_ID, "turn-1"), 0, 100);
      clock.advanceTimeBy(Duration.ofMillis(42));
      assertThat(heard.heardMillis("turn-1")).isEqualTo(42);
      clock.advanceTimeBy(Duration.ofSeconds(1));
      assertThat(heard.heardMillis("turn-1")).isEqualTo(100);
    } finally {
      clock.dispose();
    }
  }

  @Test
  void remembersTheLastAnswersOnly() {
    HeardAudio heard = new HeardAudio();
    for (int i = 0; i <= HeardAudio.MAX_ANSWERS; i++) {
      heard.released(
          Part.audio(new byte[480], 24000).withMetadata(LiveParts.ANSWER_ID, "a" + i), 0, 10);
    }
    assertThat(heard.heardMillis("a0", 100)).isZero();
    assertThat(heard.heardMillis("a" + HeardAudio.MAX_ANSWERS, 100)).isEqualTo(10);
  }

  @Test
  void theHeardMillisOfAnInterruptedPart() {
    assertThat(LiveParts.heardMillisOf(Part.interrupted().withMetadata(LiveParts.HEARD_MS, 437L)))
        .hasValue(437);
    assertThat(LiveParts.heardMillisOf(Part.interrupted())).isEmpty();
  }
}
