package dev.genaiprocessors.audio.speech;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A speech recognition engine that turns one utterance of audio into text: the interface {@code
 * SpeechToText} drives, whatever the engine ({@code SphinxRecognizer} here; a cloud service would be
 * another implementation).
 *
 * <p><b>Blocking.</b> {@link #recognize} blocks the calling thread until the utterance's audio has been
 * read to its end and decoded; {@code SpeechToText} calls it on a scheduler whose threads may block
 * ({@code Schedulers.boundedElastic()} by default), never on an event loop.
 *
 * <p><b>Streaming.</b> The audio arrives while the user is still speaking: {@code recognize} reads the
 * stream as it fills (a read blocks until more audio comes), so an engine that decodes incrementally
 * finishes soon after the stream ends, and can report interim hypotheses on the way.
 *
 * <p><b>Threads.</b> Implementations say whether they allow concurrent calls; {@code SphinxRecognizer}
 * serialises them.
 */
public interface SpeechRecognizer extends AutoCloseable {

  /**
   * The sample rate, in Hz, of the audio {@link #recognize} reads ({@code SpeechToText} resamples to it).
   *
   * @return the sample rate in Hz, positive
   */
  int sampleRate();

  /**
   * Metadata to put on every transcription part made from this engine's results, at least
   * {@link SpeechMetadata#MODEL}; JSON values only.
   *
   * @return the metadata, JSON values only
   */
  Map<String, Object> metadata();

  /**
   * Recognises one utterance, blocking until the stream ends and the last of it is decoded.
   *
   * @param pcm16le 16-bit little-endian mono PCM at {@link #sampleRate()}, read to its end; a read blocks
   *     while the speaker is still speaking
   * @param interim receives the hypothesis so far, the whole utterance's text each time, whenever the
   *     engine has a new one (possibly never); called on the calling thread
   * @return the final text, empty when nothing was recognised
   * @throws IOException when the audio cannot be read
   * @throws IllegalStateException when the engine fails; the message says what failed
   */
  String recognize(InputStream pcm16le, Consumer<String> interim) throws IOException;

  /** Frees the engine's models; later calls of {@link #recognize} fail. Idempotent. */
  @Override
  void close();
}
