package dev.genaiprocessors.core.functions;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartBufferOverflowException;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.ReservedSubstreams;
import dev.genaiprocessors.core.Substreams;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Runs the tools a model calls and gives it their results: model, function calls, tools, responses,
 * model again.
 *
 * <pre>{@code
 * Processor agent = FunctionCalling.builder(model).tools(weather, calendar).build();
 * agent.apply(Flux.just(Part.text("Do I need an umbrella in Paris?").withRole("user")));
 * }</pre>
 *
 * <p>The model must know the tools too: give it {@link #tools()} (their {@link Tool#declaration()}s)
 * when you build it.
 *
 * <p><b>Turn-based models</b> (the default). The input is the prompt: it is gathered (at most
 * {@link Builder#maxPromptParts(int)} parts), then the model is called. Its output streams through;
 * function calls (model output on the default substream) are emitted on the {@code function_call}
 * substream. When the model has finished, every call it made runs, concurrently (blocking tools on
 * {@code boundedElastic}); their responses are emitted, in call order, on the {@code function_call}
 * substream, and the model is called again on the prompt, its output and the responses. This repeats
 * until the model calls nothing. Every tool is awaited: a streaming tool answers once, with the array of
 * its results. At most {@link Builder#maxFunctionCalls(int)} calls run (default 5); calls beyond are
 * answered with an error asking the model to answer without them, and if it calls again anyway the
 * loop ends with a status part.
 *
 * <p><b>Bidirectional (live) models</b> ({@link Builder#bidirectional(boolean)}). The input streams to
 * the model, merged with the tools' responses. Every call runs in the background: the model is answered
 * at once with {@code "Running in background."} (scheduling {@code SILENT}, {@code willContinue}), then
 * with each result, using the tool's {@link Tool#scheduling()} (a streaming tool's results carry
 * {@code willContinue=true} and end with an empty final response). The model may also call
 * {@code cancel_fc(function_ids)} and {@code list_fc()}, which are added to the tools. Calls without an
 * id get {@code name_N}. Results appear on the output as they arrive, on the {@code function_call}
 * substream; the model's reaction to a result may reach the output before the result itself. Once the
 * input has completed and no call is running, the model's input completes. No limit on calls by default.
 *
 * <p><b>Errors</b>: an unknown function or a failing tool is answered to the model as an error response
 * ({@code isError}); it does not fail the stream. Errors of the model fail the output. <b>Cancellation</b>
 * cancels the model and every running call. <b>Buffering</b>: the prompt is bounded (turn-based); responses
 * waiting for a live model are bounded at {@value BidiFunctionCalling#MAX_PENDING_RESPONSES}, past which
 * the output fails with {@link PartBufferOverflowException}.
 */
public final class FunctionCalling implements Processor {

  private final Processor model;
  private final List<Tool> tools;
  private final boolean bidirectional;
  private final int maxFunctionCalls;
  private final int maxPromptParts;

  private FunctionCalling(Builder b) {
    this.model = b.model;
    this.bidirectional = b.bidirectional;
    List<Tool> all = new ArrayList<>(b.tools);
    if (bidirectional) {
      all.addAll(BidiFunctionCalling.controlTools());
    }
    this.tools = List.copyOf(all);
    new ToolRunner(this.tools); // checks for duplicate names now rather than at the first call
    this.maxFunctionCalls =
        b.maxFunctionCalls != null ? b.maxFunctionCalls : bidirectional ? Integer.MAX_VALUE : 5;
    this.maxPromptParts = b.maxPromptParts;
  }

  /**
   * A builder around the model: a turn-based {@link Processor} unless made bidirectional.
   *
   * @param model the model that calls the tools
   * @return a new builder
   */
  public static Builder builder(Processor model) {
    return new Builder(model);
  }

  /**
   * Every tool the model may call, including {@code cancel_fc} and {@code list_fc} when bidirectional.
   *
   * @return an unmodifiable list of the tools
   */
  public List<Tool> tools() {
    return tools;
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    if (bidirectional) {
      return Flux.defer(() -> new BidiFunctionCalling(model, tools, maxFunctionCalls).run(input));
    }
    return input
        .take(maxPromptParts + 1L, true)
        .collectList()
        .flatMapMany(
            prompt -> {
              if (prompt.size() > maxPromptParts) {
                return Flux.error(
                    new PartBufferOverflowException(
                        "FunctionCalling gathers a prompt of at most "
                            + maxPromptParts
                            + " parts; the input was longer. Raise maxPromptParts, or use a bidirectional model"));
              }
              return Flux.deferContextual(
                  context ->
                      new TurnLoop(new ToolRunner(tools), ReservedSubstreams.from(context))
                          .turn(new ArrayList<>(prompt), 0, false));
            });
  }

  /** Whether a model output part is a function call to run: a call on the default substream. */
  static boolean isCall(Part part) {
    return part.isFunctionCall() && part.substream().isEmpty();
  }

  /** The loop for a turn-based model; one per subscription. */
  private final class TurnLoop {
    private final ToolRunner runner;
    private final ReservedSubstreams reserved;

    TurnLoop(ToolRunner runner, ReservedSubstreams reserved) {
      this.runner = runner;
      this.reserved = reserved;
    }

    Flux<Part> turn(List<Part> prompt, int callsMade, boolean limitReached) {
      return Flux.defer(
          () -> {
            List<Part> history = new ArrayList<>();
            List<Part> calls = new ArrayList<>();
            Flux<Part> answer =
                model
                    .apply(Flux.fromIterable(List.copyOf(prompt)))
                    .map(
                        part -> {
                          if (isCall(part)) {
                            calls.add(part);
                            history.add(asModel(part));
                            return part.withSubstream(Substreams.FUNCTION_CALL);
                          }
                          if (!reserved.test(part)) {
                            history.add(asModel(part));
                          }
                          return part;
                        });
            return answer.concatWith(
                Flux.defer(() -> afterAnswer(prompt, history, calls, callsMade, limitReached)));
          });
    }

    private Flux<Part> afterAnswer(
        List<Part> prompt,
        List<Part> history,
        List<Part> calls,
        int callsMade,
        boolean limitReached) {
      if (calls.isEmpty()) {
        return Flux.empty();
      }
      if (limitReached) {
        return Flux.just(
            Part.status(
                "function calling stopped: the model asked for "
                    + calls.size()
                    + " more call(s) after the limit of "
                    + maxFunctionCalls
                    + " was reached"));
      }
      int budget = Math.max(0, maxFunctionCalls - callsMade);
      List<Part> toRun = calls.subList(0, Math.min(budget, calls.size()));
      List<Part> beyond = calls.subList(toRun.size(), calls.size());
      Flux<Part> responses =
          Flux.concat(
              Flux.fromIterable(toRun)
                  .flatMapSequential(call -> runner.runToCompletion(call.functionCall())),
              Flux.fromIterable(beyond)
                  .map(
                      call ->
                          ToolRunner.error(
                              call.functionCall().id(),
                              call.functionCall().name(),
                              "the limit of "
                                  + maxFunctionCalls
                                  + " function calls is reached; answer without calling functions")));
      return responses
          .collectList()
          .flatMapMany(
              answered -> {
                prompt.addAll(history);
                prompt.addAll(answered);
                return Flux.fromIterable(answered)
                    .map(r -> r.withSubstream(Substreams.FUNCTION_CALL))
                    .concatWith(turn(prompt, callsMade + toRun.size(), !beyond.isEmpty()));
              });
    }

    private Part asModel(Part part) {
      return part.role().isEmpty() ? part.withRole("model") : part;
    }
  }

  /** Configures {@link FunctionCalling}. */
  public static final class Builder {
    private final Processor model;
    private final List<Tool> tools = new ArrayList<>();
    private boolean bidirectional;
    private @Nullable Integer maxFunctionCalls;
    private int maxPromptParts = 10_000;

    private Builder(Processor model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * Adds tools.
     *
     * @param tools tools to add to those already given
     * @return this builder
     */
    public Builder tools(Tool... tools) {
      return tools(List.of(tools));
    }

    /**
     * Adds tools.
     *
     * @param tools tools to add to those already given
     * @return this builder
     */
    public Builder tools(List<Tool> tools) {
      for (Tool t : tools) {
        this.tools.add(Objects.requireNonNull(t, "tool"));
      }
      return this;
    }

    /**
     * Whether the model is bidirectional (a live session over an endless input); default false.
     *
     * @param bidirectional true for a live model
     * @return this builder
     */
    public Builder bidirectional(boolean bidirectional) {
      this.bidirectional = bidirectional;
      return this;
    }

    /**
     * The most calls run per subscription; default 5 for turn-based models, no limit for bidirectional ones.
     *
     * @param maxFunctionCalls the most calls, 0 or more (0: the model may not call any tool)
     * @return this builder
     */
    public Builder maxFunctionCalls(int maxFunctionCalls) {
      if (maxFunctionCalls < 0) {
        throw new IllegalArgumentException(
            "maxFunctionCalls must not be negative, was " + maxFunctionCalls);
      }
      this.maxFunctionCalls = maxFunctionCalls;
      return this;
    }

    /**
     * The most prompt parts a turn-based model's input may have; default 10,000.
     *
     * @param maxPromptParts the most prompt parts, at least 1
     * @return this builder
     */
    public Builder maxPromptParts(int maxPromptParts) {
      if (maxPromptParts < 1) {
        throw new IllegalArgumentException(
            "maxPromptParts must be at least 1, was " + maxPromptParts);
      }
      this.maxPromptParts = maxPromptParts;
      return this;
    }

    /**
     * The processor.
     *
     * @return a new function-calling processor
     */
    public FunctionCalling build() {
      return new FunctionCalling(this);
    }
  }
}
