package dev.genaiprocessors.core.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Scheduling;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import tools.jackson.databind.node.JsonNodeFactory;

class BidiFunctionCallingTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A live test model: reacts to each input part as it arrives, and records what it received. */
  static final class ScriptedLiveModel implements Processor {
    final List<Part> received = new CopyOnWriteArrayList<>();

    @Override
    public Flux<Part> apply(Flux<Part> input) {
      return input
          .doOnNext(received::add)
          .concatMap(
              p -> {
                if (p.isText()) {
                  switch (p.text()) {
                    case "weather?":
                      return Flux.just(
                          Part.functionCall(
                                  "c1", "get_weather", NODES.objectNode().put("city", "Paris"))
                              .withRole("model"));
                    case "start":
                      return Flux.just(
                          Part.functionCall("t1", "ticker", NODES.objectNode()).withRole("model"));
                    case "list":
                      return Flux.just(
                          Part.functionCall("l1", "list_fc", NODES.objectNode()).withRole("model"));
                    case "stop":
                      return Flux.just(
                          Part.functionCall(
                                  "s1",
                                  "cancel_fc",
                                  NODES
                                      .objectNode()
                                      .set("function_ids", NODES.arrayNode().add("t1")))
                              .withRole("model"));
                    case "anonymous":
                      return Flux.just(
                          Part.functionCall("get_weather", NODES.objectNode().put("city", "Rome"))
                              .withRole("model"));
                    default:
                      return Flux.empty();
                  }
                }
                if (p.isFunctionResponse()
                    && p.functionResponse().scheduling() == Scheduling.WHEN_IDLE) {
                  return Flux.just(
                      Part.text("it is " + p.functionResponse().response().get("result").asString())
                          .withRole("model"));
                }
                return Flux.empty();
              });
    }
  }

  @Test
  void callsRunInTheBackgroundAndTheirResultsFlowBackIntoTheModel() {
    ScriptedLiveModel model = new ScriptedLiveModel();
    Processor agent =
        FunctionCalling.builder(model)
            .tools(FunctionCallingTest.WEATHER)
            .bidirectional(true)
            .build();
    Sinks.Many<Part> user = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(agent.apply(user.asFlux()))
        .then(() -> user.tryEmitNext(Part.text("weather?")))
        .assertNext(p -> assertThat(p.functionCall().name()).isEqualTo("get_weather"))
        .assertNext(
            p -> {
              PartContent.FunctionResponse ack = p.functionResponse();
              assertThat(ack.response().get("result").asString())
                  .isEqualTo("Running in background.");
              assertThat(ack.scheduling()).isEqualTo(Scheduling.SILENT);
              assertThat(ack.willContinue()).isTrue();
              assertThat(ack.id()).isEqualTo("c1");
            })
        .recordWith(java.util.ArrayList::new)
        .expectNextCount(2)
        .consumeRecordedWith(
            parts -> {
              Part result =
                  parts.stream().filter(Part::isFunctionResponse).findFirst().orElseThrow();
              assertThat(result.functionResponse().response().get("result").asString())
                  .isEqualTo("sunny");
              assertThat(result.functionResponse().scheduling()).isEqualTo(Scheduling.WHEN_IDLE);
              assertThat(result.functionResponse().willContinue()).isFalse();
              assertThat(parts).contains(Part.text("it is sunny").withRole("model"));
            })
        .then(user::tryEmitComplete)
        .verifyComplete();
    assertThat(model.received).filteredOn(Part::isFunctionResponse).hasSize(2);
    assertThat(model.received)
        .filteredOn(Part::isFunctionResponse)
        .allMatch(p -> p.substream().isEmpty());
  }

  @Test
  void theModelCanListAndCancelRunningCalls() {
    PublisherProbe<Object> ticks = PublisherProbe.of(Flux.never());
    Tool ticker =
        Tool.streaming(
            "ticker", "ticks", NODES.objectNode().put("type", "object"), args -> ticks.flux());
    Processor agent =
        FunctionCalling.builder(new ScriptedLiveModel()).tools(ticker).bidirectional(true).build();
    assertThat(((FunctionCalling) agent).tools())
        .extracting(Tool::name)
        .containsExactly("ticker", "cancel_fc", "list_fc");
    Sinks.Many<Part> user = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(agent.apply(user.asFlux()))
        .then(() -> user.tryEmitNext(Part.text("start")))
        .expectNextCount(2)
        .then(() -> user.tryEmitNext(Part.text("list")))
        .expectNextCount(1)
        .assertNext(
            p ->
                assertThat(p.functionResponse().response().get("result").toString())
                    .isEqualTo("[{\"id\":\"t1\",\"name\":\"ticker\",\"args\":{}}]"))
        .then(() -> user.tryEmitNext(Part.text("stop")))
        .expectNextCount(1)
        .assertNext(
            p ->
                assertThat(p.functionResponse().response().get("result").asString())
                    .isEqualTo("cancelled: [t1]"))
        .then(user::tryEmitComplete)
        .verifyComplete();
    ticks.assertWasCancelled();
  }

  @Test
  void callsWithoutAnIdGetOne() {
    Processor agent =
        FunctionCalling.builder(new ScriptedLiveModel())
            .tools(FunctionCallingTest.WEATHER)
            .bidirectional(true)
            .build();
    StepVerifier.create(
            agent.apply(Flux.just(Part.text("anonymous"))).filter(Part::isFunctionResponse).take(1))
        .assertNext(p -> assertThat(p.functionResponse().id()).isEqualTo("get_weather_1"))
        .verifyComplete();
  }

  @Test
  void theSessionEndsWhenInputHasEndedAndNoCallIsRunning() {
    Processor agent =
        FunctionCalling.builder(new ScriptedLiveModel())
            .tools(FunctionCallingTest.WEATHER)
            .bidirectional(true)
            .build();
    StepVerifier.create(
            agent
                .apply(Flux.just(Part.text("weather?")))
                .map(p -> p.isText() ? p.text() : "fc")
                .collectList())
        .assertNext(
            out ->
                assertThat(out)
                    .containsExactlyInAnyOrder("fc", "fc", "fc", "it is sunny")
                    .startsWith("fc", "fc"))
        .verifyComplete();
  }
}
