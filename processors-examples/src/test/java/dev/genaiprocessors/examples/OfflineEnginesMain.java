package dev.genaiprocessors.examples;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.vad.SileroSpeechDetector;
import dev.genaiprocessors.audio.vad.Vad;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.offline.responder.IntentMatch;
import dev.genaiprocessors.offline.responder.OfflineResponder;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * An application's main, for {@link PlainJavaLaunchTest} to start in a fresh JVM: it runs the Silero
 * VAD over two spoken sentences, on this thread (the {@code java} launcher's main thread, as an
 * application would), then asks the offline responder what a sentence means, and prints both results.
 */
public final class OfflineEnginesMain {

  private OfflineEnginesMain() {}

  public static void main(String[] args) {
    byte[] speech = VoiceAgentExample.speak(List.of("Hello there.", "Tell me a joke."), 1.5);
    Vad vad = Vad.builder().detector(SileroSpeechDetector.factory()).build();
    List<Part> out =
        Flux.fromIterable(
                Pcm.split(
                    Part.audio(speech, FreeTtsSynthesizer.SAMPLE_RATE), Duration.ofMillis(20)))
            .transform(vad)
            .collectList()
            .block(Duration.ofMinutes(1));
    System.out.println(
        "silero: " + out.stream().filter(Part::isStartOfSpeech).count() + " speech segments");
    IntentMatch match =
        OfflineResponder.builder()
            .build()
            .match("could you tell me a joke")
            .block(Duration.ofMinutes(1));
    System.out.println("responder: intent " + match.intent());
  }
}
