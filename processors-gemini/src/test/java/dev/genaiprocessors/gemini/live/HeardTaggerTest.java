package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.LiveParts;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Gemini's answers named per turn, and the milliseconds heard put on the interruption. */
class HeardTaggerTest {
  final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  @AfterEach
  void stop() {
    clock.dispose();
  }

  static Part audio(int millis) {
    return Part.audio(new byte[24 * 2 * millis], 24_000).withRole("model");
  }

  @Test
  void audioIsNamedPerTurnAndAnInterruptionCarriesWhatThePlayerReportedAsHeard() {
    HeardAudio heard = new HeardAudio(clock);
    HeardTagger tagger = new HeardTagger(heard);

    Part first = tagger.output(audio(500));
    assertThat(first.metadata(LiveParts.ANSWER_ID)).isEqualTo("turn-1");
    heard.released(first, 0, 500);
    assertThat(tagger.output(Part.endOfTurn().withRole("model")).metadata(LiveParts.HEARD_MS))
        .isNull();

    Part second = tagger.output(audio(1000));
    assertThat(second.metadata(LiveParts.ANSWER_ID)).isEqualTo("turn-2");
    heard.released(second, 500, 1000);
    clock.advanceTimeBy(Duration.ofMillis(500 + 437));
    Part cut = tagger.output(Part.interrupted());
    assertThat(LiveParts.heardMillisOf(cut)).hasValue(437);

    // Audio after the interruption starts the next answer.
    assertThat(tagger.output(audio(100)).metadata(LiveParts.ANSWER_ID)).isEqualTo("turn-3");
  }

  @Test
  void heardIsAtMostWhatArrivedAndAbsentWithoutAudioOrTracker() {
    HeardAudio heard = new HeardAudio(clock);
    HeardTagger tagger = new HeardTagger(heard);
    Part a = tagger.output(audio(200));
    heard.released(a, 0, 300); // a player that claims more than it was given
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(LiveParts.heardMillisOf(tagger.output(Part.interrupted()))).hasValue(200);
    assertThat(LiveParts.heardMillisOf(tagger.output(Part.interrupted()))).isEmpty();

    HeardTagger untracked = new HeardTagger(null);
    assertThat(untracked.output(audio(100)).metadata(LiveParts.ANSWER_ID)).isEqualTo("turn-1");
    assertThat(LiveParts.heardMillisOf(untracked.output(Part.interrupted()))).isEmpty();
  }
}
