package dev.genaiprocessors.examples;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartProcessor;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.core.functions.FunctionCalling;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.core.functions.ToolFunction;
import dev.genaiprocessors.core.functions.ToolParam;
import dev.genaiprocessors.gemini.GeminiModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * A small research pipeline: a planner splits a question into sub-questions, each is researched at
 * the same time by a model that calls a tool, and a final model call writes the answer from the
 * findings.
 *
 * <pre>{@code
 * ./mvnw -q -pl processors-examples -am compile exec:java -Dexample=dev.genaiprocessors.examples.ResearchExample
 * }</pre>
 *
 * <p>With {@code GEMINI_API_KEY} (or {@code GOOGLE_API_KEY}) set, every model step is Gemini. Without a
 * key it runs offline on a <em>scripted</em> stand-in that follows a fixed plan (it asks the tool about
 * each city named in the question and reports what the tool said); the pipeline, the tool calls and
 * the concurrency are real, the "intelligence" is not, and the output says so.
 */
public final class ResearchExample {

  private ResearchExample() {}

  /** The research tool: facts about a few cities, from a small table. */
  public static final class CityFacts {
    private static final Map<String, String> FACTS =
        Map.of(
            "paris",
                "Paris: capital of France, about 2.1 million people in the city proper, on the Seine.",
            "berlin", "Berlin: capital of Germany, about 3.7 million people, on the Spree.",
            "madrid",
                "Madrid: capital of Spain, about 3.4 million people, at 650 m above sea level.",
            "rome", "Rome: capital of Italy, about 2.8 million people, on the Tiber.");

    @ToolFunction(
        description = "Facts about a European capital: country, population, river or altitude.")
    public String cityFacts(@ToolParam(description = "the city's name, e.g. Paris") String city) {
      String fact = FACTS.get(city.strip().toLowerCase(java.util.Locale.ROOT));
      return fact != null
          ? fact
          : "No facts about " + city + " in this table (it knows Paris, Berlin, Madrid, Rome).";
    }
  }

  static final String QUESTION =
      "Compare Paris, Berlin and Madrid: which is the largest, and what rivers or heights are they known for?";

  /** The three model roles of the pipeline. */
  record Models(Processor planner, Processor researcher, Processor writer, String description) {}

  public static void main(String[] args) {
    boolean hasKey =
        GeminiModel.API_KEY_VARIABLES.stream()
            .anyMatch(v -> System.getenv(v) != null && !System.getenv(v).isBlank());
    List<Tool> tools = Tool.fromMethods(new CityFacts());
    Models models = hasKey ? gemini(tools) : scripted();
    System.out.println("Models: " + models.description());
    System.out.println("Question: " + QUESTION);
    pipeline(models, tools)
        .apply(Flux.just(Part.text(QUESTION).withRole("user")))
        .doOnNext(
            p -> {
              if (p.substream().equals(Substreams.FUNCTION_CALL)) {
                System.out.println(
                    "  [tool] "
                        + (p.isFunctionCall()
                            ? p.functionCall().name() + p.functionCall().args()
                            : "-> " + p.functionResponse().response()));
              } else if (p.isStatus()) {
                System.out.println("  [status] " + p.text());
              } else if (p.substream().equals("finding")) {
                System.out.println("  [finding] " + p.text());
              } else if (p.isText() && !p.text().isBlank()) {
                System.out.println(p.text());
              }
            })
        .blockLast(Duration.ofMinutes(2));
  }

