package dev.genaiprocessors.examples;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The math assistant's turn-based model on the local provider, where there is no language model: a
 * rule that finds an arithmetic expression in the user's words and calls the {@code calculate} tool
 * with it, then says the tool's result. Not a language model, and it says so when asked anything else.
 */
final class MathResponder implements Processor {

  /** The longest run of digits, operators, spaces and parentheses that holds a digit. */
  private static final Pattern EXPRESSION = Pattern.compile("[-+(]*[\\d.][\\d.\\s+\\-*/%^x×÷()]*");

  @Override
  public Flux<Part> apply(Flux<Part> prompt) {
    return prompt
        .filter(
            p ->
                p.isFunctionResponse()
                    || (p.isText() && "user".equals(p.role()) && !p.text().isBlank()))
        .last(Part.text(""))
        .flatMapMany(
            last -> {
              if (last.isFunctionResponse()) {
                JsonNode response = last.functionResponse().response();
                return say(
                    response.has("error")
                        ? "I could not work that out: " + response.get("error").asString()
                        : "The result is " + format(response.get("result")) + ".");
              }
              String expression = expressionIn(last.isText() ? last.text() : "");
              if (expression == null) {
                return say(
                    "I am the offline math helper, not a language model: ask me an arithmetic"
                        + " question such as what is 12 times 7.");
              }
              return Flux.just(
                  Part.functionCall(
                      "calculate",
                      JsonNodeFactory.instance.objectNode().put("expression", expression)));
            });
  }

  /** The arithmetic in a question ("what is 12 times 7" reads as {@code 12 * 7}), or null. */
  static @Nullable String expressionIn(String question) {
    String text =
        question
            .toLowerCase(java.util.Locale.ROOT)
            .replace("plus", "+")
            .replace("minus", "-")
            .replace("times", "*")
            .replace("multiplied by", "*")
            .replace("divided by", "/")
            .replace("over", "/");
    Matcher m = EXPRESSION.matcher(text);
    @Nullable String best = null;
    while (m.find()) {
      String found = m.group().strip();
      if (best == null || found.length() > best.length()) {
        best = found;
      }
    }
    return best;
  }

  private static String format(JsonNode result) {
    double value = result.asDouble();
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(java.util.Locale.ROOT, "%.4f", value).replaceAll("0+$", "");
  }

  private static Flux<Part> say(String text) {
    return Flux.just(Part.text(text).withRole("model"));
  }
}
