package dev.genaiprocessors.core.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Scheduling;
import dev.genaiprocessors.core.Substreams;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class FunctionCallingTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  record City(@ToolParam(description = "a city") String city) {}

  static final Tool WEATHER =
      Tool.of(
          "get_weather",
          "Current weather",
          City.class,
          c -> c.city().equals("Paris") ? "sunny" : "rain");

  static Part call(String name, String arg) {
    return Part.functionCall(name, NODES.objectNode().put("city", arg)).withRole("model");
  }

  @Test
  void theModelIsCalledAgainWithTheToolsResultUntilItAnswers() {
    ScriptedTurnModel model =
        new ScriptedTurnModel(
            prompt -> Flux.just(call("get_weather", "Paris")),
            prompt -> Flux.just(Part.text("It is sunny in Paris.").withRole("model")));
    Processor agent = FunctionCalling.builder(model).tools(WEATHER).build();
    StepVerifier.create(agent.apply(Flux.just(Part.text("Weather in Paris?").withRole("user"))))
        .assertNext(
            p -> {
              assertThat(p.isFunctionCall()).isTrue();
              assertThat(p.substream()).isEqualTo(Substreams.FUNCTION_CALL);
            })
        .assertNext(
            p -> {
              assertThat(p.functionResponse().response().get("result").asString())
                  .isEqualTo("sunny");
              assertThat(p.role()).isEqualTo("user");
              assertThat(p.substream()).isEqualTo(Substreams.FUNCTION_CALL);
            })
        .expectNext(Part.text("It is sunny in Paris.").withRole("model"))
        .verifyComplete();
    List<Part> second = model.prompts.get(1);
    assertThat(second).hasSize(3);
    assertThat(second.get(0).text()).isEqualTo("Weather in Paris?");
    assertThat(second.get(1).isFunctionCall()).isTrue();
    assertThat(second.get(1).substream()).isEmpty();
    assertThat(second.get(2).isFunctionResponse()).isTrue();
  }

  @Test
  void callsRunConcurrentlyAndAnswerInCallOrder() {
    Tool slow =
        Tool.async(
            "slow",
            "",
            NODES.objectNode().put("type", "object"),
            args -> Mono.delay(Duration.ofSeconds(2)).thenReturn("slow done"));
    Tool fast =
        Tool.async(
            "fast",
            "",
            NODES.objectNode().put("type", "object"),
            args -> Mono.delay(Duration.ofSeconds(1)).thenReturn("fast done"));
    StepVerifier.withVirtualTime(
            () -> {
              ScriptedTurnModel model =
                  new ScriptedTurnModel(
                      prompt ->
                          Flux.just(
                              Part.functionCall("slow", NODES.objectNode()),
                              Part.functionCall("fast", NODES.objectNode())),
                      prompt -> Flux.just(Part.text("done")));
              return FunctionCalling.builder(model)
                  .tools(slow, fast)
                  .build()
                  .apply(Flux.just(Part.text("go")));
            })
        .expectNextCount(2)
        .expectNoEvent(Duration.ofSeconds(2))
        .assertNext(p -> assertThat(p.functionResponse().name()).isEqualTo("slow"))
        .assertNext(p -> assertThat(p.functionResponse().name()).isEqualTo("fast"))
        .expectNext(Part.text("done"))
        .verifyComplete();
  }

  @Test
  void unknownAndFailingToolsAreAnsweredAsErrorsNotThrown() {
    Tool broken =
        Tool.of(
            "broken",
            "",
            NODES.objectNode().put("type", "object"),
            args -> {
              throw new IllegalStateException("disk full");
            });
    ScriptedTurnModel model =
        new ScriptedTurnModel(
            prompt ->
                Flux.just(
                    Part.functionCall("nope", NODES.objectNode()),
                    Part.functionCall("broken", NODES.objectNode())),
            prompt -> Flux.just(Part.text("sorry")));
    StepVerifier.create(
            FunctionCalling.builder(model)
                .tools(WEATHER, broken)
                .build()
                .apply(Flux.just(Part.text("go"))))
        .expectNextCount(2)
        .assertNext(
            p -> {
              assertThat(p.functionResponse().isError()).isTrue();
              assertThat(p.functionResponse().response().get("error").asString())
                  .contains("'nope' is not available")
                  .contains("get_weather")
                  .contains("broken");
            })
        .assertNext(
            p -> {
              assertThat(p.functionResponse().isError()).isTrue();
              assertThat(p.functionResponse().response().get("error").asString())
                  .contains("Failed to invoke function broken: disk full");
            })
        .expectNext(Part.text("sorry"))
        .verifyComplete();
  }

  @Test
  void callsBeyondTheLimitAreRefusedAndALoopingModelIsStopped() {
    ScriptedTurnModel model =
        new ScriptedTurnModel(
            prompt -> Flux.just(call("get_weather", "Paris"), call("get_weather", "Rome")),
            prompt -> Flux.just(call("get_weather", "Oslo")));
    StepVerifier.create(
            FunctionCalling.builder(model)
                .tools(WEATHER)
                .maxFunctionCalls(1)
                .build()
                .apply(Flux.just(Part.text("go"))))
        .expectNextCount(2)
        .assertNext(p -> assertThat(p.functionResponse().isError()).isFalse())
        .assertNext(
            p ->
                assertThat(p.functionResponse().response().get("error").asString())
                    .contains("limit of 1"))
        .expectNextCount(1)
        .assertNext(
            p -> {
              assertThat(p.isStatus()).isTrue();
              assertThat(p.text()).contains("function calling stopped");
            })
        .verifyComplete();
    assertThat(model.prompts).hasSize(2);
  }

  @Test
  void aStreamingToolAnswersATurnBasedModelOnceWithAllItsResults() {
    Tool count =
        Tool.streaming(
            "count", "", NODES.objectNode().put("type", "object"), args -> Flux.just(1, 2, 3));
    ScriptedTurnModel model =
        new ScriptedTurnModel(
            prompt -> Flux.just(Part.functionCall("count", NODES.objectNode())),
            prompt -> Flux.just(Part.text("ok")));
    StepVerifier.create(
            FunctionCalling.builder(model).tools(count).build().apply(Flux.just(Part.text("go"))))
        .expectNextCount(1)
        .assertNext(
            p ->
                assertThat(p.functionResponse().response().get("result").toString())
                    .isEqualTo("[1,2,3]"))
        .expectNext(Part.text("ok"))
        .verifyComplete();
  }

  @Test
  void blockingToolsRunOffTheCallersThread() {
    AtomicReference<String> thread = new AtomicReference<>();
    Tool where =
        Tool.of(
            "where",
            "",
            NODES.objectNode().put("type", "object"),
            args -> {
              thread.set(Thread.currentThread().getName());
              return "here";
            });
    ScriptedTurnModel model =
        new ScriptedTurnModel(
            prompt -> Flux.just(Part.functionCall("where", NODES.objectNode())),
            prompt -> Flux.just(Part.text("ok")));
    StepVerifier.create(
            FunctionCalling.builder(model).tools(where).build().apply(Flux.just(Part.text("go"))))
        .expectNextCount(3)
        .verifyComplete();
    assertThat(thread.get()).contains("boundedElastic");
  }

  @Test
  void duplicateToolNamesAreRejected() {
    assertThatThrownBy(() -> FunctionCalling.builder(in -> in).tools(WEATHER, WEATHER).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("get_weather");
  }

  // ---------------------------------------------------------------- tools from methods

  /** Tools of a calendar, for {@link Tool#fromMethods}. */
  public static final class Calendar {
    public enum Kind {
      MEETING,
      REMINDER
    }

    @ToolFunction(description = "Adds an event")
    public String addEvent(
        @ToolParam(description = "title") String title,
        int minutes,
        Kind kind,
        Optional<String> place) {
      return title + "/" + minutes + "/" + kind + "/" + place.orElse("-");
    }

    @ToolFunction(description = "Upcoming events", name = "upcoming")
    public Mono<List<String>> next(@ToolParam(required = false) Integer count) {
      return Mono.just(List.of("standup"));
    }

    public String notATool() {
      return "";
    }
  }

  @Test
  void toolsFromAnnotatedMethodsDeriveTheirSchemaAndRun() {
    List<Tool> tools = Tool.fromMethods(new Calendar());
    assertThat(tools).extracting(Tool::name).containsExactly("addEvent", "upcoming");
    Tool add = tools.get(0);
    assertThat(add.declaration().toString())
        .isEqualTo(
            "{\"name\":\"addEvent\",\"description\":\"Adds an event\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\",\"description\":\"title\"},"
                + "\"minutes\":{\"type\":\"integer\"},\"kind\":{\"type\":\"string\",\"enum\":[\"MEETING\",\"REMINDER\"]},"
                + "\"place\":{\"type\":\"string\"}},\"required\":[\"title\",\"minutes\",\"kind\"]}}");
    ObjectNode args =
        NODES.objectNode().put("title", "Lunch").put("minutes", 30).put("kind", "MEETING");
    StepVerifier.create(add.invoke(args))
        .assertNext(r -> assertThat(r.asString()).isEqualTo("Lunch/30/MEETING/-"))
        .verifyComplete();
    StepVerifier.create(tools.get(1).invoke(NODES.objectNode()))
        .assertNext(r -> assertThat(r.toString()).isEqualTo("[\"standup\"]"))
        .verifyComplete();
    assertThat(tools.get(1).parameters().has("required")).isFalse();
  }

  @Test
  void badToolDefinitionsAreRejectedWithAReason() {
    assertThatThrownBy(() -> Tool.fromMethods(new Object()))
        .hasMessageContaining("no public method annotated");
    assertThatThrownBy(() -> Tool.of("has space", "", NODES.objectNode(), a -> a))
        .hasMessageContaining("tool name");
    record Bad(Object thing) {}
    assertThatThrownBy(() -> Tool.of("bad", "", Bad.class, b -> b))
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void schedulingCanBeSetPerTool() {
    assertThat(WEATHER.scheduling()).isEqualTo(Scheduling.WHEN_IDLE);
    assertThat(WEATHER.withScheduling(Scheduling.INTERRUPT).scheduling())
        .isEqualTo(Scheduling.INTERRUPT);
  }
}
