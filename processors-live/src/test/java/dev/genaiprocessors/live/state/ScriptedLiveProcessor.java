package dev.genaiprocessors.live.state;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A live provider for tests: reads its input (kept in {@link #received}) and emits a script of parts,
 * each after its delay on the default parallel scheduler (virtual in {@code withVirtualTime}); completes
 * when the script is done.
 */
final class ScriptedLiveProcessor implements LiveProcessor {

  /** One part of the script, after a delay since the previous one. */
  record Step(Duration after, Part part) {}

  final List<Part> received = new CopyOnWriteArrayList<>();
  private final List<Step> script;

  ScriptedLiveProcessor(List<Step> script) {
    this.script = List.copyOf(script);
  }

  static Step at(long millisAfterPrevious, Part part) {
    return new Step(Duration.ofMillis(millisAfterPrevious), part);
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Sinks.Empty<Void> done = Sinks.empty();
    Flux<Part> out =
        Flux.fromIterable(script)
            .concatMap(s -> Mono.delay(s.after()).thenReturn(s.part()))
            .doOnComplete(done::tryEmitEmpty);
    return Flux.merge(
        out, input.doOnNext(received::add).takeUntilOther(done.asMono()).then(Mono.<Part>empty()));
  }

  @Override
  public String provider() {
    return "scripted";
  }

  @Override
  public int inputSampleRate() {
    return 16000;
  }

  @Override
  public int outputSampleRate() {
    return 24000;
  }
}
