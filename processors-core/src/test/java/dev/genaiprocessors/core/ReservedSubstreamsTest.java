package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

class ReservedSubstreamsTest {

  @Test
  void defaultsAreDebugStatusAndUiMatchedByPrefixCaseSensitively() {
    ReservedSubstreams r = ReservedSubstreams.DEFAULT;
    assertThat(r.test(Part.status("x"))).isTrue();
    assertThat(r.test(Part.text("x").withSubstream("status_progress"))).isTrue();
    assertThat(r.test(Part.text("x").withSubstream("Status"))).isFalse();
    assertThat(r.test(Part.text("x").withSubstream("DEBUG"))).isFalse();
    assertThat(r.test(Part.text("x").withSubstream("ui"))).isTrue();
    assertThat(r.test(Part.text("x"))).isFalse();
    assertThat(r.test(Part.text("x").withSubstream("realtime"))).isFalse();
  }

  @Test
  void registrationAddsToTheSubscriptionsContextOnly() {
    ReservedSubstreams r =
        ReservedSubstreams.from(ReservedSubstreams.register("audit").apply(Context.empty()));
    assertThat(r.names()).contains("audit", "debug", "status", "ui");
    assertThat(ReservedSubstreams.from(Context.empty())).isSameAs(ReservedSubstreams.DEFAULT);
    assertThatThrownBy(() -> ReservedSubstreams.register(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRegisteredSubstreamBypassesAChain() {
    Processor fail =
        in ->
            in.map(
                p -> {
                  throw new AssertionError("saw " + p);
                });
    Part audit = Part.text("a").withSubstream("audit");
    StepVerifier.create(
            Flux.just(audit)
                .transform(fail.then(fail))
                .contextWrite(ReservedSubstreams.register("audit")))
        .expectNext(audit)
        .verifyComplete();
  }
}
