package dev.genaiprocessors.live.metrics;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Substreams;

/**
 * Follows one subscription of an observed stage, part by part, and records what the parts tell into the
 * stage's meters: the answer's timings, interruptions, gaps in its audio. Times are the scheduler's, in
 * nanoseconds. Input and output arrive on different threads: every method holds this object's lock,
 * briefly, and allocates nothing.
 *
 * <p>The rules are those {@link RealTimeMetrics} documents: a turn ends (the user is done and an answer is
 * awaited) at the first turn-ending part while no answer is under way, or after the user started speaking
 * over the answer; the answer starts at the model's first content and ends at an end of turn or an
 * interruption.
 */
final class StageObserver {
  private static final long NONE = -1;

  private final StageMeters meters;

  /** When the user's turn ended, awaiting an answer; and when the user stopped speaking. */
  private long turnEnd = NONE;

  private boolean turnEndFirm;
  private long speechEnd = NONE;
  private boolean speechEndFirm;

  /** The answer under way: its turn end and speech end, whether audio came, when audio would run dry. */
  private boolean answering;

  private long answerTurnEnd = NONE;
  private long answerSpeechEnd = NONE;
  private boolean answerAudio;
  private long playedUntil = NONE;

  /** When the user started speaking over the answer under way, and when its last audio left. */
  private long bargeIn = NONE;

  private long lastAudio = NONE;

  StageObserver(StageMeters meters) {
    this.meters = meters;
  }

  synchronized void input(Part part, long now) {
    PartKind kind = PartKind.of(part);
    meters.part(false, kind);
    if (kind == PartKind.AUDIO) {
      meters.audio(false, audioNanos(part));
    } else if (part.isStartOfSpeech() || part.isInterrupted()) {
      userStartedSpeaking(now);
    } else if (part.isEndOfSpeech()) {
      turnEnded(now, true, true);
    } else if (part.hasFlag(PartMetadata.AUDIO_STREAM_END)) {
      turnEnded(now, false, true);
    } else if (kind == PartKind.FUNCTION_RESPONSE) {
      // A function's answer asks for a new answer, whatever is under way.
      answering = false;
      turnEnd = now;
      turnEndFirm = true;
    } else if (part.isEndOfTurn() || part.isFinalTranscription()) {
      turnEnded(now, true, false);
    } else if (kind == PartKind.TEXT && !isAside(part)) {
      turnEnded(now, false, false);
    }
  }

  synchronized void output(Part part, long now) {
    PartKind kind = PartKind.of(part);
    meters.part(true, kind);
    if (part.isException()) {
      meters.errors.increment();
    } else if (part.isStartOfSpeech()) {
      userStartedSpeaking(now);
    } else if (part.isEndOfSpeech()) {
      turnEnded(now, true, true);
    } else if (part.isFinalTranscription()
        && part.substream().equalsIgnoreCase(Substreams.INPUT_TRANSCRIPTION)
        && !part.text().isBlank()) {
      // What the provider heard the user say: the only sign of a turn's end when its voice
      // detection shows no speech events (the local provider). An empty one (nothing was heard)
      // is no turn, as a live model processor does not answer it.
      turnEnded(now, false, false);
    } else if (part.isInterrupted()) {
      if (answering) {
        meters.interruptions.increment();
        long from = bargeIn != NONE ? bargeIn : now;
        StageMeters.record(meters.interruptionLatency, lastAudio > from ? lastAudio - from : 0);
        answerEnded();
      } else if (turnEnd != NONE) {
        // Cut before it said anything: the user's next turn ends anew.
        meters.interruptions.increment();
        turnEnd = NONE;
        speechEnd = NONE;
      }
    } else if (part.isEndOfTurn()) {
      if (answering) {
        if (answerTurnEnd != NONE) {
          StageMeters.record(meters.processing, now - answerTurnEnd);
        }
        answerEnded();
      }
    } else if (isModelContent(part, kind)) {
      content(part, kind, now);
    }
  }

  private void content(Part part, PartKind kind, long now) {
    if (!answering) {
      answering = true;
      meters.answers.increment();
      answerTurnEnd = turnEnd;
      answerSpeechEnd = speechEnd;
      turnEnd = NONE;
      speechEnd = NONE;
      if (answerTurnEnd != NONE) {
        StageMeters.record(meters.firstToken, now - answerTurnEnd);
      }
    }
    if (kind != PartKind.AUDIO) {
      return;
    }
    long duration = audioNanos(part);
    meters.audio(true, duration);
    lastAudio = now;
    if (!answerAudio) {
      answerAudio = true;
      if (answerTurnEnd != NONE) {
        StageMeters.record(meters.firstAudio, now - answerTurnEnd);
      }
      if (answerSpeechEnd != NONE) {
        StageMeters.record(meters.speechToAnswer, now - answerSpeechEnd);
      }
      playedUntil = now + duration;
    } else if (now > playedUntil) {
      // The audio so far would have finished playing before this part came: playback ran dry.
      meters.underruns.increment();
      StageMeters.record(meters.audioGaps, now - playedUntil);
      playedUntil = now + duration;
    } else {
      playedUntil += duration;
    }
  }

  private void userStartedSpeaking(long now) {
    if (answering && bargeIn == NONE) {
      bargeIn = now;
    }
  }

  /**
   * A part that may end the user's turn. A firm one (an end of speech, an end of turn, a final
   * transcription) ends it; a loose one (a user text, an audio-stream end) ends it only until a firm one
   * comes, since a processor that reads text into its prompt answers at the firm one.
   */
  private void turnEnded(long now, boolean firm, boolean speech) {
    if (answering && bargeIn == NONE) {
      return; // the user's turn already ended: this one is late news of it
    }
    if (turnEnd == NONE || (firm && !turnEndFirm)) {
      turnEnd = now;
      turnEndFirm = firm;
    }
    if (speech && (speechEnd == NONE || (firm && !speechEndFirm))) {
      speechEnd = now;
      speechEndFirm = firm;
    }
  }

  private void answerEnded() {
    answering = false;
    answerAudio = false;
    answerTurnEnd = NONE;
    answerSpeechEnd = NONE;
    playedUntil = NONE;
    bargeIn = NONE;
    lastAudio = NONE;
  }

  synchronized void failed() {
    meters.errors.increment();
  }

  private static boolean isModelContent(Part part, PartKind kind) {
    return kind == PartKind.AUDIO
        || kind == PartKind.FUNCTION_CALL
        || (kind == PartKind.TEXT && !isAside(part));
  }

  /** Text that is not what the conversation says: status and debug notes, the user's transcription. */
  private static boolean isAside(Part part) {
    return part.isStatus()
        || part.isDebug()
        || part.substream().equalsIgnoreCase(Substreams.INPUT_TRANSCRIPTION);
  }

  /** The playing time of 16-bit mono PCM, the live contract's audio; 0 when the rate is unknown. */
  private static long audioNanos(Part part) {
    int rate = MimeTypes.sampleRate(part.mimeType()).orElse(0);
    return rate <= 0 ? 0 : part.bytes().length / 2L * 1_000_000_000L / rate;
  }
}
