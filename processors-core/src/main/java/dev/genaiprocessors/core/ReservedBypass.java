package dev.genaiprocessors.core;

import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Runs a stage so that reserved-substream parts of its input skip it and reach its output as soon as
 * the stage takes its next input.
 *
 * <p>The input is shared ({@code publish}, its usual bounded prefetch) between the stage, which sees
 * the other parts, and a branch merged straight into the output. Because {@code publish} hands a part
 * on only when every branch has asked for one, a stage that stops asking also holds back reserved
 * parts behind it: memory stays bounded, as in the original where reserved parts are diverted as the
 * stage pulls. When the stage completes early, the bypass branch is cancelled with it.
 */
final class ReservedBypass {
  private ReservedBypass() {}

  static Flux<Part> around(
      Flux<Part> input, ReservedSubstreams reserved, Function<Flux<Part>, Flux<Part>> stage) {
    return input.publish(shared -> {
      Sinks.One<Boolean> stageDone = Sinks.one();
      Flux<Part> out = stage.apply(shared.filter(p -> !reserved.test(p)))
          .doFinally(signal -> stageDone.tryEmitValue(Boolean.TRUE));
      Flux<Part> bypass = shared.filter(reserved).takeUntilOther(stageDone.asMono());
      return Flux.merge(bypass, out);
    });
  }
}
