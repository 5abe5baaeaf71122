package dev.genaiprocessors.live.realtime;

/** Receives transcripts: {@link RealtimeVoice.Builder#onTranscript}. */
@FunctionalInterface
public interface TranscriptListener {
  /**
   * A transcript delta, or the whole utterance when {@code isFinal}.
   *
   * @param text the new text, or the whole utterance when final
   * @param isFinal true when the utterance is complete
   * @param speaker who said it: the user or the assistant
   */
  void onTranscript(String text, boolean isFinal, RealtimeEvent.Speaker speaker);
}
