package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.functions.FunctionCalling;
import dev.genaiprocessors.core.functions.Tool;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Gemini Live session whose tools run in the background ({@link GeminiLiveProcessor#withBackgroundTools}):
 * {@link FunctionCalling} in bidirectional mode around a live processor that declares every one of its
 * tools, {@code cancel_fc} and {@code list_fc} included, NON_BLOCKING, so the declarations and the
 * background responses ({@code SILENT} acknowledgement with {@code willContinue}, then results with their
 * scheduling) agree by construction.
 *
 * <p>A {@code toolCallCancellation} from the server becomes, next to its own part, a call of
 * {@code cancel_fc} with the cancelled ids (id {@code server-cancel-N}): FunctionCalling cancels those
 * running tools, and its answer to that call is kept from the server, which never made it.
 */
final class BackgroundTools implements Processor {
  /** FunctionCalling's control tool that cancels running calls (see its Javadoc). */
  private static final String CANCEL_TOOL = "cancel_fc";

  private static final String SERVER_CANCEL = "server-cancel-";

  private final Processor calling;

  BackgroundTools(GeminiLiveProcessor live, List<Tool> tools) {
    List<Tool> declared =
        FunctionCalling.builder(live).bidirectional(true).tools(tools).build().tools();
    GeminiLiveProcessor.Builder b = live.toBuilder();
    b.nonBlockingTools(declared.toArray(Tool[]::new));
    GeminiLiveProcessor nonBlocking = b.build();
    Processor model =
        input ->
            Flux.defer(
                () -> {
                  AtomicLong cancellations = new AtomicLong();
                  return nonBlocking
                      .apply(input.filter(p -> !isServerCancelAnswer(p)))
                      .concatMap(
                          p ->
                              GeminiLiveParts.isToolCallCancellation(p)
                                  ? Flux.just(
                                      p,
                                      cancelCall(
                                          SERVER_CANCEL + cancellations.incrementAndGet(),
                                          GeminiLiveParts.cancelledCallIds(p)))
                                  : Flux.just(p));
                });
    this.calling = FunctionCalling.builder(model).bidirectional(true).tools(tools).build();
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return calling.apply(input);
  }

  private static Part cancelCall(String id, List<String> ids) {
    ObjectNode args = Wire.object();
    ArrayNode list = args.putArray("function_ids");
    ids.forEach(list::add);
    return Part.functionCall(id, CANCEL_TOOL, args).withRole("model");
  }

  private static boolean isServerCancelAnswer(Part p) {
    return p.isFunctionResponse()
        && p.functionResponse().id() != null
        && p.functionResponse().id().startsWith(SERVER_CANCEL)
        && CANCEL_TOOL.equals(p.functionResponse().name());
  }
}
