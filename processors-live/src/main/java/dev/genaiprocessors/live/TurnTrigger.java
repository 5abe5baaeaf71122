package dev.genaiprocessors.live;

/** What ends the user's turn and makes {@link LiveModelProcessor} ask the model for an answer. */
public enum TurnTrigger {
  /** An end-of-speech part (from a voice activity detector): the fastest. */
  END_OF_SPEECH,
  /** A final transcription of the user's words: later than end of speech, but the words are known. */
  FINAL_TRANSCRIPTION,
  /** An end-of-turn part from the user (typed input, a push-to-talk button). */
  END_OF_TURN
}
