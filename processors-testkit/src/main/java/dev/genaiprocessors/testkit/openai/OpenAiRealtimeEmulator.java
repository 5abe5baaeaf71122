package dev.genaiprocessors.testkit.openai;

import dev.genaiprocessors.testkit.Emulator;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A scriptable OpenAI Realtime server (GA shape) on 127.0.0.1, for tests: script what the server answers, run the
 * client, then verify what it sent. Shaped like OkHttp's MockWebServer.
 *
 * <pre>{@code
 * try (OpenAiRealtimeEmulator server = OpenAiRealtimeEmulator.builder().build().start()) {
 *   server.enqueue(Script.builder().on("response.create", Reply.response(Output.text("Hi!"))).build());
 *   // connect a client to server.uri() + "?model=gpt-realtime" with "Authorization: Bearer " + server.apiKey()
 *   ClientMessage update = server.takeMessage("session.update", Duration.ofSeconds(5));
 *   server.assertScriptUsedUp();
 * }
 * }</pre>
 *
 * <p><b>Connecting.</b> Route {@code /v1/realtime} (404 otherwise). The upgrade is always accepted; then, as the
 * real server: a header {@code OpenAI-Beta: realtime=v1} closes with {@code 4000 beta_api_shape_disabled}; a missing
 * or wrong {@code Authorization: Bearer} key, a missing or unknown {@code ?model=} get an {@code error} event and
 * close {@code 3000 invalid_request_error.<code>}. Otherwise {@code session.created} comes at once with the full
 * session, and after the {@linkplain Builder#sessionDuration session duration} (60 minutes) an {@code error}
 * {@code session_expired} then close {@code 1001}.
 *
 * <p><b>Protocol.</b> Every GA client event is handled (see {@link Step} and {@link Reply} for what scripts add):
 * {@code session.update} (only fields present change, {@code null} clears, the voice is fixed once audio was sent),
 * the input audio buffer, conversation items (create, retrieve, delete, truncate with {@code audio_end_ms} checked
 * against the item's audio), {@code response.create} (default conversation or out-of-band) and
 * {@code response.cancel}. <b>Strict</b>, as the real server: a field it does not know at any depth gets
 * {@code error} {@code invalid_request_error} {@code unknown_parameter} {@code "Unknown parameter: 'session.x'."}
 * with the client's {@code event_id}; refused events change nothing and the socket stays open.
 *
 * <p><b>Threading.</b> All protocol work runs on one engine thread per emulator (a Reactor single scheduler, which
 * also runs the timers); {@code enqueue}, {@code take...} and {@code assert...} may be called from any thread.
 * <b>Limits</b>: frames up to 16 MiB; per connection {@value RealtimeConnection#MAX_QUEUED_EVENTS} unread server
 * events (then the connection is dropped); {@value #MAX_RECORDED} recorded client events (then the oldest is
 * forgotten and counted in {@link #forgottenMessages()}).
 */
public final class OpenAiRealtimeEmulator implements Emulator {
  /** The route of the Realtime API. */
  public static final String PATH = "/v1/realtime";

  /** How many client events are kept for {@link #takeMessage}; beyond it the oldest is forgotten. */
  public static final int MAX_RECORDED = 10_000;

  private static final int MAX_FRAME = 16 * 1024 * 1024;

  /** How the upgrade request is judged. */
  enum Admission {
    ACCEPTED,
    BETA_HEADER,
    MISSING_KEY,
    WRONG_KEY,
    MISSING_MODEL,
    UNKNOWN_MODEL
  }

  private final String apiKey;
  private final Set<String> models;
  private final Duration sessionDuration;

  /** Runs the timers (expiry, {@link Fault#delay}); null: the engine itself. */
  private final @Nullable Scheduler timers;

  private final Function<ClientMessage, List<Action>> fallback;
  private final Scheduler engine = Schedulers.newSingle("openai-realtime-emulator", true);

  /** The scripted steps; only the head waits. */
  private final ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();

  /** Recorded client events, at most {@link #MAX_RECORDED}: the oldest is forgotten beyond. */
  private final ConcurrentLinkedDeque<ClientMessage> messages = new ConcurrentLinkedDeque<>();

  private final Semaphore messageCount = new Semaphore(0);
  private final AtomicLong forgotten = new AtomicLong();
  private final Set<WebsocketInbound> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile @Nullable DisposableServer server;

  private OpenAiRealtimeEmulator(Builder b) {
    this.apiKey = b.apiKey;
    this.models = Set.copyOf(b.models);
    this.sessionDuration = b.sessionDuration;
    this.timers = b.timers;
    this.fallback = b.fallback;
  }

  /**
   * A builder with the defaults: key {@code "emulator-key"}; models {@code gpt-realtime} and
   * {@code gpt-realtime-mini}; sessions of 60 minutes; a {@code response.create} no step waits for is answered
   * with 100 ms of silence transcribed {@code "OK"} (the text {@code "OK"} under the text modality).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds 127.0.0.1 on a free port; calling it again does nothing.
   *
   * @return this emulator
   */
  @Override
  public synchronized OpenAiRealtimeEmulator start() {
    if (server == null) {
      WebsocketServerSpec spec =
          WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME).handlePing(false).build();
      server =
          HttpServer.create()
              .host("127.0.0.1")
              .port(0)
              .handle(
                  (request, response) -> {
                    QueryStringDecoder query = new QueryStringDecoder(request.uri());
                    if (!query.path().equals(PATH)) {
                      return response.status(404).send();
                    }
                    List<String> modelParam = query.parameters().get("model");
                    String model =
                        modelParam == null || modelParam.isEmpty() ? null : modelParam.get(0);
                    Admission admission =
                        admit(
                            request.requestHeaders().get("OpenAI-Beta"),
                            request.requestHeaders().get("Authorization"),
                            model);
                    return response.sendWebsocket(
                        (in, out) -> serve(in, out, admission, model), spec);
                  })
              .bindNow();
    }
    return this;
  }

  private Admission admit(
      @Nullable String beta, @Nullable String authorization, @Nullable String model) {
    if (beta != null) {
      return Admission.BETA_HEADER;
    }
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Admission.MISSING_KEY;
    }
    if (!authorization.substring("Bearer ".length()).equals(apiKey)) {
      return Admission.WRONG_KEY;
    }
    if (model == null || model.isEmpty()) {
      return Admission.MISSING_MODEL;
    }
    return models.contains(model) ? Admission.ACCEPTED : Admission.UNKNOWN_MODEL;
  }

  /**
   * The socket URI without the model: {@code ws://127.0.0.1:<port>/v1/realtime}; clients add {@code ?model=...}.
   *
   * @return the URI
   * @throws IllegalStateException before {@link #start()}
   */
  @Override
  public URI uri() {
    return URI.create("ws://127.0.0.1:" + port() + PATH);
  }

  /**
   * The bound port.
   *
   * @return the port
   * @throws IllegalStateException before {@link #start()}
   */
  public int port() {
    DisposableServer s = server;
    if (s == null) {
      throw new IllegalStateException("call start() first");
    }
    return s.port();
  }

  /**
   * The key clients must send as {@code Authorization: Bearer <key>}.
   *
   * @return the key
   */
  @Override
  public String apiKey() {
    return apiKey;
  }

  /**
   * Appends the script's steps to the queue.
   *
   * @param script the steps to add
   * @return this emulator
   */
  public OpenAiRealtimeEmulator enqueue(Script script) {
    steps.addAll(Objects.requireNonNull(script, "script").steps());
    return this;
  }

  /**
   * The next client event any connection sent, in arrival order (refused ones included).
   *
   * @param timeout how long to wait
   * @return the event, or null when none arrives in time
   * @throws InterruptedException when interrupted while waiting
   */
  public @Nullable ClientMessage takeMessage(Duration timeout) throws InterruptedException {
    return messageCount.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)
        ? messages.pollFirst()
        : null;
  }

  /**
   * The next client event of this type, discarding others before it.
   *
   * @param type the event type, for example {@code response.create}
   * @param timeout how long to wait in all
   * @return the event, or null when none arrives in time
   * @throws InterruptedException when interrupted while waiting
   */
  public @Nullable ClientMessage takeMessage(String type, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (; ; ) {
      long left = deadline - System.nanoTime();
      ClientMessage m = left <= 0 ? null : takeMessage(Duration.ofNanos(left));
      if (m == null || m.type().equals(type)) {
        return m;
      }
    }
  }

  /**
   * Client events forgotten because more than {@link #MAX_RECORDED} were waiting to be taken.
   *
   * @return the count so far
   */
  public long forgottenMessages() {
    return forgotten.get();
  }

  /**
   * Connections accepted so far.
   *
   * @return the count
   */
  public int connectionCount() {
    return connections.get();
  }

  /**
   * The scripted steps not played yet, in order.
   *
   * @return a snapshot
   */
  public List<Step> remainingSteps() {
    return new ArrayList<>(steps);
  }

  /**
   * The scripted steps not played yet, each described with the client event it waits for.
   *
   * @return descriptions, in order; empty when the script is used up
   */
  @Override
  public List<String> unusedScript() {
    List<String> left = new ArrayList<>();
    for (Step s : remainingSteps()) {
      left.add(String.valueOf(s));
    }
    return left;
  }

  /**
   * Checks that every scripted step was played, for the end of a test.
   *
   * @throws AssertionError naming the steps left, with the event type each still waits for
   */
  @Override
  public void assertScriptUsedUp() {
    List<Step> left = remainingSteps();
    if (!left.isEmpty()) {
      StringBuilder sb =
          new StringBuilder(left.size() + " scripted step(s) never played; the next waits for '")
              .append(left.get(0).clientEventType())
              .append("'. Steps left:");
      left.forEach(s -> sb.append("\n  ").append(s));
      throw new AssertionError(sb.toString());
    }
  }

  /** Closes every connection (no close frame), unbinds and stops the engine thread; idempotent. */
  @Override
  public synchronized void close() {
    for (WebsocketInbound in : open) {
      in.withConnection(c -> c.channel().close());
    }
    DisposableServer s = server;
    if (s != null) {
      s.disposeNow(Duration.ofSeconds(5));
    }
    engine.dispose();
  }

  // ---------------------------------------------------------------- engine side

  private Publisher<Void> serve(
      WebsocketInbound in, WebsocketOutbound out, Admission admission, @Nullable String model) {
    RealtimeConnection c = new RealtimeConnection(this, connections.incrementAndGet(), in, out);
    open.add(in);
    // Inbound: publishOn's bounded queue (256 frames); beyond it Netty stops reading (TCP
    // backpressure).
    Mono<Void> receiving =
        in.aggregateFrames(MAX_FRAME)
            .receiveFrames()
            .<String>handle(
                (frame, next) -> {
                  if (frame instanceof TextWebSocketFrame
                      || frame instanceof BinaryWebSocketFrame) {
                    next.next(frame.content().toString(StandardCharsets.UTF_8));
                  }
                })
            .publishOn(engine)
            .doOnNext(c::inbound)
            .then()
            .onErrorResume(e -> Mono.empty())
            .doFinally(
                signal -> {
                  open.remove(in);
                  schedule(c::inboundEnded, null);
                });
    Mono<Void> sending =
        out.sendString(c.frames.asFlux())
            .then()
            .onErrorResume(e -> Mono.empty())
            .then(Mono.defer(c::afterSending))
            .onErrorResume(e -> Mono.empty())
            .takeUntilOther(c.ended.asMono().then(Mono.just(true)));
    long now = (timers != null ? timers : engine).now(TimeUnit.SECONDS);
    schedule(() -> c.opened(admission, model, sessionDuration, now), null);
    return Mono.when(receiving, sending);
  }

  /** Runs the task on the engine thread, at once or after the delay measured by the timers' scheduler. */
  Disposable schedule(Runnable task, @Nullable Duration delay) {
    try {
      if (delay == null || delay.isZero()) {
        return engine.schedule(task);
      }
      Scheduler t = timers;
      return t == null
          ? engine.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS)
          : t.schedule(() -> schedule(task, null), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      return Disposables.disposed();
    }
  }

  void record(ClientMessage message) {
    messages.addLast(message);
    messageCount.release();
    while (messageCount.availablePermits() > MAX_RECORDED && messageCount.tryAcquire()) {
      if (messages.pollFirst() != null) {
        forgotten.incrementAndGet();
      }
    }
  }

  /**
   * The actions of the head step when it waits for this event (the step is used up), the fallback's for a
   * {@code response.create} no step waits for, else null. Engine thread.
   */
  @Nullable List<Action> stepFor(ClientMessage message) {
    Step head = steps.peek();
    if (head != null && head.clientEventType().equals(message.type()) && steps.remove(head)) {
      return head.actions();
    }
    return message.type().equals("response.create") ? fallback.apply(message) : null;
  }

  /** Configures an {@link OpenAiRealtimeEmulator}; not thread-safe. */
  public static final class Builder {
    private String apiKey = "emulator-key";
    private List<String> models = List.of("gpt-realtime", "gpt-realtime-mini");
    private Duration sessionDuration = Duration.ofMinutes(60);
    private @Nullable Scheduler timers;
    private Function<ClientMessage, List<Action>> fallback =
        m -> List.of(Reply.response(Output.audio(new byte[4800], "OK")));

    private Builder() {}

    /**
     * The key clients must send; default {@code "emulator-key"}.
     *
     * @param key the key
     * @return this builder
     */
    public Builder apiKey(String key) {
      this.apiKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * The models the server knows ({@code ?model=}); replaces the defaults.
     *
     * @param names the model names
     * @return this builder
     */
    public Builder models(String... names) {
      this.models = List.of(names);
      return this;
    }

    /**
     * How long a session lasts before {@code session_expired} and close 1001; default 60 minutes, as the real
     * server. Tests set seconds.
     *
     * @param duration the session length, positive
     * @return this builder
     * @throws IllegalArgumentException when the duration is not positive
     */
    public Builder sessionDuration(Duration duration) {
      Objects.requireNonNull(duration, "duration");
      if (duration.isZero() || duration.isNegative()) {
        throw new IllegalArgumentException("duration must be positive, was " + duration);
      }
      this.sessionDuration = duration;
      return this;
    }

    /**
     * The scheduler that measures the emulator's timers (session expiry, {@link Fault#delay}); the work still runs
     * on the engine thread. Default: the engine thread's own clock. A {@code VirtualTimeScheduler} lets a test
     * reach the 60-minute expiry at once with {@code advanceTimeBy}.
     *
     * @param scheduler the scheduler of the timers
     * @return this builder
     */
    public Builder timers(Scheduler scheduler) {
      this.timers = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * What answers a client's {@code response.create} when no scripted step waits for it; its {@link Reply#response
     * responses} follow the event's parameters. Called on the engine thread: it must not block.
     *
     * @param actions the actions for a given {@code response.create}
     * @return this builder
     */
    public Builder whenScriptExhausted(Function<ClientMessage, List<Action>> actions) {
      this.fallback = Objects.requireNonNull(actions, "actions");
      return this;
    }

    /**
     * The emulator, not started.
     *
     * @return the emulator
     */
    public OpenAiRealtimeEmulator build() {
      return new OpenAiRealtimeEmulator(this);
    }
  }
}
