package dev.genaiprocessors.audio.event;

import static dev.genaiprocessors.audio.event.EventDetectionTest.frame;
import static dev.genaiprocessors.audio.event.EventDetectionTest.frames;
import static dev.genaiprocessors.audio.event.EventDetectionTest.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.audio.event.EventDetectionTest.ScriptedBackend;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Processor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Debounce, stale images, metadata, failures as debug parts and metrics of {@link EventDetection}. */
class EventDetectionPatternsTest {

  private static final Part A = Part.text("A").withSubstream("realtime");
  private static final Part B = Part.text("B").withSubstream("realtime");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  @Test
  void aDebounceSuppressesATransitionIntoAnEventThatFiredTooRecentlyWhateverCameBetween() {
    // Frames each second, answers after 100 ms. 'detected' fires at 100 ms; at 2100 ms it comes
    // back after 'clear' (which the sensitivity would not stop) but only 2 s later: debounced.
    // At 4100 ms it fires again.
    ScriptedBackend backend =
        new ScriptedBackend(
            Duration.ofMillis(100), "detected", "clear", "detected", "clear", "detected", "");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofSeconds(1), 6)
                    .transform(
                        plain(
                            EventDetection.builder(backend)
                                .on("*", "detected", A)
                                .on("*", "clear", B)
                                .debounce(Duration.ofMillis(2500))
                                .meterRegistry(registry)
                                .build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(10))
        .assertNext(
            out ->
                assertThat(out)
                    .containsExactly(
                        frame(0), A, frame(1), B, frame(2), frame(3), frame(4), A, frame(5)))
        .verifyComplete();
    assertThat(
            registry
                .get(EventDetection.EVENTS_DETECTED)
                .tag("detector", "default")
                .counter()
                .count())
        .isEqualTo(3);
    assertThat(registry.get(EventDetection.EVENTS_DEBOUNCED).counter().count()).isEqualTo(1);
    assertThat(registry.get(EventDetection.DETECTION_LATENCY).timer().count()).isEqualTo(5);
    assertThat(
            registry.get(EventDetection.DETECTION_LATENCY).timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(500);
  }

  @Test
  void emittedPartsCarryTheDetectorsNameAndTheDetectionTime() {
    ScriptedBackend backend = new ScriptedBackend(Duration.ofMillis(100), "detected", "");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofSeconds(1), 2)
                    .transform(
                        EventDetection.builder(backend)
                            .name("camera")
                            .on("*", "detected", A)
                            .build()))
        .expectNext(frame(0))
        .thenAwait(Duration.ofMillis(100))
        .assertNext(
            a -> {
              assertThat(a.text()).isEqualTo("A");
              assertThat(a.metadata(EventDetection.DETECTOR)).isEqualTo("camera");
              assertThat(a.metadata(EventDetection.DETECTION_TIME)).isEqualTo(100L);
            })
        .thenAwait(Duration.ofSeconds(1))
        .expectNext(frame(1))
        .verifyComplete();
  }

  @Test
  void imagesOlderThanTheMaximumAgeByCaptureTimePassButAreNotDetectedOn() {
    ScriptedBackend backend = new ScriptedBackend(Duration.ofMillis(100), "detected");
    Part stale = frame(1).withMetadata(PartMetadata.CAPTURE_TIME, 1_000L);
    Part fresh = frame(2).withMetadata(PartMetadata.CAPTURE_TIME, 9_500L);
    Part unstamped = frame(3);
    StepVerifier.withVirtualTime(
            () ->
                Mono.delay(Duration.ofSeconds(10))
                    .thenMany(Flux.just(stale, fresh, unstamped))
                    .transform(
                        plain(
                            EventDetection.builder(backend).maxAge(Duration.ofSeconds(2)).build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(20))
        .assertNext(out -> assertThat(out).containsExactly(stale, fresh, unstamped))
        .verifyComplete();
    assertThat(backend.promptFrames()).containsExactly(List.of(2));
  }

  @Test
  void aFailingDetectorCanBecomeADebugPartAndTheStreamGoesOn() {
    AtomicInteger calls = new AtomicInteger();
    Processor flaky =
        prompt ->
            prompt.thenMany(
                calls.getAndIncrement() == 0
                    ? Flux.error(new IllegalStateException("model down"))
                    : Flux.just(Part.text("detected")));
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofSeconds(1), 3)
                    .transform(
                        plain(
                            EventDetection.builder(flaky)
                                .name("camera")
                                .on("*", "detected", A)
                                .errorsAsDebugParts(true)
                                .build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(5))
        .assertNext(
            out -> {
              assertThat(out).hasSize(5);
              assertThat(out.get(0)).isEqualTo(frame(0));
              assertThat(out.get(1).isDebug()).isTrue();
              assertThat(out.get(1).text()).contains("camera").contains("model down");
              assertThat(out.subList(2, 5)).containsExactly(frame(1), A, frame(2));
            })
        .verifyComplete();
  }

  @Test
  void theMostConfidentOfSeveralCandidateAnswersIsTheEvent() {
    Processor candidates =
        prompt ->
            prompt.thenMany(
                Flux.just(
                    Part.text("clear").withMetadata(EventDetection.CONFIDENCE, 0.3),
                    Part.text("detected").withMetadata(EventDetection.CONFIDENCE, 0.9),
                    Part.text("nothing"),
                    Part.text("other").withMetadata(EventDetection.CONFIDENCE, 0.9)));
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(frame(0))
                    .concatWith(Mono.delay(Duration.ofSeconds(1)).then(Mono.just(frame(1))))
                    .transform(
                        plain(
                            EventDetection.builder(candidates)
                                .on("*", "detected", A)
                                .on("*", "clear", B)
                                .build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(2))
        .assertNext(out -> assertThat(out).containsExactly(frame(0), A, frame(1)))
        .verifyComplete();
    assertThat(EventDetection.answer(List.of(Part.text("a"), Part.text("b")))).isEqualTo("ab");
  }

  @Test
  void theCapOnConcurrentDetectionsIsConfigurable() {
    // Frames every 400 ms, detections of 1 s, at most 2 at once: detections start at 0, 400, 1200,
    // 1600 and 2400 ms (the frames at 800 and 2000 ms find the cap reached).
    ScriptedBackend backend = new ScriptedBackend(Duration.ofSeconds(1), "a", "b", "c", "d", "e");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofMillis(400), 7)
                    .transform(
                        plain(EventDetection.builder(backend).maxConcurrentDetections(2).build()))
                    .then())
        .thenAwait(Duration.ofSeconds(10))
        .verifyComplete();
    assertThat(backend.maxInFlight).hasValue(2);
    assertThat(backend.promptFrames()).hasSize(5);
    assertThatThrownBy(() -> EventDetection.builder(backend).maxConcurrentDetections(0))
        .hasMessageContaining("maxConcurrentDetections");
  }

  @Test
  void severalNamedDetectorsWatchImagesAudioAndSubstantialTextOverOneStream() {
    ScriptedBackend camera = new ScriptedBackend(Duration.ofMillis(100), "person");
    ScriptedBackend listener = new ScriptedBackend(Duration.ofMillis(100), "loud", "long read");
    Part audio = Part.audio(new byte[320], 16000);
    Part shortText = Part.text("hi");
    Part longText = Part.text("a paragraph of at least twenty characters");
    Part end = Part.text("end");
    Part c = Part.text("C").withSubstream("realtime");
    StepVerifier.withVirtualTime(
            () ->
                Flux.concat(
                        Mono.just(frame(0)),
                        Mono.delay(Duration.ofSeconds(1)).thenReturn(audio),
                        Mono.delay(Duration.ofSeconds(1)).thenReturn(shortText),
                        Mono.delay(Duration.ofSeconds(1)).thenReturn(longText),
                        Mono.delay(Duration.ofSeconds(1)).thenReturn(end))
                    .transform(
                        EventDetection.all(
                            List.of(
                                EventDetection.builder(camera)
                                    .name("camera")
                                    .on("*", "person", A)
                                    .build(),
                                EventDetection.builder(listener)
                                    .name("listener")
                                    .detectImages(false)
                                    .detectAudio(true)
                                    .detectText(20)
                                    .on("*", "loud", B)
                                    .on("*", "long read", c)
                                    .build())))
                    .collectList())
        .thenAwait(Duration.ofSeconds(10))
        .assertNext(
            out -> {
              assertThat(out)
                  .extracting(p -> p.isText() ? p.text() : p.mimeType())
                  .containsExactly(
                      "image/jpeg",
                      "A",
                      "audio/pcm;rate=16000",
                      "B",
                      "hi",
                      longText.text(),
                      "C",
                      "end");
              assertThat(out.get(1).metadata(EventDetection.DETECTOR)).isEqualTo("camera");
              assertThat(out.get(3).metadata(EventDetection.DETECTOR)).isEqualTo("listener");
              assertThat(out.get(6).metadata(EventDetection.DETECTOR)).isEqualTo("listener");
            })
        .verifyComplete();
    assertThat(camera.prompts).hasSize(1);
    assertThat(listener.prompts).hasSize(2);
    assertThatThrownBy(
            () ->
                EventDetection.all(
                    List.of(
                        EventDetection.builder(camera).build(),
                        EventDetection.builder(listener).build())))
        .hasMessageContaining("distinct");
  }

  @Test
  void badSettingsAreRejected() {
    EventDetection.Builder builder = EventDetection.builder(in -> Flux.empty());
    assertThatThrownBy(() -> builder.debounce(Duration.ofMillis(-1)))
        .hasMessageContaining("debounce");
    assertThatThrownBy(() -> builder.maxAge(Duration.ZERO)).hasMessageContaining("maxAge");
    assertThatThrownBy(() -> builder.name(" ")).hasMessageContaining("name");
  }
}
