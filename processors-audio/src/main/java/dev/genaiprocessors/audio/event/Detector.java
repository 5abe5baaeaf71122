package dev.genaiprocessors.audio.event;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.ReservedSubstreams;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One detector of an {@link EventDetection} at work over a shared input: which parts it watches, the
 * window and the cap on detections in flight, and one detection from prompt to fired transition. Its
 * behaviour is documented on {@link EventDetection}.
 */
final class Detector {

  private final EventDetection config;

  Detector(EventDetection config) {
    this.config = config;
  }

  /** This detector's transition parts over a shared input; state belongs to one subscription. */
  Flux<Part> detections(Flux<Part> shared, Mono<Void> inputEnded) {
    return Flux.defer(
        () -> {
          EventStateMachine machine =
              new EventStateMachine(
                  config.outputs, config.sensitivities, config.debounceMillis, config.meters);
          FrameWindow window = new FrameWindow(config.maxImages);
          AtomicInteger detecting = new AtomicInteger();
          return shared
              .filter(part -> detectable(part) && !stale(part))
              .flatMap(
                  part -> {
                    // Runs on the input's onNext, one at a time: the window needs no lock.
                    window.add(part, config.scheduler.now(TimeUnit.MILLISECONDS));
                    if (detecting.incrementAndGet() > config.maxConcurrent) {
                      detecting.decrementAndGet();
                      return Flux.empty();
                    }
                    return detect(window.prompt(), machine)
                        .takeUntilOther(inputEnded)
                        .doFinally(signal -> detecting.decrementAndGet());
                  });
        });
  }

  /** True for the kinds of part this detector watches. */
  private boolean detectable(Part part) {
    if (part.isImage()) {
      return config.detectImages;
    }
    if (part.isAudio()) {
      return config.detectAudio;
    }
    return config.minTextChars > 0
        && part.isText()
        && !ReservedSubstreams.DEFAULT.test(part)
        && part.text().length() >= config.minTextChars;
  }

  /** True for an image captured longer than the maximum age ago. */
  private boolean stale(Part image) {
    return config.maxAgeMillis >= 0
        && image.metadata(PartMetadata.CAPTURE_TIME) instanceof Long captured
        && config.scheduler.now(TimeUnit.MILLISECONDS) - captured > config.maxAgeMillis;
  }

  /** One detection: ask the backend, then feed its answer to the state machine. */
  private Flux<Part> detect(List<Part> prompt, EventStateMachine machine) {
    return Flux.defer(
        () -> {
          long start = config.scheduler.now(TimeUnit.NANOSECONDS);
          Flux<Part> fired =
              Flux.defer(() -> config.backend.apply(Flux.fromIterable(prompt)))
                  .filter(part -> part.isText() && !ReservedSubstreams.DEFAULT.test(part))
                  .collectList()
                  .map(DetectionAnswer::of)
                  .flatMapIterable(
                      answer -> {
                        long now = config.scheduler.now(TimeUnit.NANOSECONDS);
                        config.meters.latency(now - start);
                        long nowMillis = TimeUnit.NANOSECONDS.toMillis(now);
                        List<Part> parts;
                        // Answers of concurrent detections may come back at once: one at a time.
                        synchronized (machine) {
                          parts = machine.onAnswer(answer, nowMillis);
                        }
                        return parts.stream()
                            .map(
                                p ->
                                    p.withMetadata(EventDetection.DETECTOR, config.name)
                                        .withMetadata(EventDetection.DETECTION_TIME, nowMillis))
                            .toList();
                      });
          if (!config.errorsAsDebugParts) {
            return fired;
          }
          return fired.onErrorResume(
              e ->
                  Flux.just(
                      Part.debug("event detector '" + config.name + "' failed: " + e)
                          .withMetadata(EventDetection.DETECTOR, config.name)));
        });
  }
}
