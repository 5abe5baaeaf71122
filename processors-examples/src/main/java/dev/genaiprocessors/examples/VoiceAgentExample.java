package dev.genaiprocessors.examples;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Resample;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.speech.SpeechRecognizer;
import dev.genaiprocessors.audio.vad.Vad;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.live.LiveModelProcessor;
import dev.genaiprocessors.live.TurnTrigger;
import dev.genaiprocessors.offline.responder.OfflineResponder;
import dev.genaiprocessors.offline.stt.SpeechToText;
import dev.genaiprocessors.offline.stt.SphinxRecognizer;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import dev.genaiprocessors.offline.tts.TextToSpeech;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * A realtime voice agent made of turn-based parts: voice activity detection, speech-to-text, a
 * turn-based model, text-to-speech and the audio rate limiter, made live by {@link LiveModelProcessor}.
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.VoiceAgentExample \
 *     -Dexec.args="[user.wav|-] [agent.wav] [--language-model]"
 * }</pre>
 *
 * <p>By default (no argument, or {@code -}) the user's side is speech made with FreeTTS from a few
 * scripted lines, fed in at real time as a microphone would. Offline, every part is a local engine: the
 * energy VAD, Sphinx4, the {@link OfflineResponder} (a MiniLM intent matcher, not a language model: it
 * says so), FreeTTS, and the rate limiter, which tells the live processor what was played so that an
 * interrupted answer enters the history as what was heard. With {@code GEMINI_API_KEY} set, the model is
 * Gemini. The transcripts are printed and the agent's voice is written to {@code target/agent.wav}; it
 * takes about half a minute.
 *
 * <p><b>What it can hear.</b> For the scripted lines Sphinx4 runs in grammar mode: it knows those lines
 * and nothing else, and hears them exactly. <b>Your own recording</b> (a 16-bit PCM WAV file as the first
 * argument) would come out as nothing, or as the nearest scripted line, in that mode; so with a file, or
 * with {@code --language-model}, Sphinx4 runs with its open-vocabulary n-gram language model instead. That
 * mode is <em>demo quality</em>: it is two to three times slower than real time on two cores (the
 * transcriber skips what it cannot keep up with, and says so in a warning), and it gets many words of
 * real conversational speech wrong; clear, slow speech fares best. Its transcripts carry {@code
 * quality=demo}. A missing file is an error that names the path.
 */
public final class VoiceAgentExample {

  static final List<String> USER_LINES =
      List.of(
          "Hello there.",
          "What is the weather like today?",
          "Tell me a joke.",
          "Thank you, goodbye.");

  private VoiceAgentExample() {}

  /**
   * The agent: user audio in; transcriptions, the model's text and its paced 16 kHz voice out.
   *
   * @param model a turn-based model: the user's words in, its answer out
   */
  static Processor agent(Processor model) {
    return agent(model, SphinxRecognizer.grammar(USER_LINES));
  }

  /**
   * The agent, hearing the user with this recognizer.
   *
   * @param model a turn-based model: the user's words in, its answer out
   * @param recognizer the speech-to-text engine for the user's side
   */
  static Processor agent(Processor model, SpeechRecognizer recognizer) {
    Processor speak = TextToSpeech.builder(FreeTtsSynthesizer.kevin16()).keepText(true).build();
    // Each conversation gets its own pacer, which tells that conversation what its user heard.
    LiveModelProcessor live =
        LiveModelProcessor.builderPerConversation(
                heard -> model.then(speak).then(AudioRateLimiter.builder().listener(heard).build()))
            .triggers(TurnTrigger.FINAL_TRANSCRIPTION)
            .build();
    Processor listen =
        Vad.builder()
            .build()
            .then(SpeechToText.builder(recognizer).passAudio(false).interimResults(false).build());
    return listen.then(live);
  }

