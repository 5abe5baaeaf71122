package dev.genaiprocessors.offline.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.audio.speech.SpeechRecognizer;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.offline.OfflineMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The warm-up of the local engines: what it runs, and that it runs at start-up when asked. */
class LocalWarmUpTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Records the audio of each recognition; fails when told to. */
  private static final class RecordingRecognizer implements SpeechRecognizer {
    final List<byte[]> heard = new CopyOnWriteArrayList<>();
    final CompletableFuture<byte[]> first = new CompletableFuture<>();
    volatile IllegalStateException failure;

    @Override
    public int sampleRate() {
      return 16_000;
    }

    @Override
    public Map<String, Object> metadata() {
      return Map.of(OfflineMetadata.MODEL, "recording");
    }

    @Override
    public String recognize(InputStream pcm16le, Consumer<String> interim) throws IOException {
      if (failure != null) {
        throw failure;
      }
      byte[] audio = pcm16le.readAllBytes();
      heard.add(audio);
      first.complete(audio);
      return "";
    }

    @Override
    public void close() {}
  }

  @Test
  void warmUpRunsTheRecognizerOnSilenceAndNeverCallsAResponderThatIsNotTheOfflineOne() {
    RecordingRecognizer recognizer = new RecordingRecognizer();
    AtomicInteger calls = new AtomicInteger();
    Processor responder =
        prompt -> {
          calls.incrementAndGet();
          return prompt;
        };
    LocalLiveProcessor live =
        new LocalLiveProcessor(RealtimeConfig.defaults(), responder, recognizer);

    StepVerifier.create(live.warmUp()).expectComplete().verify(TIMEOUT);

    assertThat(recognizer.heard).hasSize(1);
    byte[] audio = recognizer.heard.get(0);
    assertThat(audio).hasSize(16_000); // half a second of 16-bit audio at 16 kHz
    assertThat(audio).containsOnly((byte) 0);
    assertThat(calls).hasValue(0);
  }

  @Test
  void warmUpFailsWithTheEnginesError() {
    RecordingRecognizer recognizer = new RecordingRecognizer();
    recognizer.failure = new IllegalStateException("no acoustic model");
    LocalLiveProcessor live =
        new LocalLiveProcessor(RealtimeConfig.defaults(), prompt -> prompt, recognizer);

    StepVerifier.create(live.warmUp())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("no acoustic model"))
        .verify(TIMEOUT);
  }

  @Test
  void theProviderStartsWarmingEachProcessorUpWhenItIsCreated() {
    RecordingRecognizer warmed = new RecordingRecognizer();
    LocalRealtimeProvider.builder()
        .recognizer(() -> warmed)
        .responder(config -> prompt -> prompt)
        .warmUp(true)
        .build()
        .create(RealtimeConfig.defaults(), Map.of());
    // Nothing subscribes to the processor: the warm-up alone runs the recognizer.
    StepVerifier.create(Mono.fromFuture(warmed.first))
        .assertNext(audio -> assertThat(audio).hasSize(16_000))
        .expectComplete()
        .verify(TIMEOUT);
  }
}
