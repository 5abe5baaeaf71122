package dev.genaiprocessors.examples;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.vad.SileroSpeechDetector;
import dev.genaiprocessors.audio.vad.Vad;
import dev.genaiprocessors.core.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * Finds the speech in a recording and plays it back at real speed: a WAV file (or synthesised audio)
 * goes through voice activity detection and the audio rate limiter; the speech segments are printed
 * with their times as playback reaches them, and the paced audio is written to a WAV file.
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.SpeechSegmentsExample \
 *     -Dexec.args="[speech.wav|-] [out.wav] [silero]"
 * }</pre>
 *
 * <p>A WAV path that does not exist is an error that names it (exit code 2). With no arguments, or
 * {@code -}, it synthesises six seconds of audio: three bursts of speech-shaped noise (a
 * stand-in for speech, said so in the output) between quiet stretches, and writes
 * {@code target/paced.wav}. Add {@code silero} to use the Silero VAD instead of the energy detector.
 * Runs offline.
 */
public final class SpeechSegmentsExample {

  private SpeechSegmentsExample() {}

  public static void main(String[] args) throws java.io.IOException {
    Path in = args.length == 0 || args[0].equals("-") ? null : Path.of(args[0]).toAbsolutePath();
    if (in != null && !Files.isRegularFile(in)) {
      System.err.println(
          "No such WAV file: " + in + " (give - or nothing to use synthesised audio)");
      System.exit(2);
    }
    Path out = Path.of(args.length > 1 ? args[1] : "target/paced.wav").toAbsolutePath();
    Files.createDirectories(out.getParent());
    boolean silero = args.length > 2 && args[2].equalsIgnoreCase("silero");
    Flux<Part> audio;
    if (in != null) {
      System.out.println("Reading " + in);
      audio = Wav.read(in, Duration.ofMillis(20));
    } else {
      System.out.println(
          "No WAV file given: synthesising 6 s of audio with three bursts of speech-shaped noise.");
      audio = Flux.fromIterable(Pcm.split(synthesise(16000), Duration.ofMillis(20)));
    }
    Vad vad =
        silero
            ? Vad.builder().detector(SileroSpeechDetector.factory()).build()
            : Vad.builder().build();
    System.out.println(
        "Detector: " + (silero ? "Silero VAD v5" : "energy") + "; pacing at playback speed...");

    AtomicLong playedNanos = new AtomicLong();
    AtomicLong speechStart = new AtomicLong(-1);
    Flux<Part> paced =
        audio
            .transform(vad)
            .transform(AudioRateLimiter.builder().build())
            .doOnNext(
                part -> {
                  if (part.isStartOfSpeech()) {
                    speechStart.set(playedNanos.get());
                    System.out.printf("%7.2f s  speech starts%n", playedNanos.get() / 1e9);
                  } else if (part.isEndOfSpeech()) {
                    System.out.printf(
                        "%7.2f s  speech ends   (%.2f s of speech)%n",
                        playedNanos.get() / 1e9, (playedNanos.get() - speechStart.get()) / 1e9);
                  } else if (part.isAudio()) {
                    int rate =
                        dev.genaiprocessors.core.MimeTypes.sampleRate(part.mimeType())
                            .orElse(16000);
                    playedNanos.addAndGet(Pcm.duration(part.byteSize(), rate).toNanos());
                  }
                });
    Wav.write(paced, out).block();
    System.out.printf("Wrote %.2f s of paced audio to %s%n", playedNanos.get() / 1e9, out);
  }

  /**
   * Six seconds at {@code rate}: quiet noise, with three bursts (1.0-2.2 s, 2.6-3.4 s, 4.2-5.5 s) of
   * noise shaped like speech (a 4 Hz syllable envelope over a voiced buzz).
   */
  static Part synthesise(int rate) {
    Random random = new Random(7);
    int n = 6 * rate;
    float[] samples = new float[n];
    double[][] bursts = {{1.0, 2.2}, {2.6, 3.4}, {4.2, 5.5}};
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      double s = 0.002 * random.nextGaussian();
      for (double[] b : bursts) {
        if (t >= b[0] && t < b[1]) {
          double syllables = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
          double voice =
              Math.sin(2 * Math.PI * 140 * t)
                  + 0.5 * Math.sin(2 * Math.PI * 280 * t)
                  + 0.25 * Math.sin(2 * Math.PI * 420 * t);
          s += 0.25 * syllables * (voice / 1.75 + 0.3 * random.nextGaussian());
        }
      }
      samples[i] = (float) s;
    }
    return Part.audio(Pcm.fromFloats(samples), rate);
  }
}
