package dev.genaiprocessors.examples;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Resample;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.device.AudioDevices;
import dev.genaiprocessors.audio.device.Microphone;
import dev.genaiprocessors.audio.device.Speaker;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.live.metrics.RealTimeMetrics;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import dev.genaiprocessors.testkit.gemini.Step;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A live voice session: spoken audio in (a WAV file, the microphone, or a question synthesised offline),
 * the model's spoken answer out (to a WAV file, and the speaker if asked), the transcripts of both printed
 * as they arrive. It talks to Gemini Live when {@code GEMINI_API_KEY} is set, and to the local Gemini Live
 * emulator otherwise.
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.LiveVoiceExample \
 *     -Dexec.args="[question.wav|-] [reply.wav] [--mic] [--speaker]"
 * }</pre>
 *
 * <p><b>In.</b> A WAV file given as the first argument (16-bit PCM, any rate), or with {@code --mic} five
 * seconds of the default microphone, or by default (no
 * argument, or {@code -}) the question {@value #QUESTION} voiced with FreeTTS. The audio is resampled to 16 kHz and sent as
 * {@code realtime} audio parts, followed by an {@code audio_stream_end} part that ends the user's turn.
 *
 * <p><b>Model.</b> With {@code GEMINI_API_KEY}: {@link GeminiLiveProcessor#DEFAULT_URI} and the native-audio
 * model {@value #DEFAULT_MODEL} (system property {@code gemini.live.model} to change it). Without: a
 * {@link GeminiLiveEmulator} on 127.0.0.1, scripted to answer like the real API: a transcription of what was
 * asked (the synthesised text, or {@value #UNKNOWN_INPUT} for a file or the microphone), a transcription of
 * its reply, the reply itself as FreeTTS speech at 24 kHz (the real API's output rate) and
 * {@code turnComplete}.
 *
 * <p><b>Out.</b> The model's audio goes to the WAV file given as the second argument (default
 * {@code target/live-reply.wav}); {@code --speaker} also plays it. The session ends when the model's turn
 * is complete: the input is then completed, so the session closes the socket cleanly.
 *
 * <p><b>Devices.</b> {@code --mic} and {@code --speaker} are checked before anything starts: on a machine
 * where Java Sound sees no such device (a container, a CI runner) the example says so and exits with code
 * 2, as it does for a WAV file that does not exist.
 *
 * <p>Uses processors-live (the Live client and emulator), processors-audio (WAV, resampling, devices) and
 * processors-offline (FreeTTS). Runs offline without a key.
 */
public final class LiveVoiceExample {

  /** What the example asks when no audio is given. */
  static final String QUESTION = "What is the weather like today?";

  /** What the emulator answers. */
  static final String EMULATOR_REPLY =
      "This is the local emulator of the Gemini Live API. Set GEMINI_API_KEY to talk to Gemini.";

  /** The emulator's input transcription when it cannot know what was said. */
  static final String UNKNOWN_INPUT = "(your audio)";

  /** The model used unless {@code -Dgemini.live.model=...} says otherwise. */
  static final String DEFAULT_MODEL = "gemini-2.5-flash-native-audio-preview-12-2025";

  /** The rate the Live API takes audio at. */
  static final int INPUT_RATE = 16000;

  /** The rate the Live API answers with. */
  static final int OUTPUT_RATE = 24000;

  private static final Duration CHUNK = Duration.ofMillis(100);
  private static final Duration MIC_TIME = Duration.ofSeconds(5);
  private static final Duration SESSION_TIMEOUT = Duration.ofMinutes(2);

  private LiveVoiceExample() {}

  /** What was said and how it reads, when known. */
  record Question(Flux<Part> audio, String text) {}

  /** What a session produced. */
  record Result(
      String inputTranscript, String outputTranscript, byte[] replyPcm, int replyRate, Path wav) {
    Duration replyDuration() {
      return Pcm.duration(replyPcm.length, replyRate);
    }
  }

  public static void main(String[] args) throws IOException {
    List<String> positional = new ArrayList<>();
    boolean mic = false;
    boolean speaker = false;
    for (String arg : args) {
      switch (arg) {
        case "--mic" -> mic = true;
        case "--speaker" -> speaker = true;
        default -> positional.add(arg);
      }
    }
    String in = positional.isEmpty() ? "-" : positional.get(0);
    Path out =
        Path.of(positional.size() > 1 ? positional.get(1) : "target/live-reply.wav")
            .toAbsolutePath();
    // Every device and file is checked here, before a session is opened.
    String problem = deviceProblem(mic, AudioDevices::microphones, speaker, AudioDevices::speakers);
    if (problem == null && !mic && !in.equals("-") && !Files.isRegularFile(Path.of(in))) {
      problem =
          "No such WAV file: "
              + Path.of(in).toAbsolutePath()
              + " (give - to ask the synthesised question)";
    }
    if (problem != null) {
      System.err.println(problem);
      System.exit(2);
    }
    Question question;
    if (mic) {
      System.out.println("Recording " + MIC_TIME.toSeconds() + " s from the microphone...");
      question =
          new Question(
              Microphone.builder().sampleRate(INPUT_RATE).build().capture().take(MIC_TIME),
              UNKNOWN_INPUT);
    } else if (!in.equals("-")) {
      System.out.println("Sending " + in);
      question = new Question(Wav.read(Path.of(in), CHUNK), UNKNOWN_INPUT);
    } else {
      System.out.println(
          "No WAV file given: asking \"" + QUESTION + "\", voiced offline with FreeTTS.");
      question = new Question(speech(QUESTION, INPUT_RATE), QUESTION);
    }

    String key = System.getenv("GEMINI_API_KEY");
    Result result;
    if (key == null || key.isBlank()) {
      System.out.println("Using the local Gemini Live emulator (no GEMINI_API_KEY)");
      try (GeminiLiveEmulator emulator = startEmulator(question.text())) {
        result = converse(emulatorProcessor(emulator), question.audio(), out, speaker, System.out);
      }
    } else {
      String model = System.getProperty("gemini.live.model", DEFAULT_MODEL);
      System.out.println("Using Gemini Live (" + model + ") with the key in GEMINI_API_KEY");
      GeminiLiveProcessor live =
          GeminiLiveProcessor.builder()
              .uri(GeminiLiveProcessor.DEFAULT_URI)
              .apiKey(key)
              .model(model)
              .responseModalities(GeminiLiveProcessor.Modality.AUDIO)
              .inputTranscription(true)
              .outputTranscription(true)
              .build();
      result = converse(live, question.audio(), out, speaker, System.out);
    }
    System.out.printf(
        "Wrote %.2f s of the model's audio (%d Hz) to %s%n",
        result.replyDuration().toMillis() / 1000.0, result.replyRate(), result.wav());
  }

  /**
   * What stops the asked-for devices from working, or null: {@code --mic} on a machine where Java Sound
   * sees no recording device, {@code --speaker} where it sees no playback device (a container, a CI
   * runner, a server). Blocking (Java Sound queries the system).
   */
  static @Nullable String deviceProblem(
      boolean mic,
      Supplier<List<String>> microphones,
      boolean speaker,
      Supplier<List<String>> speakers) {
    List<String> missing = new ArrayList<>();
    if (mic && microphones.get().isEmpty()) {
      missing.add("--mic: Java Sound sees no microphone (recording device) on this machine");
    }
    if (speaker && speakers.get().isEmpty()) {
      missing.add("--speaker: Java Sound sees no speaker (playback device) on this machine");
    }
    return missing.isEmpty()
        ? null
        : String.join("; ", missing)
            + ". Nothing was started. Give a WAV file (or -) instead of --mic; leave out"
            + " --speaker to only write the reply to a WAV file.";
  }

  /**
   * Runs one voice turn: sends the audio (resampled to 16 kHz, on the {@code realtime} substream) and an
   * audio-stream-end part, prints the transcripts as they arrive, writes the model's audio to {@code out},
   * and completes the input once the model's turn is complete. Prints the session's real-time report
   * ({@link RealTimeMetrics}) at the end.
   */
  static Result converse(
      GeminiLiveProcessor live, Flux<Part> userAudio, Path out, boolean speaker, PrintStream print)
      throws IOException {
    Files.createDirectories(out.getParent());
    Sinks.Empty<Void> turnDone = Sinks.empty();
    Flux<Part> input =
        userAudio
            .transform(Resample.to(INPUT_RATE))
            .map(p -> p.isAudio() ? p.withRole("user").withSubstream(Substreams.REALTIME) : p)
            .concatWith(Mono.just(Part.audioStreamEnd()))
            .concatWith(turnDone.asMono().thenMany(Flux.<Part>empty()));

    TranscriptPrinter transcripts = new TranscriptPrinter(print);
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    int[] replyRate = {OUTPUT_RATE};
    RealTimeMetrics metrics =
        RealTimeMetrics.builder()
            .registry(new SimpleMeterRegistry())
            .conversation("live-voice")
            .build();
    Flux<Part> output =
        metrics
            .observe(live)
            .apply(input)
            .publishOn(
                Schedulers
                    .boundedElastic()) // printing blocks; parts arrive on a non-blocking thread
            .doOnNext(
                part -> {
                  if (part.isTranscription() && part.isText()) {
                    transcripts.accept(part);
                  } else if (part.isAudio() && "model".equals(part.role())) {
                    replyRate[0] = MimeTypes.sampleRate(part.mimeType()).orElse(OUTPUT_RATE);
                    reply.writeBytes(part.bytes());
                  } else if (part.isEndOfTurn() && "model".equals(part.role())) {
                    transcripts.end();
                    turnDone.tryEmitEmpty();
                  }
                })
            .filter(part -> part.isAudio() && "model".equals(part.role()));
    if (speaker) {
      output = output.transform(Speaker.builder().build());
    }
    Wav.write(output, out).block(SESSION_TIMEOUT);
    transcripts.end();
    print.print(metrics.report().format());
    return new Result(
        transcripts.input.toString(),
        transcripts.output.toString(),
        reply.toByteArray(),
        replyRate[0],
        out);
  }

  /** A processor for the emulator: its URI and key, the same model and options as for the real API. */
  static GeminiLiveProcessor emulatorProcessor(GeminiLiveEmulator emulator) {
    return GeminiLiveProcessor.builder()
        .uri(emulator.uri())
        .apiKey(emulator.apiKey())
        .model(DEFAULT_MODEL)
        .responseModalities(GeminiLiveProcessor.Modality.AUDIO)
        .inputTranscription(true)
        .outputTranscription(true)
        .build();
  }

  /**
   * A started emulator scripted to answer one turn as the real API does: the input transcription
   * ({@code asked}), the output transcription, the reply voiced by FreeTTS at 24 kHz in 100 ms messages,
   * generation complete and turn complete.
   */
  static GeminiLiveEmulator startEmulator(String asked) {
    List<Step> steps = new ArrayList<>();
    steps.add(Reply.inputTranscription(asked));
    steps.add(Reply.outputTranscription(EMULATOR_REPLY));
    // Not null: collectList() always emits a list (empty when nothing was spoken).
    List<Part> spoken =
        Objects.requireNonNull(
            speech(EMULATOR_REPLY, OUTPUT_RATE).collectList().block(SESSION_TIMEOUT));
    Part voiced = Pcm.concat(spoken);
    for (Part chunk : Pcm.split(voiced, CHUNK)) {
      steps.add(Reply.audio(chunk.bytes(), OUTPUT_RATE));
    }
    steps.add(Reply.generationComplete());
    steps.add(Reply.turnComplete());
    GeminiLiveEmulator emulator = GeminiLiveEmulator.builder().build().start();
    emulator.enqueue(Script.builder().turn(steps.toArray(Step[]::new)).build());
    return emulator;
  }

  /** The text voiced by FreeTTS (16 kHz), resampled to {@code rate}, in 100 ms parts. */
  static Flux<Part> speech(String text, int rate) {
    return Mono.fromCallable(
            () -> {
              ByteArrayOutputStream pcm = new ByteArrayOutputStream();
              try (FreeTtsSynthesizer tts = FreeTtsSynthesizer.kevin16()) {
                tts.synthesize(
                    text,
                    (bytes, sampleRate) -> {
                      pcm.writeBytes(bytes);
                      return true;
                    });
              }
              return Part.audio(pcm.toByteArray(), FreeTtsSynthesizer.SAMPLE_RATE);
            })
        .subscribeOn(Schedulers.boundedElastic())
        .flatMapIterable(all -> Pcm.split(all, CHUNK))
        .transform(Resample.to(rate));
  }

  /** Prints transcription deltas as they arrive, one line per speaker, and keeps them. */
  static final class TranscriptPrinter {
    final StringBuilder input = new StringBuilder();
    final StringBuilder output = new StringBuilder();
    private final PrintStream print;
    private String current = "";

    TranscriptPrinter(PrintStream print) {
      this.print = print;
    }

    void accept(Part part) {
      boolean user = part.substream().equalsIgnoreCase(Substreams.INPUT_TRANSCRIPTION);
      String who = user ? "you" : "model";
      if (!who.equals(current)) {
        end();
        print.print(who + ": ");
        current = who;
      }
      print.print(part.text());
      print.flush();
      (user ? input : output).append(part.text());
    }

    void end() {
      if (!current.isEmpty()) {
        print.println();
        current = "";
      }
    }
  }
}
