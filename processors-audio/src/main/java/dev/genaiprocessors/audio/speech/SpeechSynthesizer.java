package dev.genaiprocessors.audio.speech;

/**
 * A text-to-speech engine that voices one piece of text (a sentence) as PCM: the interface {@code
 * TextToSpeech} drives, whatever the engine ({@code FreeTtsSynthesizer}, or flite or espeak-ng through
 * {@code ProcessSynthesizer}; in the cloud, {@code GeminiSpeechSynthesizer}).
 *
 * <p><b>Blocking and streaming.</b> {@link #synthesize} blocks the calling thread until the text is
 * voiced, handing audio to the sink in pieces as the engine makes them; {@code TextToSpeech} calls it on
 * a scheduler whose threads may block ({@code Schedulers.boundedElastic()} by default).
 *
 * <p><b>Threads.</b> Implementations say whether they allow concurrent calls.
 */
public interface SpeechSynthesizer extends AutoCloseable {

  /** Receives synthesised audio. */
  @FunctionalInterface
  interface PcmSink {
    /**
     * Takes a piece of audio.
     *
     * @param pcm16le 16-bit little-endian mono PCM, owned by the sink from now on
     * @param sampleRate its rate in Hz
     * @return false to stop the synthesis (the caller is no longer interested), true to go on
     */
    boolean accept(byte[] pcm16le, int sampleRate);
  }

  /**
   * A short description of the engine and voice, such as {@code "freetts kevin16"}.
   *
   * @return the description, for logs and metadata
   */
  String name();

  /**
   * Voices the text, blocking until it is done or the sink asks to stop.
   *
   * @param text the text to voice, typically one sentence; not empty
   * @param sink receives the audio in order, on the calling thread
   * @throws IllegalStateException when the engine fails; the message says what failed and how to fix it
   */
  void synthesize(String text, PcmSink sink);

  /** Frees the engine; later calls of {@link #synthesize} fail. Idempotent. */
  @Override
  void close();
}
