package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.LiveParts;
import org.jspecify.annotations.Nullable;

/**
 * Names the answers of one Gemini Live subscription for a {@link HeardAudio}, and says on an interruption how
 * much of the cut answer was heard. Gemini has no conversation items and no truncation: the server keeps in
 * its context what it sent, not what was played, so the milliseconds heard ({@link LiveParts#HEARD_MS}) are
 * told to the pipeline only.
 *
 * <p>Every audio part of the model gets {@link LiveParts#ANSWER_ID} {@code turn-N}, N counting the model's
 * turns with audio from 1; a turn ends at its end of turn or its interruption. An {@code interrupted} part
 * that cuts a turn with audio gets {@link LiveParts#HEARD_MS}: what the player reported as heard by now, at
 * most the audio received. Runs on the session's worker, one part at a time.
 */
final class HeardTagger {
  private final @Nullable HeardAudio heard;
  private int turns;
  private @Nullable String answer;
  private long answerBytes;

  HeardTagger(@Nullable HeardAudio heard) {
    this.heard = heard;
  }

  Part output(Part p) {
    if (p.isAudio() && "model".equals(p.role())) {
      if (answer == null) {
        answer = "turn-" + ++turns;
        answerBytes = 0;
      }
      answerBytes += p.byteSize();
      return p.withMetadata(LiveParts.ANSWER_ID, answer);
    }
    if (p.isInterrupted()) {
      String cut = answer;
      answer = null;
      HeardAudio h = heard;
      if (h != null && cut != null) {
        long received = answerBytes / 2 * 1000 / GeminiLiveProcessor.OUTPUT_SAMPLE_RATE;
        return p.withMetadata(LiveParts.HEARD_MS, Math.min(h.heardMillis(cut), received));
      }
      return p;
    }
    if (p.isEndOfTurn()) {
      answer = null;
    }
    return p;
  }
}
