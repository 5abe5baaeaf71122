package dev.genaiprocessors.examples;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.device.AudioDevices;
import dev.genaiprocessors.audio.device.Microphone;
import dev.genaiprocessors.audio.device.Speaker;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeEvent;
import dev.genaiprocessors.live.realtime.RealtimeSession;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;

/**
 * A voice assistant on {@link RealtimeVoice}: spoken audio in (a WAV file, the microphone, or a question
 * voiced offline with FreeTTS), the assistant's voice out (to a WAV file, and the speaker if asked), both
 * sides' transcripts printed.
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.VoiceAssistantExample \
 *     -Dexec.args="[question.wav|-] [reply.wav] [--mic] [--speaker]"
 * }</pre>
 *
 * <p><b>Provider.</b> The first configured (OpenAI, then Gemini, then local), or
 * {@code -Drealtime.provider=...}. With no key it is the local provider: the energy VAD, Sphinx4's
 * open-vocabulary model (demo quality: slow and often wrong), the offline responder (an intent matcher,
 * not a language model), FreeTTS. It takes about half a minute.
 *
 * <p><b>Turns.</b> The question's audio is sent at real time in 20 ms pieces (the session gathers them
 * into 100 ms chunks), then 1.5 s of silence: the provider's voice detection ends the turn.
 */
public final class VoiceAssistantExample {
  static final String QUESTION = "What time is it?";
  private static final Duration MIC_TIME = Duration.ofSeconds(5);

  private VoiceAssistantExample() {}

  public static void main(String[] args) throws Exception {
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
        Path.of(positional.size() > 1 ? positional.get(1) : "target/assistant-reply.wav")
            .toAbsolutePath();
    String problem =
        LiveVoiceExample.deviceProblem(
            mic, AudioDevices::microphones, speaker, AudioDevices::speakers);
    if (problem == null && !mic && !in.equals("-") && !Files.isRegularFile(Path.of(in))) {
      problem =
          "No such WAV file: "
              + Path.of(in).toAbsolutePath()
              + " (give - to ask the voiced question)";
    }
    if (problem != null) {
      System.err.println(problem);
      System.exit(2);
    }
    Flux<Part> question;
    if (mic) {
      System.out.println("Recording " + MIC_TIME.toSeconds() + " s from the microphone...");
      question = Microphone.builder().sampleRate(16000).build().capture().take(MIC_TIME);
    } else if (!in.equals("-")) {
      System.out.println("Sending " + in);
      question = Wav.read(Path.of(in), Duration.ofMillis(20));
    } else {
      System.out.println(
          "No WAV file given: asking \"" + QUESTION + "\", voiced offline with FreeTTS.");
      question = LiveVoiceExample.speech(QUESTION, 16000);
    }
    byte[] reply =
        converse(question, System.getenv(), System.getProperty("realtime.provider"), System.out);
    Files.createDirectories(out.getParent());
    Part audio = Part.audio(reply, 16000);
    Wav.write(Flux.just(audio), out).block(Duration.ofMinutes(1));
    System.out.printf("Wrote %.2f s of the assistant's voice to %s%n", reply.length / 32000.0, out);
    if (speaker) {
      Flux.just(audio).transform(Speaker.builder().build()).blockLast(Duration.ofMinutes(2));
    }
  }

  /**
   * Sends the question (any rate; resampled to 16 kHz), then silence, and returns the assistant's voice
   * at 16 kHz once its answer's final transcript arrived (or after two minutes). Prints the transcripts,
   * and at the end the session's real-time report.
   */
  static byte[] converse(
      Flux<Part> question, Map<String, String> env, String provider, PrintStream print)
      throws InterruptedException {
    RealtimeVoice.Builder builder =
        RealtimeVoice.builder().environment(env).metrics(new SimpleMeterRegistry());
    if (provider != null) {
      builder.provider(provider);
    }
    ByteArrayOutputStream voice = new ByteArrayOutputStream();
    LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    RealtimeVoice assistant =
        builder
            .config(RealtimeConfig.builder().inputSampleRate(16000).outputSampleRate(16000).build())
            .onAudio(voice::writeBytes)
            .onTranscript(
                (text, isFinal, speaker) -> {
                  if (isFinal) {
                    boolean user = speaker == RealtimeEvent.Speaker.USER;
                    print.println((user ? "you:       " : "assistant: ") + text);
                    if (!user) {
                      answers.add(text);
                    }
                  }
                })
            .onInterrupted(() -> print.println("(interrupted)"))
            .onError(e -> System.err.println("error: " + e))
            .build();
    print.println("Provider: " + assistant.provider());
    RealtimeSession session = assistant.connect();
    try (session) {
      // Real time: 20 ms pieces every 20 ms, as a microphone gives them; then 1.5 s of silence.
      question
          .transform(dev.genaiprocessors.audio.Resample.to(16000))
          .map(Part::bytes)
          .concatWith(Flux.range(0, 75).map(i -> new byte[640]))
          .delayElements(Duration.ofMillis(20))
          .doOnNext(session::sendAudio)
          .blockLast(Duration.ofMinutes(2));
      if (answers.poll(2, TimeUnit.MINUTES) == null) {
        System.err.println("No answer within two minutes.");
      }
    }
    print.print(session.report().format());
    synchronized (voice) {
      return voice.toByteArray();
    }
  }
}