  public static void main(String[] args) throws Exception {
    List<String> positional = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
    boolean languageModel = Arrays.asList(args).contains("--language-model");
    String in = positional.isEmpty() ? "-" : positional.get(0);
    Path wav = in.equals("-") ? null : Path.of(in).toAbsolutePath();
    if (wav != null && !Files.isRegularFile(wav)) {
      System.err.println(
          "No such WAV file: " + wav + " (give - or nothing to use the scripted lines)");
      System.exit(2);
    }

    boolean hasKey =
        GeminiModel.API_KEY_VARIABLES.stream()
            .anyMatch(v -> System.getenv(v) != null && !System.getenv(v).isBlank());
    Processor model =
        hasKey
            ? GeminiModel.builder(System.getProperty("gemini.model", "gemini-2.5-flash"))
                .systemInstruction(
                    "You are a friendly voice assistant. Answer in one or two short spoken sentences.")
                .build()
            : OfflineResponder.builder().build();
    System.out.println(
        hasKey ? "Model: Gemini (key from the environment)" : "Model: " + OfflineResponder.MODEL);

    SpeechRecognizer recognizer;
    if (wav != null || languageModel) {
      recognizer = SphinxRecognizer.languageModel();
      System.out.println(
          "Speech to text: Sphinx4 with its open-vocabulary language model, demo quality: slower than"
              + " real time on two cores (what it cannot keep up with is skipped) and often wrong on real speech."
              + (wav != null
                  ? " (Its grammar mode knows only this example's scripted lines, so it would hear nothing in your recording.)"
                  : ""));
    } else {
      recognizer = SphinxRecognizer.grammar(USER_LINES);
      System.out.println(
          "Speech to text: Sphinx4 in grammar mode, which knows only the scripted lines: "
              + USER_LINES);
    }

    Part userAudio =
        wav != null
            ? Wav.toPcmPart(Part.bytes(Files.readAllBytes(wav), "audio/wav"))
            : Part.audio(speak(USER_LINES, 4.0), FreeTtsSynthesizer.SAMPLE_RATE);
    List<Part> chunks = Pcm.split(userAudio, Duration.ofMillis(20));
    Flux<Part> microphone =
        Flux.interval(Duration.ofMillis(20))
            .take(chunks.size())
            .map(i -> chunks.get(i.intValue()).withRole("user"))
            .transform(Resample.to(16000));

    Path out =
        Path.of(positional.size() > 1 ? positional.get(1) : "target/agent.wav").toAbsolutePath();
    Files.createDirectories(out.getParent());
    AtomicLong start = new AtomicLong(System.nanoTime());
    StringBuilder answer = new StringBuilder();
    Flux<Part> voice =
        microphone
            .transform(agent(model, recognizer))
            .doOnNext(
                part -> {
                  String at = String.format("%6.2f s", (System.nanoTime() - start.get()) / 1e9);
                  if (part.isFinalTranscription()) {
                    System.out.println(
                        at
                            + "  you:   "
                            + (part.text().isBlank() ? "(nothing recognised)" : part.text()));
                  } else if (part.isInterrupted()) {
                    System.out.println(
                        at
                            + "  agent: "
                            + answer.toString().strip()
                            + " -- interrupted by the user");
                    answer.setLength(0);
                  } else if (part.isText()
                      && part.role().equals("model")
                      && part.substream().isEmpty()
                      && !part.isEndOfTurn()) {
                    answer.append(part.text());
                  } else if (part.isEndOfTurn() && answer.length() > 0) {
                    System.out.println(at + "  agent: " + answer.toString().strip());
                    answer.setLength(0);
                  }
                })
            .filter(p -> p.isAudio() && p.content() instanceof PartContent.Bytes);
    Wav.write(voice, out).block(Duration.ofMinutes(5));
    System.out.println("The agent's voice is in " + out);
  }

  /** FreeTTS speech of each line, each followed by {@code gapSeconds} of silence: the user's side. Blocking. */
  static byte[] speak(List<String> lines, double gapSeconds) {
    FreeTtsSynthesizer voice = FreeTtsSynthesizer.kevin16();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[2 * FreeTtsSynthesizer.SAMPLE_RATE / 2]);
    for (String line : lines) {
      voice.synthesize(
          line,
          (pcm, rate) -> {
            out.writeBytes(pcm);
            return true;
          });
      out.writeBytes(new byte[2 * (int) (gapSeconds * FreeTtsSynthesizer.SAMPLE_RATE)]);
    }
    voice.close();
    return out.toByteArray();
  }
}
