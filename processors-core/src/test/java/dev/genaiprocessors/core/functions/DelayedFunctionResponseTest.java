package dev.genaiprocessors.core.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Scheduling;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** A function response scheduled after a delay, on the scheduler. */
class DelayedFunctionResponseTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static Tool reminder() {
    return Tool.async(
        "remind",
        "reminds the user later",
        NODES.objectNode().put("type", "object"),
        args -> Mono.just("time to stretch"));
  }

  @Test
  void theResponseComesAfterTheDelayOnTheSchedulersClock() {
    StepVerifier.withVirtualTime(
            () ->
                reminder()
                    .withResponseDelay(Duration.ofMinutes(5), VirtualTimeScheduler.get())
                    .invoke(NODES.objectNode()))
        .expectSubscription()
        .expectNoEvent(Duration.ofMinutes(5).minusMillis(1))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(r -> assertThat(r.asString()).isEqualTo("time to stretch"))
        .verifyComplete();
  }

  @Test
  void theDelayCanBeReadFromTheCallsArguments() {
    Tool tool =
        reminder()
            .withResponseDelay(
                args -> Duration.ofSeconds(args.get("delay_seconds").asLong()),
                VirtualTimeScheduler.getOrSet());
    StepVerifier.withVirtualTime(() -> tool.invoke(NODES.objectNode().put("delay_seconds", 30)))
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(29))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(1)
        .verifyComplete();
  }

  @Test
  void aNegativeDelayIsRefused() {
    assertThatThrownBy(
            () ->
                reminder().withResponseDelay(Duration.ofSeconds(-1), VirtualTimeScheduler.create()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero or more");
    StepVerifier.create(
            reminder()
                .withResponseDelay(args -> Duration.ofSeconds(-2), VirtualTimeScheduler.create())
                .invoke(NODES.objectNode()))
        .expectError(IllegalArgumentException.class)
        .verify(Duration.ofSeconds(5));
  }

  /** A live model that calls {@code remind} when told "remind me", and says what a result told it. */
  private static Processor liveModel() {
    return input ->
        input.concatMap(
            p -> {
              if (p.isText() && p.text().equals("remind me")) {
                return Flux.just(
                    Part.functionCall("r1", "remind", NODES.objectNode()).withRole("model"));
              }
              if (p.isFunctionResponse()
                  && p.functionResponse().scheduling() == Scheduling.WHEN_IDLE) {
                JsonNode result = p.functionResponse().response().get("result");
                return Flux.just(Part.text("reminder: " + result.asString()).withRole("model"));
              }
              return Flux.empty();
            });
  }

  @Test
  void inALiveSessionTheAcknowledgementIsImmediateAndTheDelayedResponseReachesTheModelLater() {
    Sinks.Many<Part> user = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(
            () ->
                FunctionCalling.builder(liveModel())
                    .tools(
                        reminder()
                            .withResponseDelay(Duration.ofSeconds(90), VirtualTimeScheduler.get()))
                    .bidirectional(true)
                    .build()
                    .apply(user.asFlux()))
        .then(() -> user.tryEmitNext(Part.text("remind me")))
        .assertNext(p -> assertThat(p.isFunctionCall()).isTrue())
        .assertNext(
            p ->
                assertThat(p.functionResponse().response().get("result").asString())
                    .isEqualTo("Running in background."))
        .expectNoEvent(Duration.ofSeconds(89))
        .thenAwait(Duration.ofSeconds(1))
        .recordWith(java.util.ArrayList::new)
        .expectNextCount(2)
        .consumeRecordedWith(
            parts ->
                assertThat(parts)
                    .anySatisfy(
                        p ->
                            assertThat(p.functionResponse().response().get("result").asString())
                                .isEqualTo("time to stretch"))
                    .contains(Part.text("reminder: time to stretch").withRole("model")))
        .then(user::tryEmitComplete)
        .verifyComplete();
  }

  @Test
  void cancellingTheCallCancelsItsPendingResponse() {
    Sinks.Many<Part> user = Sinks.many().unicast().onBackpressureBuffer();
    Processor model =
        input ->
            input.concatMap(
                p ->
                    p.isText() && p.text().equals("cancel")
                        ? Flux.just(
                            Part.functionCall(
                                    "c9",
                                    "cancel_fc",
                                    NODES
                                        .objectNode()
                                        .set("function_ids", NODES.arrayNode().add("r1")))
                                .withRole("model"))
                        : liveModel().apply(Flux.just(p)));
    StepVerifier.withVirtualTime(
            () ->
                FunctionCalling.builder(model)
                    .tools(
                        reminder()
                            .withResponseDelay(Duration.ofSeconds(90), VirtualTimeScheduler.get()))
                    .bidirectional(true)
                    .build()
                    .apply(user.asFlux()))
        .then(() -> user.tryEmitNext(Part.text("remind me")))
        .expectNextCount(2) // the call and its acknowledgement
        .thenAwait(Duration.ofSeconds(10))
        .then(() -> user.tryEmitNext(Part.text("cancel")))
        .expectNextCount(2) // cancel_fc and its answer
        .then(user::tryEmitComplete)
        .thenAwait(Duration.ofMinutes(5))
        .verifyComplete(); // no reminder after the cancel
  }
}
