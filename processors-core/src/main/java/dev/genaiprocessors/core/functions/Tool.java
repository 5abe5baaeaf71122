package dev.genaiprocessors.core.functions;

import dev.genaiprocessors.core.Scheduling;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A function a model may call: its declaration (name, description, JSON schema of its parameters)
 * and how to run it.
 *
 * <pre>{@code
 * record Weather(@ToolParam(description = "a city") String city) {}
 * Tool weather = Tool.of("get_weather", "Current weather in a city", Weather.class, w -> lookUp(w.city()));
 * List<Tool> more = Tool.fromMethods(new CalendarTools());     // every @ToolFunction method
 * }</pre>
 *
 * <p><b>Kinds.</b> A <em>blocking</em> tool ({@link #of}, plain methods) runs on
 * {@code Schedulers.boundedElastic()}, never on the caller's thread. An <em>async</em> tool
 * ({@link #async}, methods returning {@code Mono}) answers once. A <em>streaming</em> tool
 * ({@link #streaming}, methods returning {@code Flux}) answers several times; each element is one
 * response. Results are converted to JSON with Jackson; a {@code JsonNode} is used as it is.
 *
 * <p>Immutable and thread-safe; a tool may run for several calls at once.
 */
public final class Tool {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final String name;
  private final String description;
  private final ObjectNode parameters;
  private final Function<JsonNode, Flux<JsonNode>> invoke;
  private final boolean streaming;
  private final Scheduling scheduling;

  private Tool(
      String name,
      String description,
      ObjectNode parameters,
      Function<JsonNode, Flux<JsonNode>> invoke,
      boolean streaming,
      Scheduling scheduling) {
    this.name = checkName(name);
    this.description = Objects.requireNonNull(description, "description");
    this.parameters = Objects.requireNonNull(parameters, "parameters").deepCopy();
    this.invoke = invoke;
    this.streaming = streaming;
    this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
  }

  // ---------------------------------------------------------------- factories

  /**
   * A blocking tool on JSON arguments.
   *
   * @param parameters the JSON schema of the arguments object
   * @param function called on {@code boundedElastic} with the arguments; returns the result (any value Jackson can write)
   * @param name the name the model calls it by
   * @param description what it does, for the model
   * @return the tool
   */
  public static Tool of(
      String name, String description, ObjectNode parameters, Function<JsonNode, ?> function) {
    Objects.requireNonNull(function, "function");
    return new Tool(
        name,
        description,
        parameters,
        args ->
            Mono.fromCallable(() -> toJson(function.apply(args)))
                .subscribeOn(Schedulers.boundedElastic())
                .flux(),
        false,
        Scheduling.WHEN_IDLE);
  }

  /**
   * A blocking tool whose arguments are a record (or any type Jackson can read); the schema is derived
   * from it.
   *
   * @param <P> the arguments' type
   * @param name the name the model calls it by
   * @param description what it does, for the model
   * @param parametersType the arguments' type; the JSON schema is derived from it
   * @param function called on {@code boundedElastic} with the arguments read as {@code P}; returns the
   *     result
   * @return the tool
   */
  public static <P> Tool of(
      String name, String description, Class<P> parametersType, Function<P, ?> function) {
    Objects.requireNonNull(function, "function");
    ObjectNode schema = ToolSchema.of(parametersType);
    return of(
        name,
        description,
        schema,
        args -> function.apply(MAPPER.treeToValue(args, parametersType)));
  }

  /**
   * A tool that answers once, asynchronously; {@code function} must not block.
   *
   * @param name the name the model calls it by
   * @param description what it does, for the model
   * @param parameters the JSON schema of the arguments object
   * @param function called with the arguments; its {@code Mono} gives the result
   * @return the tool
   */
  public static Tool async(
      String name,
      String description,
      ObjectNode parameters,
      Function<JsonNode, ? extends Mono<?>> function) {
    Objects.requireNonNull(function, "function");
    return new Tool(
        name,
        description,
        parameters,
        args -> Mono.defer(() -> Mono.<Object>from(function.apply(args))).map(Tool::toJson).flux(),
        false,
        Scheduling.WHEN_IDLE);
  }

  /**
   * A tool that answers several times, asynchronously; {@code function} must not block.
   *
   * @param name the name the model calls it by
   * @param description what it does, for the model
   * @param parameters the JSON schema of the arguments object
   * @param function called with the arguments; its {@code Flux} gives the results in order
   * @return the tool
   */
  public static Tool streaming(
      String name,
      String description,
      ObjectNode parameters,
      Function<JsonNode, ? extends Flux<?>> function) {
    Objects.requireNonNull(function, "function");
    return new Tool(
        name,
        description,
        parameters,
        args -> Flux.defer(() -> Flux.<Object>from(function.apply(args))).map(Tool::toJson),
        true,
        Scheduling.WHEN_IDLE);
  }

  /**
   * One tool per public method of {@code target} annotated with {@link ToolFunction}: blocking for plain
   * return types, async for {@code Mono}, streaming for {@code Flux}.
   *
   * @param target the object whose annotated methods become tools
   * @return the tools, one per annotated method
   * @throws IllegalArgumentException when the object has no such method, or a parameter type has no schema
   */
  public static List<Tool> fromMethods(Object target) {
    Objects.requireNonNull(target, "target");
    List<Tool> tools = new ArrayList<>();
    for (Method method : target.getClass().getMethods()) {
      ToolFunction meta = method.getAnnotation(ToolFunction.class);
      if (meta != null) {
        tools.add(fromMethod(target, method, meta));
      }
    }
    if (tools.isEmpty()) {
      throw new IllegalArgumentException(
          target.getClass().getName() + " has no public method annotated @ToolFunction");
    }
    tools.sort((a, b) -> a.name.compareTo(b.name));
    return List.copyOf(tools);
  }

  private static Tool fromMethod(Object target, Method method, ToolFunction meta) {
    if (Modifier.isStatic(method.getModifiers())) {
      throw new IllegalArgumentException(
          "@ToolFunction method " + method + " is static; tools are instance methods");
    }
    String name = meta.name().isEmpty() ? method.getName() : meta.name();
    Parameter[] params = method.getParameters();
    ObjectNode schema = ToolSchema.ofParameters(params);
    Function<JsonNode, Object> call = args -> invokeMethod(target, method, params, args);
    Class<?> returns = method.getReturnType();
    if (Mono.class.isAssignableFrom(returns)) {
      return async(name, meta.description(), schema, args -> (Mono<?>) call.apply(args));
    }
    if (Flux.class.isAssignableFrom(returns)) {
      return streaming(name, meta.description(), schema, args -> (Flux<?>) call.apply(args));
    }
    if (Publisher.class.isAssignableFrom(returns)) {
      return streaming(
          name, meta.description(), schema, args -> Flux.from((Publisher<?>) call.apply(args)));
    }
    return of(name, meta.description(), schema, call);
  }

  private static Object invokeMethod(
      Object target, Method method, Parameter[] params, JsonNode args) {
    Object[] values = new Object[params.length];
    for (int i = 0; i < params.length; i++) {
      ToolParam meta = params[i].getAnnotation(ToolParam.class);
      String name = meta != null && !meta.name().isEmpty() ? meta.name() : params[i].getName();
      JsonNode value = args.get(name);
      JavaType type = MAPPER.getTypeFactory().constructType(params[i].getParameterizedType());
      if (Optional.class.equals(params[i].getType())) {
        JavaType inner = type.containedTypeOrUnknown(0);
        values[i] =
            value == null || value.isNull()
                ? Optional.empty()
                : Optional.of(MAPPER.treeToValue(value, inner));
      } else if (value == null || value.isNull()) {
        if (params[i].getType().isPrimitive()) {
          throw new IllegalArgumentException("missing argument '" + name + "'");
        }
        values[i] = null;
      } else {
        values[i] = MAPPER.treeToValue(value, type);
      }
    }
    try {
      return method.invoke(target, values);
    } catch (InvocationTargetException e) {
      // Method.invoke always sets the cause; the fallback only satisfies the nullness check.
      Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + method + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- accessors

  /**
   * The name the model calls it by.
   *
   * @return the name, never blank
   */
  public String name() {
    return name;
  }

  /**
   * What it does, for the model.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * A copy of the JSON schema of its arguments object.
   *
   * @return a deep copy of the schema
   */
  public ObjectNode parameters() {
    return parameters.deepCopy();
  }

  /**
   * True when it answers several times.
   *
   * @return whether it is a streaming tool
   */
  public boolean isStreaming() {
    return streaming;
  }

  /**
   * When a live model should take a result that arrives while it is busy; default {@link
   * Scheduling#WHEN_IDLE}.
   *
   * @return the scheduling, never null
   */
  public Scheduling scheduling() {
    return scheduling;
  }

  /**
   * This tool with another scheduling for its results in live sessions.
   *
   * @param scheduling when a live model should take its results
   * @return a copy with the new scheduling
   */
  public Tool withScheduling(Scheduling scheduling) {
    return new Tool(name, description, parameters, invoke, streaming, scheduling);
  }

  /**
   * This tool with its responses delayed by {@code delay} on {@code scheduler}: a delayed function
   * response, as the patterns schedule one (a reminder, a timer, a result released at a set moment). See
   * {@link #withResponseDelay(Function, Scheduler)}.
   *
   * @param delay how long after the tool produced it each response is given; zero or more
   * @param scheduler the scheduler whose timer releases the responses (a virtual-time one in tests)
   * @return a copy whose responses come {@code delay} later
   * @throws IllegalArgumentException when {@code delay} is negative
   */
  public Tool withResponseDelay(Duration delay, Scheduler scheduler) {
    Objects.requireNonNull(delay, "delay");
    checkDelay(delay);
    return withResponseDelay(args -> delay, scheduler);
  }

  /**
   * This tool with its responses delayed by a duration read from each call's arguments (such as a
   * {@code delay_seconds} the model chose): the tool runs at once; each of its results, its completion
   * and its failure are given {@code delay} later on {@code scheduler}'s timer, spaced as they came
   * ({@code Flux.delaySequence}). Nothing blocks while waiting. Cancelling the call (the output is
   * cancelled, or a live model's {@code cancel_fc}) cancels the pending responses. A delay that is
   * negative, or a {@code delayOf} that throws, fails the call (function calling answers the model with
   * an error response). Kind (blocking, async, streaming) and scheduling are kept; in a live session the
   * delayed response goes to the model with the tool's {@link #scheduling()}.
   *
   * @param delayOf the delay of a call, from its arguments
   * @param scheduler the scheduler whose timer releases the responses (a virtual-time one in tests)
   * @return a copy whose responses come later
   */
  public Tool withResponseDelay(Function<JsonNode, Duration> delayOf, Scheduler scheduler) {
    Objects.requireNonNull(delayOf, "delayOf");
    Objects.requireNonNull(scheduler, "scheduler");
    Function<JsonNode, Flux<JsonNode>> now = invoke;
    return new Tool(
        name,
        description,
        parameters,
        args ->
            Flux.defer(
                () -> {
                  Duration delay =
                      Objects.requireNonNull(delayOf.apply(args), "the delay of a call");
                  checkDelay(delay);
                  return now.apply(args).delaySequence(delay, scheduler);
                }),
        streaming,
        scheduling);
  }

  private static void checkDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException(
          "a response delay must be zero or more, was " + delay + "; give a duration of 0 or more");
    }
  }

  /**
   * The declaration model APIs take: {@code {"name", "description", "parameters"}}.
   *
   * @return a new JSON object
   */
  public ObjectNode declaration() {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("name", name);
    d.put("description", description);
    d.set("parameters", parameters.deepCopy());
    return d;
  }

  /**
   * Runs the tool on these arguments: its results, as JSON, in order.
   *
   * @param args the arguments object, as the model sent it
   * @return the results; an error when the tool fails
   */
  public Flux<JsonNode> invoke(JsonNode args) {
    Objects.requireNonNull(args, "args");
    return Flux.defer(() -> invoke.apply(args));
  }

  @Override
  public String toString() {
    return "Tool[" + name + (streaming ? ", streaming" : "") + "]";
  }

  private static JsonNode toJson(@Nullable Object value) {
    if (value instanceof JsonNode node) {
      return node;
    }
    return value == null ? JsonNodeFactory.instance.nullNode() : MAPPER.valueToTree(value);
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z_][A-Za-z0-9_.\\-]{0,63}")) {
      throw new IllegalArgumentException(
          "tool name '"
              + name
              + "' must start with a letter or underscore and hold at most 64 letters, digits, '_', '.' or '-'");
    }
    return name;
  }
}