  /** planner -> one researcher per sub-question, concurrently, in order -> writer. */
  static Processor pipeline(Models models, List<Tool> tools) {
    PartProcessor research =
        question -> {
          Processor agent = FunctionCalling.builder(models.researcher()).tools(tools).build();
          return Flux.just(Part.status("researching: " + question.text()))
              .concatWith(
                  agent
                      .apply(Flux.just(question.withRole("user")))
                      .filter(
                          p ->
                              p.substream().equals(Substreams.FUNCTION_CALL)
                                  || (p.isText() && !p.text().isBlank()))
                      .map(
                          p ->
                              p.isText() && p.substream().isEmpty()
                                  ? p.withSubstream("finding")
                                  : p));
        };
    Processor splitIntoQuestions =
        in ->
            in.filter(p -> p.isText() && p.substream().isEmpty())
                .flatMapIterable(
                    p -> p.text().lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
                .map(line -> Part.text(line).withRole("user"));
    // Research output passes on as it comes; the writer is called on the findings once they are all
    // in.
    Processor write =
        in ->
            Flux.defer(
                () -> {
                  List<Part> findings = new ArrayList<>();
                  findings.add(Part.text("Question: " + QUESTION + "\nFindings:").withRole("user"));
                  return in.doOnNext(
                          p -> {
                            if (p.substream().equals("finding")) {
                              findings.add(Part.text(p.text()).withRole("user"));
                            }
                          })
                      .concatWith(
                          Flux.defer(
                              () -> {
                                findings.add(
                                    Part.text(
                                            "Write a short answer to the question from these findings only.")
                                        .withRole("user"));
                                return models
                                    .writer()
                                    .apply(Flux.fromIterable(findings))
                                    .map(p -> p.withSubstream("answer"));
                              }));
                });
    Processor plan =
        in ->
            models
                .planner()
                .apply(
                    in.map(
                        q ->
                            Part.text(
                                    "Split this question into one short sub-question per city, one per line, nothing else: "
                                        + q.text())
                                .withRole("user")));
    return plan.then(splitIntoQuestions).then(research.toProcessor(4)).then(write);
  }

  static Models gemini(List<Tool> tools) {
    String model = System.getProperty("gemini.model", "gemini-2.5-flash");
    return new Models(
        GeminiModel.builder(model).build(),
        GeminiModel.builder(model).tools(tools).build(),
        GeminiModel.builder(model).build(),
        "Gemini (" + model + "), key from the environment");
  }

  /** A scripted stand-in for the three roles: fixed behaviour, no language model. */
  static Models scripted() {
    Function<List<Part>, String> lastUser =
        prompt -> {
          String text = "";
          for (Part p : prompt) {
            if (p.isText() && p.role().equals("user")) {
              text = p.text();
            }
          }
          return text;
        };
    Processor planner =
        in ->
            in.collectList()
                .flatMapMany(
                    prompt -> {
                      List<String> cities = new ArrayList<>();
                      for (String city : List.of("Paris", "Berlin", "Madrid", "Rome")) {
                        if (lastUser.apply(prompt).contains(city)) {
                          cities.add("What should I know about " + city + "?");
                        }
                      }
                      return Flux.just(Part.text(String.join("\n", cities)).withRole("model"));
                    });
    Processor researcher =
        in ->
            in.collectList()
                .flatMapMany(
                    prompt -> {
                      Part last = prompt.get(prompt.size() - 1);
                      if (last.isFunctionResponse()) {
                        return Flux.just(
                            Part.text(last.functionResponse().response().get("result").asString())
                                .withRole("model"));
                      }
                      String question = lastUser.apply(prompt);
                      String city = question.replaceAll(".*about (\\w+).*", "$1");
                      return Flux.just(
                          Part.functionCall(
                                  "cityFacts",
                                  tools.jackson.databind.node.JsonNodeFactory.instance
                                      .objectNode()
                                      .put("city", city))
                              .withRole("model"));
                    });
    Processor writer =
        in ->
            in.collectList()
                .flatMapMany(
                    prompt -> {
                      List<String> facts = new ArrayList<>();
                      for (Part p : prompt) {
                        if (p.isText() && p.text().contains(": capital")) {
                          facts.add(p.text());
                        }
                      }
                      return Flux.just(
                          Part.text(
                                  "Answer (scripted: the findings, listed, not reasoned about): "
                                      + String.join(" ", facts))
                              .withRole("model"));
                    });
    return new Models(
        planner,
        researcher,
        writer,
        "a local scripted stand-in (no key set: it follows a fixed plan and is not a language model; "
            + "set GEMINI_API_KEY to use Gemini)");
  }
}
