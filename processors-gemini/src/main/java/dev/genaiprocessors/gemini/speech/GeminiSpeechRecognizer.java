package dev.genaiprocessors.gemini.speech;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.speech.SpeechMetadata;
import dev.genaiprocessors.audio.speech.SpeechRecognizer;
import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.GeminiModel;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;

/**
 * Speech-to-text in the cloud, for when a key is set: each utterance is sent to a Gemini model as a
 * WAV file with an instruction to transcribe it, and the model's text is the transcript. Use it in a
 * {@code SpeechToText} (processors-offline) like any recogniser:
 *
 * <pre>{@code
 * SpeechRecognizer cloud = new GeminiSpeechRecognizer(GeminiModel.builder("gemini-2.5-flash").build());
 * Processor listen = Vad.builder().build().then(SpeechToText.builder(cloud).build());
 * }</pre>
 *
 * <p><b>Blocking</b>: {@link #recognize} waits for the model's answer (at most the timeout, 60 s by
 * default); {@code SpeechToText} (processors-offline) calls it on {@code boundedElastic}. There are no interim results.
 * <b>Errors</b>: a failing call (bad key, quota, network) is an {@link IllegalStateException} whose
 * message and cause come from the client, which never shows the key. <b>Quality</b>: a language model
 * transcribing, open vocabulary; the text depends on the model.
 */
public final class GeminiSpeechRecognizer implements SpeechRecognizer {

  /** The rate of the audio sent: 16 kHz, what Gemini takes. */
  public static final int SAMPLE_RATE = 16000;

  static final String INSTRUCTION =
      "Transcribe the speech in this audio exactly, as plain text, with no other "
          + "words. If there is no speech, answer with nothing.";

  private final GeminiModel model;
  private final Duration timeout;

  /**
   * A recogniser on this model, waiting at most 60 s per utterance.
   *
   * @param model the Gemini model that transcribes
   */
  public GeminiSpeechRecognizer(GeminiModel model) {
    this(model, Duration.ofSeconds(60));
  }

  /**
   * A recogniser on this model, waiting at most {@code timeout} per utterance.
   *
   * @param model the Gemini model that transcribes
   * @param timeout the longest wait for one utterance's transcription, positive
   */
  public GeminiSpeechRecognizer(GeminiModel model, Duration timeout) {
    this.model = Objects.requireNonNull(model, "model");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  @Override
  public int sampleRate() {
    return SAMPLE_RATE;
  }

  @Override
  public Map<String, Object> metadata() {
    return Map.of(
        SpeechMetadata.MODEL,
        "gemini transcription (" + model.model() + ")",
        SpeechMetadata.QUALITY,
        "cloud");
  }

  @Override
  public String recognize(InputStream pcm16le, Consumer<String> interim) throws IOException {
    byte[] pcm = pcm16le.readAllBytes();
    if (pcm.length < 2) {
      return "";
    }
    if ((pcm.length & 1) != 0) {
      pcm = java.util.Arrays.copyOf(pcm, pcm.length - 1);
    }
    Part audio = Part.bytes(Wav.encode(pcm, SAMPLE_RATE), "audio/wav").withRole("user");
    Part ask = Part.text(INSTRUCTION).withRole("user");
    try {
      String text =
          model
              .apply(Flux.just(audio, ask))
              .filter(
                  p ->
                      p.isText()
                          && p.substream().isEmpty()
                          && !ResponseMetadata.isSummary(p)
                          && !ResponseMetadata.isThought(p))
              .map(Part::text)
              .reduce("", String::concat)
              .block(timeout);
      return text == null ? "" : text.strip();
    } catch (RuntimeException e) {
      throw new IllegalStateException("Gemini transcription failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "GeminiSpeechRecognizer[" + model.model() + "]";
  }
}
