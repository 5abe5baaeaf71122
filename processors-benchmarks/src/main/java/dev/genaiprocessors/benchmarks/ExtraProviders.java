package dev.genaiprocessors.benchmarks;

import java.util.List;

/** The providers {@link LiveChunkLatency} measures besides Gemini. */
final class ExtraProviders {
  private ExtraProviders() {}

  static List<LiveChunkLatency.Provider> all() {
    return List.of();
  }
}
