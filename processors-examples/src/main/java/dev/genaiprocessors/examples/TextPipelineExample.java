package dev.genaiprocessors.examples;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartProcessor;
import dev.genaiprocessors.core.Passthrough;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A small text pipeline that shows the algebra: a chain of part processors, a parallel step, a
 * whole-stream processor, and status parts that overtake a slow stage.
 *
 * <p>Sentences arrive one by one. Each is cleaned, then analysed by two processors side by side
 * (statistics and keywords) while the sentence itself passes on; a slow "enrichment" stage stands for
 * a model call, and its status parts reach the output before it finishes; a final stage keeps running
 * totals. Runs offline, in about two seconds:
 *
 * <pre>{@code ./mvnw -q -pl processors-examples -am compile exec:java}</pre>
 */
public final class TextPipelineExample {

  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "the", "of", "to", "in", "on", "is", "are", "for", "with", "it", "its",
          "at", "by", "as");

  private TextPipelineExample() {}

  /** Cleans whitespace; drops blank lines. */
  static final PartProcessor CLEAN =
      PartProcessor.filter(p -> !p.isText() || !p.text().isBlank())
          .then(
              PartProcessor.map(
                  p -> p.isText() ? Part.text(p.text().strip().replaceAll("\\s+", " ")) : p));

  /** Word count and reading time, on the "stats" substream. */
  static final PartProcessor STATISTICS =
      part -> {
        int words = part.text().split(" ").length;
        return Flux.just(
            Part.text(words + " words, ~" + Math.max(1, words * 60 / 200) + " s to read")
                .withSubstream("stats"));
      };

  /** The most frequent words that are not stop words, on the "keywords" substream. */
  static final PartProcessor KEYWORDS =
      part -> {
        Map<String, Long> counts =
            Arrays.stream(part.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() > 2 && !STOP_WORDS.contains(w))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> top =
            counts.entrySet().stream()
                .sorted(
                    Map.Entry.<String, Long>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(3)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
        return Flux.just(Part.text(String.join(", ", top)).withSubstream("keywords"));
      };

  /** Stands for a slow model call: announces itself on the status substream, then answers later. */
  static final Processor ENRICH =
      input ->
          input.concatMap(
              part ->
                  !part.substream().isEmpty()
                      ? Flux.just(part)
                      : Flux.concat(
                          Flux.just(Part.status("enriching: " + abbreviate(part.text()))),
                          Mono.delay(Duration.ofMillis(300))
                              .thenReturn(part.withMetadata("enriched", true))));

  /** Running totals over the whole stream, emitted once at the end. */
  static final Processor TOTALS =
      input ->
          input
              .filter(p -> p.substream().isEmpty())
              .map(p -> p.text().split(" ").length)
              .reduce(new int[2], (acc, words) -> new int[] {acc[0] + 1, acc[1] + words})
              .map(
                  acc ->
                      Part.text(acc[0] + " sentences, " + acc[1] + " words in all")
                          .withSubstream("totals")
                          .withRole("model"))
              .flux();

  /** The whole pipeline. */
  static Processor pipeline() {
    return CLEAN
        .then(PartProcessor.parallel(Passthrough.ALWAYS, STATISTICS, KEYWORDS))
        .then(ENRICH)
        .then(Processor.parallelConcat(input -> input, TOTALS));
  }

  /** Runs the pipeline over a few sentences that arrive 100 ms apart and prints every part. */
  public static void main(String[] args) {
    Flux<Part> sentences =
        Flux.just(
                "Reactor streams parts   through processors.",
                "   ",
                "Each processor is a function from a stream of parts to a stream of parts.",
                "Part processors work on many parts at once, and emit them in order.")
            .map(Part::text)
            .delayElements(Duration.ofMillis(100));

    long start = System.nanoTime();
    pipeline()
        .apply(sentences)
        .doOnNext(
            part ->
                System.out.printf(
                    "%5d ms  %-9s %s%n",
                    (System.nanoTime() - start) / 1_000_000,
                    part.substream().isEmpty() ? "(text)" : part.substream(),
                    part.text()))
        .blockLast(Duration.ofSeconds(30));
  }

  private static String abbreviate(String text) {
    return text.length() <= 32 ? text : text.substring(0, 32) + "…";
  }
}
