package dev.genaiprocessors.examples;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.metrics.RealTimeMetrics;
import dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import dev.genaiprocessors.testkit.openai.Output;
import dev.genaiprocessors.testkit.openai.Reply;
import dev.genaiprocessors.testkit.openai.Script;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One voice pipeline, two live providers: the question as audio in, the model's answer paced by the audio
 * rate limiter and written to a WAV file, the transcripts printed. The only line that differs between Gemini
 * Live and OpenAI Realtime is the one that builds the {@link LiveProcessor}.
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.RealtimeVoiceExample \
 *     -Dexec.args="[gemini|openai] [question.wav|-] [reply.wav]"
 * }</pre>
 *
 * <p><b>Provider.</b> The first argument, {@code gemini} or {@code openai}; without it, OpenAI when
 * {@code OPENAI_API_KEY} is set, else Gemini. With the provider's key set ({@code OPENAI_API_KEY},
 * {@code GEMINI_API_KEY}) the real API is called; without it (the default on a fresh machine) the provider's
 * loopback emulator answers with a scripted reply, so the example runs offline.
 *
 * <p><b>In.</b> A WAV file, or by default the question {@value LiveVoiceExample#QUESTION} voiced offline with
 * FreeTTS, followed by a second of silence (so that the server's voice detection hears the end of the turn)
 * and an audio-stream-end part. Each provider resamples it to its own rate (16 kHz for Gemini, 24 kHz for
 * OpenAI).
 *
 * <p><b>Out.</b> The model's audio, paced by an {@link AudioRateLimiter} (which tells OpenAI's
 * {@link HeardAudio} what was played, for barge-in truncation), goes to the WAV file (default
 * {@code target/realtime-reply.wav}). The session ends when the model's turn is complete.
 */
public final class RealtimeVoiceExample {
  static final String OPENAI_MODEL = "gpt-realtime";
  static final Duration SESSION_TIMEOUT = Duration.ofMinutes(2);

  /** What the emulators answer. */
  static final String EMULATOR_REPLY =
      "This is the local emulator. Set a provider's API key to talk to the real model.";

  private RealtimeVoiceExample() {}

  /** A live processor, and the tracker of what was heard (null when the provider needs none). */
  record Provider(String name, LiveProcessor live, @Nullable HeardAudio heard) {}

  /**
   * Runs the example.
   *
   * @param args {@code [gemini|openai] [question.wav|-] [reply.wav]}
   * @throws IOException when a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    int i = 0;
    String provider = null;
    if (args.length > 0
        && (args[0].equalsIgnoreCase("gemini") || args[0].equalsIgnoreCase("openai"))) {
      provider = args[0].toLowerCase(Locale.ROOT);
      i++;
    }
    if (provider == null) {
      provider = isSet("OPENAI_API_KEY") ? "openai" : "gemini";
    }
    String in = args.length > i ? args[i] : "-";
    Path out =
        Path.of(args.length > i + 1 ? args[i + 1] : "target/realtime-reply.wav").toAbsolutePath();
    if (!in.equals("-") && !Files.isRegularFile(Path.of(in))) {
      System.err.println("No such WAV file: " + Path.of(in).toAbsolutePath());
      System.exit(2);
    }
    Flux<Part> question =
        in.equals("-")
            ? LiveVoiceExample.speech(LiveVoiceExample.QUESTION, 16000)
            : Wav.read(Path.of(in), Duration.ofMillis(100));
    String asked = in.equals("-") ? LiveVoiceExample.QUESTION : LiveVoiceExample.UNKNOWN_INPUT;
    byte[] replyPcm;
    if (provider.equals("openai")) {
      String key = System.getenv("OPENAI_API_KEY");
      if (isSet("OPENAI_API_KEY")) {
        System.out.println("Using OpenAI Realtime (" + OPENAI_MODEL + ") with OPENAI_API_KEY");
        replyPcm =
            converse(
                openAi(OpenAiRealtimeProcessor.builder().apiKey(key)), question, out, System.out);
      } else {
        System.out.println("Using the local OpenAI Realtime emulator (no OPENAI_API_KEY)");
        try (OpenAiRealtimeEmulator emulator = startOpenAiEmulator(asked)) {
          replyPcm = converse(openAiOn(emulator), question, out, System.out);
        }
      }
    } else if (isSet("GEMINI_API_KEY")) {
      System.out.println("Using Gemini Live with GEMINI_API_KEY");
      GeminiLiveProcessor live =
          GeminiLiveProcessor.builder()
              .apiKey(System.getenv("GEMINI_API_KEY"))
              .model(LiveVoiceExample.DEFAULT_MODEL)
              .responseModalities(GeminiLiveProcessor.Modality.AUDIO)
              .inputTranscription(true)
              .outputTranscription(true)
              .build();
      replyPcm = converse(new Provider("gemini", live, null), question, out, System.out);
    } else {
      System.out.println("Using the local Gemini Live emulator (no GEMINI_API_KEY)");
      try (GeminiLiveEmulator emulator = LiveVoiceExample.startEmulator(asked)) {
        replyPcm =
            converse(
                new Provider("gemini", LiveVoiceExample.emulatorProcessor(emulator), null),
                question,
                out,
                System.out);
      }
    }
    System.out.printf(
        "Wrote %.2f s of the model's audio to %s%n",
        Pcm.duration(replyPcm.length, 24000).toMillis() / 1000.0, out);
  }

  private static boolean isSet(String variable) {
    String v = System.getenv(variable);
    return v != null && !v.isBlank();
  }

  /** OpenAI Realtime on the emulator: its URI and key, the same options as for the real API. */
  static Provider openAiOn(OpenAiRealtimeEmulator emulator) {
    return openAi(OpenAiRealtimeProcessor.builder().uri(emulator.uri()).apiKey(emulator.apiKey()));
  }

  private static Provider openAi(
      dev.genaiprocessors.openai.realtime.OpenAiRealtimeBuilder builder) {
    HeardAudio heard = new HeardAudio();
    return new Provider(
        "openai",
        builder
            .model(OPENAI_MODEL)
            .instructions("Answer in one short sentence.")
            .inputTranscription("gpt-4o-mini-transcribe", "en", null)
            .playback(heard)
            .build(),
        heard);
  }

  /**
   * An OpenAI Realtime emulator scripted as the real server answers a spoken question with server VAD:
   * speech started at the first audio, stopped at the second, then the reply (FreeTTS at 24 kHz) with its
   * transcript, and the input transcript.
   */
  static OpenAiRealtimeEmulator startOpenAiEmulator(String asked) {
    Part voiced =
        Pcm.concat(
            java.util.Objects.requireNonNull(
                LiveVoiceExample.speech(EMULATOR_REPLY, 24000).collectList().block(SESSION_TIMEOUT),
                "the emulator's reply was not voiced"));
    OpenAiRealtimeEmulator emulator = OpenAiRealtimeEmulator.builder().build().start();
    emulator.enqueue(
        Script.builder()
            .on("input_audio_buffer.append", Reply.speechStarted())
            .on(
                "input_audio_buffer.append",
                Reply.speechStopped(),
                Reply.inputTranscript(asked),
                Reply.response(Output.audio(voiced.bytes(), EMULATOR_REPLY)))
            .build());
    return emulator;
  }

  /**
   * The voice pipeline, the same for every provider: the question, a second of silence and an
   * audio-stream-end part in; the answer paced by the rate limiter and written to {@code out}; the
   * transcripts printed. The input completes once the model's turn is complete. At the end it prints
   * the real-time report of two stages: the provider, and the provider with the rate limiter (what is
   * played).
   *
   * @return the model's audio, PCM
   */
  static byte[] converse(Provider provider, Flux<Part> question, Path out, PrintStream print)
      throws IOException {
    Files.createDirectories(out.getParent());
    Sinks.Empty<Void> turnDone = Sinks.empty();
    Flux<Part> input =
        question
            .concatWith(Mono.just(Pcm.silence(Duration.ofSeconds(1), 16000)))
            .map(p -> p.withRole("user").withSubstream(Substreams.REALTIME))
            .concatWith(Mono.just(Part.audioStreamEnd()))
            .concatWith(turnDone.asMono().thenMany(Flux.<Part>empty()));
    AudioRateLimiter.Builder pacing = AudioRateLimiter.builder();
    if (provider.heard() != null) {
      pacing.listener(provider.heard());
    }
    LiveVoiceExample.TranscriptPrinter transcripts = new LiveVoiceExample.TranscriptPrinter(print);
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    RealTimeMetrics metrics =
        RealTimeMetrics.builder()
            .registry(new SimpleMeterRegistry())
            .conversation("realtime-voice")
            .build();
    LiveProcessor live = metrics.observe(provider.live());
    Processor played =
        metrics.observe(
            "playback",
            in ->
                live.apply(in)
                    .doOnNext(
                        part -> {
                          if (part.isEndOfTurn() && "model".equals(part.role())) {
                            turnDone.tryEmitEmpty();
                          }
                        })
                    .transform(pacing.build()));
    Flux<Part> answer =
        played
            .apply(input)
            .publishOn(Schedulers.boundedElastic()) // printing blocks
            .doOnNext(
                part -> {
                  if (part.isTranscription() && part.isText() && !part.isFinalTranscription()) {
                    transcripts.accept(part);
                  } else if (part.isAudio() && "model".equals(part.role())) {
                    reply.writeBytes(part.bytes());
                  }
                })
            .filter(part -> part.isAudio() && "model".equals(part.role()));
    Wav.write(answer, out).block(SESSION_TIMEOUT);
    transcripts.end();
    print.print(metrics.report().format());
    return reply.toByteArray();
  }
}
