package dev.genaiprocessors.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Small builders for tests. */
final class Parts {
  private Parts() {}

  static List<Part> texts(String... texts) {
    List<Part> parts = new ArrayList<>();
    for (String t : texts) {
      parts.add(Part.text(t));
    }
    return parts;
  }

  static Flux<Part> stream(String... texts) {
    return Flux.fromIterable(texts(texts));
  }

  /** A part processor that appends a suffix to text, after a delay given by the text's number of 'slow' marks. */
  static PartProcessor delayedSuffix(String suffix, Duration delay) {
    return part -> Mono.delay(delay).map(x -> Part.text(part.text() + suffix)).flux();
  }

  static String texts(List<Part> parts) {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(p.text());
    }
    return sb.toString();
  }
}
