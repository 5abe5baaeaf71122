package dev.genaiprocessors.gemini.speech;

import dev.genaiprocessors.audio.speech.SpeechSynthesizer;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.GeminiModel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Text-to-speech in the cloud, for when a key is set: each sentence is sent to a Gemini text-to-speech
 * model ({@code responseModalities: ["AUDIO"]} with a prebuilt voice), which answers with 24 kHz PCM.
 * Use it in a {@code TextToSpeech} (processors-offline) like any synthesiser:
 *
 * <pre>{@code
 * SpeechSynthesizer cloud = GeminiSpeechSynthesizer.of(GeminiModel.builder("gemini-2.5-flash-preview-tts").build(), "Kore");
 * Processor speak = TextToSpeech.builder(cloud).build();
 * }</pre>
 *
 * <p><b>Blocking</b>: {@link #synthesize} waits for the whole sentence's audio (at most 60 s), then hands
 * it to the sink; {@code TextToSpeech} (processors-offline) calls it on {@code boundedElastic}. <b>Errors</b>: a failing call
 * is an {@link IllegalStateException} whose message comes from the client, which never shows the key.
 */
public final class GeminiSpeechSynthesizer implements SpeechSynthesizer {

  private final GeminiModel model;
  private final String voice;
  private final Duration timeout;

  private GeminiSpeechSynthesizer(GeminiModel model, String voice, Duration timeout) {
    this.model = model;
    this.voice = voice;
    this.timeout = timeout;
  }

  /**
   * A synthesiser speaking with a prebuilt voice ({@code Kore}, {@code Puck}, ...) on a text-to-speech
   * model; the model's client settings (key, base URL, retries) are kept, its generation config is
   * replaced by the audio one.
   *
   * @param model a Gemini text-to-speech model
   * @param voice the prebuilt voice's name, such as {@code Kore}
   * @return a new synthesizer
   */
  public static GeminiSpeechSynthesizer of(GeminiModel model, String voice) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(voice, "voice");
    if (voice.isBlank()) {
      throw new IllegalArgumentException("voice must name a prebuilt voice, such as Kore");
    }
    return new GeminiSpeechSynthesizer(
        model.toBuilder().rawGenerationConfig(audioConfig(voice)).build(),
        voice,
        Duration.ofSeconds(60));
  }

  static ObjectNode audioConfig(String voice) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.putArray("responseModalities").add("AUDIO");
    config
        .putObject("speechConfig")
        .putObject("voiceConfig")
        .putObject("prebuiltVoiceConfig")
        .put("voiceName", voice);
    return config;
  }

  @Override
  public String name() {
    return "gemini-tts (" + model.model() + ", " + voice + ")";
  }

  @Override
  public void synthesize(String text, PcmSink sink) {
    List<Part> audio;
    try {
      audio =
          model
              .apply(Flux.just(Part.text(text).withRole("user")))
              .filter(Part::isAudio)
              .collectList()
              .block(timeout);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Gemini speech synthesis failed: " + e.getMessage(), e);
    }
    if (audio == null) {
      return;
    }
    for (Part part : audio) {
      int rate = MimeTypes.sampleRate(part.mimeType()).orElse(24000);
      if (!sink.accept(part.bytes(), rate)) {
        return;
      }
    }
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "GeminiSpeechSynthesizer[" + model.model() + ", " + voice + "]";
  }
}
