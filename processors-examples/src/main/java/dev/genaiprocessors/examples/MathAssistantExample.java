package dev.genaiprocessors.examples;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeEvent.Speaker;
import dev.genaiprocessors.live.realtime.RealtimeSession;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import dev.genaiprocessors.offline.realtime.LocalRealtimeProvider;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A math assistant on {@link RealtimeVoice}: a typed question in, the spoken answer out (to a WAV file),
 * the transcripts printed. Its calculator is a plain Java method ({@link Calculator#calculate}), run
 * automatically when the model calls it.
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.MathAssistantExample \
 *     -Dexec.args="['What is (12 + 30) * 2?'] [answer.wav]"
 * }</pre>
 *
 * <p><b>Provider.</b> The first configured: OpenAI ({@code OPENAI_API_KEY}, when processors-openai
 * registers its provider), Gemini ({@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY}), else the local
 * provider, where the model is {@link MathResponder}, a rule that finds the arithmetic in the question
 * and calls the calculator (no language model runs offline). {@code -Drealtime.provider=local} forces
 * the local one.
 */
public final class MathAssistantExample {
  static final String QUESTION = "What is (12 + 30) * 2?";
  static final String INSTRUCTIONS =
      "You are a math assistant. For any arithmetic, call the calculate tool and say its result in one"
          + " short sentence.";

  private MathAssistantExample() {}

  public static void main(String[] args) throws Exception {
    String question = args.length > 0 && !args[0].equals("-") ? args[0] : QUESTION;
    Path out = Path.of(args.length > 1 ? args[1] : "target/math-answer.wav").toAbsolutePath();
    Result result =
        ask(
            question,
            System.getenv(),
            System.getProperty("realtime.provider"),
            Duration.ofMinutes(2));
    Files.createDirectories(out.getParent());
    Wav.write(reactor.core.publisher.Flux.just(Part.audio(result.pcm(), 16000)), out)
        .block(Duration.ofMinutes(1));
    System.out.println("The spoken answer is in " + out);
  }

  /** What one question gave: the final assistant transcript and its audio at 16 kHz. */
  record Result(String provider, String answer, byte[] pcm) {}

  /**
   * Asks one question and waits for the answer's final transcript.
   *
   * @param env the environment the provider is chosen from
   * @param provider a provider name, or null for the selection order
   */
  static Result ask(String question, Map<String, String> env, String provider, Duration wait)
      throws InterruptedException {
    RealtimeVoice.Builder builder = RealtimeVoice.builder().environment(env);
    if (provider != null) {
      builder.provider(provider);
    }
    String chosen =
        provider != null ? provider : RealtimeVoice.builder().environment(env).build().provider();
    boolean local = chosen.equals("local");
    if (local) {
      // No language model offline: the rule-based MathResponder calls the calculator.
      builder.provider(
          LocalRealtimeProvider.builder().responder(config -> new MathResponder()).build());
    }
    RealtimeConfig config =
        RealtimeConfig.builder()
            .instructions(INSTRUCTIONS)
            .toolsFrom(new Calculator())
            .inputSampleRate(16000)
            .outputSampleRate(16000)
            .build();
    ByteArrayOutputStream audio = new ByteArrayOutputStream();
    LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    RealtimeVoice voice =
        builder
            .config(config)
            .onAudio(audio::writeBytes)
            .onTranscript(
                (text, isFinal, speaker) -> {
                  if (isFinal) {
                    System.out.println(
                        (speaker == Speaker.USER ? "you:       " : "assistant: ") + text);
                    if (speaker == Speaker.ASSISTANT) {
                      answers.add(text);
                    }
                  }
                })
            .onError(e -> System.err.println("error: " + e))
            .build();
    System.out.println("Provider: " + voice.provider() + (local ? " (offline, no key)" : ""));
    System.out.println("you:       " + question);
    String answer;
    try (RealtimeSession session = voice.connect()) {
      session.sendText(question);
      answer = answers.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (answer == null) {
      throw new IllegalStateException("no answer within " + wait);
    }
    synchronized (audio) {
      return new Result(voice.provider(), answer, audio.toByteArray());
    }
  }
}
