package dev.genaiprocessors.core.functions;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/** A turn-based test model: answers the n-th call with the n-th script entry, and records every prompt. */
final class ScriptedTurnModel implements Processor {
  final List<List<Part>> prompts = new CopyOnWriteArrayList<>();
  private final List<Function<List<Part>, Flux<Part>>> turns;

  @SafeVarargs
  ScriptedTurnModel(Function<List<Part>, Flux<Part>>... turns) {
    this.turns = List.of(turns);
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return input
        .collectList()
        .flatMapMany(
            prompt -> {
              prompts.add(new ArrayList<>(prompt));
              int turn = prompts.size() - 1;
              if (turn >= turns.size()) {
                return Flux.error(
                    new AssertionError(
                        "the model was called "
                            + (turn + 1)
                            + " times; the script has "
                            + turns.size()));
              }
              return turns.get(turn).apply(prompt);
            });
  }
}
