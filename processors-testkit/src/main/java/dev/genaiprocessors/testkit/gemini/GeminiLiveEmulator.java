package dev.genaiprocessors.testkit.gemini;

import dev.genaiprocessors.testkit.Emulator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A scriptable Gemini Live server on 127.0.0.1 that speaks the real wire protocol, for tests and offline
 * examples: script what the model answers, run the client, then verify what it sent.
 *
 * <p><b>Example.</b>
 * <pre>{@code
 * try (GeminiLiveEmulator server = GeminiLiveEmulator.builder().build().start()) {
 *   server.enqueue(Script.builder().turn(Reply.text("Hi!"), Reply.turnComplete()).build());
 *   GeminiLiveProcessor live = GeminiLiveProcessor.builder()
 *       .uri(server.uri()).apiKey(server.apiKey()).model("gemini-live-2.5-flash-preview").build();
 *   live.apply(Flux.just(Part.text("Hello"))).collectList().block();
 *   ClientMessage setup = server.takeMessage(Duration.ofSeconds(5));       // {"setup": {...}}
 * }
 * }</pre>
 *
 * <p><b>Protocol.</b> Routes {@code /ws/google.ai.generativelanguage.{v1|v1beta|v1alpha}.GenerativeService
 * .BidiGenerateContent} (404 otherwise), taking the key from header {@code x-goog-api-key} or query
 * {@code ?key=}, and {@code ...BidiGenerateContentConstrained} taking an {@linkplain Builder#ephemeralToken
 * ephemeral token} from header {@code Authorization: Token ...} or query {@code ?access_token=}. A wrong key
 * or token is accepted at the upgrade, then closed with {@code 1007 "API key not valid. Please pass a valid API
 * key."}. The first message must be {@code setup} for a {@linkplain Builder#models known model}
 * ({@code 1008 "models/x is not found for API version v1beta, ..."} with the path's version, cut at 123 bytes
 * like the real reason); anything before {@code setupComplete}, bad base64 or a second setup closes with
 * {@code 1007}. <b>Strict by default</b>, as the real server: a field it does not know at any depth
 * ({@code setup.bogus}, {@code generationConfig.responseModality}, {@code strict} in a function declaration,
 * {@code realtimeInput.audioChunk}, {@code parts[].txt}) closes with {@code 1007 "Invalid JSON payload
 * received. Unknown name "x" at 'setup...': Cannot find field."}, an unknown modality with
 * {@code 1007 "Invalid value at 'setup.generation_config.response_modalities[0]' ..."};
 * {@link Builder#lenient()} lets unknown fields through. Reads camelCase or snake_case, standard or
 * URL-safe base64, numbers or strings for int64; writes camelCase with defaults omitted, standard base64,
 * durations as {@code "50s"}, pretty-printed JSON in binary frames (options: {@link Builder#textFrames},
 * {@link Builder#compactFrames}). {@code setupComplete} carries a {@code sessionId}
 * ({@code emulated-session-N}). With {@code setup.sessionResumption} it sends a resumable
 * {@code sessionResumptionUpdate} after {@code setupComplete} and after each {@code turnComplete}, and
 * accepts those handles to resume; resuming while the old socket of the session is still open (after a
 * grace of 1 s) is closed with 1011, as the real server does. The {@linkplain ModelGeneration model generation}
 * (by model name, or {@link Builder#generation forced}) adds the 3.1 restrictions: {@code clientContent} (but
 * initial history before other input when {@code historyConfig.initialHistoryInClientContent} is set) and
 * {@code mediaChunks} close with 1007, affective dialog or proactivity in the setup gets no answer.
 * Function declarations' {@code behavior} is honoured: a call to a BLOCKING function pauses the turn until
 * its response; a NON_BLOCKING one does not, and its responses are answered by their scheduling.
 * {@code activityStart}/{@code activityEnd} with automatic activity detection on close with 1007.
 *
 * <p><b>Turns.</b> See {@link Script}, {@link Reply} and {@link Fault}. A user turn ends on
 * {@code clientContent.turnComplete}, {@code realtimeInput.text}, {@code activityEnd},
 * {@code audioStreamEnd} or a prompting {@code toolResponse}; the next scripted turn plays. Until its
 * {@code turnComplete}, a turn is interrupted by {@code activityStart}, {@code clientContent} or
 * {@code realtimeInput.text} (unless {@code NO_INTERRUPTION}): {@code interrupted}, a
 * {@code toolCallCancellation} of open calls, {@code turnComplete}.
 *
 * <p><b>Lifecycle.</b> {@link #start()} binds 127.0.0.1 on a free port; {@link #close()} closes every
 * connection and frees the port and the engine thread. <b>Threading</b>: all protocol work runs on one
 * engine thread per emulator; {@code enqueue} and {@code take...} may be called from any thread.
 * <b>Limits</b>: frames up to 16 MiB; recorded messages and closes are kept until taken (unbounded).
 * <b>Errors</b>: protocol errors of the client become close frames, as on the real server; nothing throws.
 */
public final class GeminiLiveEmulator implements Emulator {
  /** The route of the v1beta API. */
  public static final String PATH =
      "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";

  static final Duration RESUME_GRACE = Duration.ofSeconds(1);

  /** {@code /ws/google.ai.generativelanguage.<version>.GenerativeService.<method>}. */
  private static final Pattern ROUTE =
      Pattern.compile(
          "/ws/google\\.ai\\.generativelanguage\\.(v1|v1beta|v1alpha)\\.GenerativeService\\."
              + "(BidiGenerateContent|BidiGenerateContentConstrained)");

  private static final int MAX_FRAME = 16 * 1024 * 1024;

  final boolean textFrames;
  final boolean prettyFrames;
  final Duration pongDelay;
  final boolean strict;
  private final @Nullable PrivateKey tlsKey;
  private final X509Certificate[] tlsChain;
  private final String apiKey;
  private final String ephemeralToken;
  private final Set<String> models;
  private final @Nullable ModelGeneration profile;
  private final Function<String, List<Step>> fallback;
  private final Scheduler engine = Schedulers.newSingle("gemini-live-emulator", true);
  private final ConcurrentLinkedQueue<List<Step>> turns = new ConcurrentLinkedQueue<>();
  private volatile List<Step> setupReply = List.of(Reply.setupComplete());
  private final ConcurrentLinkedQueue<ClientMessage> messages = new ConcurrentLinkedQueue<>();
  private final Semaphore messageCount = new Semaphore(0);
  private final ConcurrentLinkedQueue<ConnectionClose> closes = new ConcurrentLinkedQueue<>();
  private final Semaphore closeCount = new Semaphore(0);
  private final Set<WebsocketInbound> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> paths = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pings = new AtomicInteger();

  /** Frames emitted and not yet taken by a socket. */
  final AtomicLong queuedFrames = new AtomicLong();

  private final Map<String, EmulatedSession> sessionsByHandle = new HashMap<>();
  private int sessions;
  private volatile @Nullable DisposableServer server;

  /** A session as resumption sees it; engine thread only. */
  static final class EmulatedSession {
    final int number;
    int handles;
    @Nullable EmulatorConnection open;

    EmulatedSession(int number) {
      this.number = number;
    }
  }

  private GeminiLiveEmulator(Builder b) {
    this.apiKey = b.apiKey;
    this.ephemeralToken = b.ephemeralToken;
    this.strict = b.strict;
    this.tlsKey = b.tlsKey;
    this.tlsChain = b.tlsChain;
    this.models = Set.copyOf(b.models);
    this.profile = b.profile;
    this.textFrames = b.textFrames;
    this.prettyFrames = b.prettyFrames;
    this.pongDelay = b.pongDelay;
    this.fallback = b.fallback;
  }

  /**
   * A builder with the defaults: key {@code "emulator-key"}; models {@code gemini-live-2.5-flash-preview},
   * {@code gemini-2.5-flash-native-audio-preview-12-2025} and {@code gemini-3.1-flash-live-preview}; profile by
   * model name; pretty JSON in binary frames; pongs at once; when the script is exhausted, text turns are
   * echoed ({@code text}, {@code generationComplete}, {@code turnComplete}) and others get a {@code turnComplete}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds 127.0.0.1 on a free port; calling it again does nothing.
   *
   * @return this
   */
  @Override
  public synchronized GeminiLiveEmulator start() {
    if (server == null) {
      WebsocketServerSpec spec =
          WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME).handlePing(true).build();
      HttpServer http = HttpServer.create().host("127.0.0.1").port(0);
      if (tlsKey != null) {
        http = http.secure(ssl -> ssl.sslContext(Http11SslContextSpec.forServer(tlsKey, tlsChain)));
      }
      server =
          http.handle(
                  (request, response) -> {
                    QueryStringDecoder query = new QueryStringDecoder(request.uri());
                    paths.add(query.path());
                    Matcher route = ROUTE.matcher(query.path());
                    if (!route.matches()) {
                      return response.status(404).send();
                    }
                    boolean constrained = route.group(2).equals("BidiGenerateContentConstrained");
                    boolean keyOk;
                    if (constrained) {
                      // ephemeral tokens: "Authorization: Token <token>" (Python, Java) or
                      // ?access_token= (JS)
                      String authorization = request.requestHeaders().get("Authorization");
                      String token =
                          authorization != null && authorization.startsWith("Token ")
                              ? authorization.substring("Token ".length())
                              : first(query, "access_token");
                      keyOk = ephemeralToken.equals(token);
                    } else {
                      String key = request.requestHeaders().get("x-goog-api-key");
                      keyOk = apiKey.equals(key != null ? key : first(query, "key"));
                    }
                    String version = route.group(1);
                    return response.sendWebsocket(
                        (in, out) -> serve(in, out, keyOk, version), spec);
                  })
              .bindNow();
    }
    return this;
  }

  /**
   * The socket URI, {@code ws://127.0.0.1:<port>/ws/...v1beta...BidiGenerateContent} ({@code wss} with
   * {@link Builder#tls}), to give {@code GeminiLiveProcessor.Builder#uri}.
   *
   * @return the URI
   * @throws IllegalStateException before {@link #start()}
   */
  @Override
  public URI uri() {
    return URI.create(scheme() + "://127.0.0.1:" + port() + PATH);
  }

  /**
   * The base URL an official SDK takes ({@code HttpOptions.baseUrl}): {@code https://127.0.0.1:<port>} with
   * {@link Builder#tls}, since the SDKs derive a {@code wss} socket from it; {@code http://...} without.
   * Clients of this project take {@link #uri()} instead.
   *
   * @return the base URL
   * @throws IllegalStateException before {@link #start()}
   */
  public String sdkBaseUrl() {
    return (tlsKey != null ? "https" : "http") + "://127.0.0.1:" + port();
  }

  private String scheme() {
    return tlsKey != null ? "wss" : "ws";
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
   * The key clients must send ({@code x-goog-api-key} header or {@code ?key=}).
   *
   * @return the key
   */
  @Override
  public String apiKey() {
    return apiKey;
  }

  /**
   * The ephemeral token clients may send instead, to {@code BidiGenerateContentConstrained}.
   *
   * @return the token
   */
  public String ephemeralToken() {
    return ephemeralToken;
  }

  /**
   * The socket URI of an API version, {@code ws://127.0.0.1:<port>/ws/...<version>...BidiGenerateContent}.
   *
   * @param apiVersion {@code v1}, {@code v1beta} or {@code v1alpha}
   * @return the URI
   * @throws IllegalArgumentException for another version
   */
  public URI uri(String apiVersion) {
    URI uri = URI.create(scheme() + "://127.0.0.1:" + port() + PATH.replace("v1beta", apiVersion));
    if (!ROUTE.matcher(uri.getPath()).matches()) {
      throw new IllegalArgumentException(
          "apiVersion must be v1, v1beta or v1alpha, was " + apiVersion);
    }
    return uri;
  }

  /**
   * Appends the script's turns to the queue and, if it has one, replaces the setup reply for later connections.
   *
   * @param script the turns, and optionally the setup reply
   * @return this
   */
  public GeminiLiveEmulator enqueue(Script script) {
    Objects.requireNonNull(script, "script");
    turns.addAll(script.turns());
    if (script.setupReply() != null) {
      setupReply = script.setupReply();
    }
    return this;
  }

  /**
   * The next message any client sent, in arrival order; null when none arrives in time.
   *
   * @param timeout how long to wait
   * @return the message, or null when none came in time
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public @Nullable ClientMessage takeMessage(Duration timeout) throws InterruptedException {
    return messageCount.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)
        ? messages.poll()
        : null;
  }

  /**
   * The next message of this type ({@code realtimeInput}, ...), discarding others; null when none in time.
   *
   * @param type the message type, such as {@code realtimeInput}
   * @param timeout how long to wait
   * @return the message, or null when none came in time
   * @throws InterruptedException when the waiting thread is interrupted
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
   * The next close frame a client sent; null when none arrives in time.
   *
   * @param timeout how long to wait
   * @return the close, or null when none came in time
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public @Nullable ConnectionClose takeClose(Duration timeout) throws InterruptedException {
    return closeCount.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS) ? closes.poll() : null;
  }

  /**
   * The paths of every upgrade request so far, in order (routed or not; the query is left out).
   *
   * @return the paths
   */
  public List<String> paths() {
    return List.copyOf(paths);
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
   * Pings received so far.
   *
   * @return the count
   */
  public int pingCount() {
    return pings.get();
  }

  /**
   * Server messages the script has produced that no socket has taken yet: a client that stops reading
   * makes this grow, because TCP flow control holds the emulator back.
   *
   * @return the count
   */
  public long queuedFrames() {
    return queuedFrames.get();
  }

  /**
   * The scripted turns not played yet, each described by its steps, in order.
   *
   * @return one entry per unplayed turn
   */
  @Override
  public List<String> unusedScript() {
    return turns.stream().map(turn -> "turn " + turn).toList();
  }

  /** Closes every connection (no close frame), unbinds and stops the engine thread. */
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

  // ---------------------------------------------------------------- package-private, engine side

  private static @Nullable String first(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private Publisher<Void> serve(
      WebsocketInbound in, WebsocketOutbound out, boolean keyOk, String version) {
    EmulatorConnection c = new EmulatorConnection(this, connections.incrementAndGet(), in, out);
    open.add(in);
    in.receiveCloseStatus().subscribe(status -> schedule(() -> c.closeReceived(status), null));
    Mono<Void> receiving =
        in.aggregateFrames(MAX_FRAME)
            .receiveFrames()
            .<Object>handle(
                (frame, next) -> {
                  if (frame instanceof PingWebSocketFrame) {
                    pings.incrementAndGet();
                    next.next(new EmulatorConnection.Pong(ByteBufUtil.getBytes(frame.content())));
                  } else if (frame instanceof TextWebSocketFrame
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
        out.sendObject(c.frames.asFlux().map(c::toFrame))
            .then()
            .onErrorResume(e -> Mono.empty())
            .then(Mono.defer(c::afterSending))
            .onErrorResume(e -> Mono.empty())
            .takeUntilOther(c.ended.asMono().then(Mono.just(true)));
    schedule(() -> c.opened(keyOk, version), null);
    return Mono.when(receiving, sending);
  }

  Disposable schedule(Runnable task, @Nullable Duration delay) {
    try {
      return delay == null || delay.isZero()
          ? engine.schedule(task)
          : engine.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      return Disposables.disposed();
    }
  }

  void record(ClientMessage message) {
    messages.add(message);
    messageCount.release();
  }

  void recordClose(ConnectionClose close) {
    closes.add(close);
    closeCount.release();
  }

  boolean knowsModel(String name) {
    return models.contains(name);
  }

  ModelGeneration profileFor(String name) {
    return profile != null ? profile : ModelGeneration.of(name);
  }

  List<Step> setupReply() {
    return setupReply;
  }

  List<Step> nextTurn(String userText) {
    List<Step> next = turns.poll();
    return next != null ? next : fallback.apply(userText);
  }

  EmulatedSession newSession(EmulatorConnection connection) {
    EmulatedSession s = new EmulatedSession(++sessions);
    s.open = connection;
    return s;
  }

  @Nullable EmulatedSession sessionFor(String handle) {
    return sessionsByHandle.get(handle);
  }

  /** A new handle for the session: {@code handle-<session>-<n>}. */
  String nextHandle(EmulatedSession s) {
    return register("handle-" + s.number + "-" + (++s.handles), s);
  }

  String register(String handle, EmulatedSession s) {
    sessionsByHandle.put(handle, s);
    return handle;
  }

  /** Configures a {@link GeminiLiveEmulator}. */
  public static final class Builder {
    private String apiKey = "emulator-key";
    private String ephemeralToken = "auth_tokens/emulator-token";
    private boolean strict = true;
    private @Nullable PrivateKey tlsKey;
    private X509Certificate[] tlsChain = new X509Certificate[0];
    private List<String> models =
        new ArrayList<>(
            List.of(
                "gemini-live-2.5-flash-preview",
                "gemini-2.5-flash-native-audio-preview-12-2025",
                "gemini-3.1-flash-live-preview"));
    private @Nullable ModelGeneration profile;
    private boolean textFrames;
    private boolean prettyFrames = true;
    private Duration pongDelay = Duration.ZERO;
    private Function<String, List<Step>> fallback =
        said ->
            said.isEmpty()
                ? List.of(Reply.turnComplete())
                : List.of(Reply.text(said), Reply.generationComplete(), Reply.turnComplete());

    private Builder() {}

    /**
     * The key clients must send; default {@code "emulator-key"}.
     *
     * @param key the key
     * @return this
     */
    public Builder apiKey(String key) {
      this.apiKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * The ephemeral token clients may send to {@code BidiGenerateContentConstrained}; default {@code "auth_tokens/emulator-token"}.
     *
     * @param token the token
     * @return this
     */
    public Builder ephemeralToken(String token) {
      this.ephemeralToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Accepts fields the real server does not know (it closes with 1007 by default, as the server does), for
     * clients that send extensions on purpose. Unknown message types are still refused.
     *
     * @return this
     */
    public Builder lenient() {
      this.strict = false;
      return this;
    }

    /**
     * Serves TLS ({@code wss}) with this key and certificate chain, for clients that insist on it: the
     * official SDKs turn any base URL into a {@code wss} socket. The certificate must name 127.0.0.1, and the
     * client must trust it.
     *
     * @param key the private key
     * @param chain the certificate chain of the key, leaf first
     * @return this
     * @throws IllegalArgumentException when the chain is empty
     */
    public Builder tls(PrivateKey key, X509Certificate... chain) {
      this.tlsKey = Objects.requireNonNull(key, "key");
      if (chain.length == 0) {
        throw new IllegalArgumentException("tls needs the certificate chain of the key");
      }
      this.tlsChain = chain.clone();
      return this;
    }

    /**
     * The model names (without {@code models/}) the server knows; replaces the defaults.
     *
     * @param names the model names
     * @return this
     */
    public Builder models(String... names) {
      this.models = List.of(names);
      return this;
    }

    /**
     * Forces a generation for every model; default by model name ({@link ModelGeneration#of}).
     *
     * @param generation the generation
     * @return this
     */
    public Builder generation(ModelGeneration generation) {
      this.profile = Objects.requireNonNull(generation, "generation");
      return this;
    }

    /**
     * Sends server messages in text frames instead of binary ones.
     *
     * @return this
     */
    public Builder textFrames() {
      this.textFrames = true;
      return this;
    }

    /**
     * Sends compact JSON instead of pretty-printed JSON.
     *
     * @return this
     */
    public Builder compactFrames() {
      this.prettyFrames = false;
      return this;
    }

    /**
     * Answers pings this late (slow pongs, as the real server's 8 to 30 s); default at once.
     *
     * @param delay how late
     * @return this
     */
    public Builder pongDelay(Duration delay) {
      this.pongDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * What answers a user turn when no scripted turn is left, given the turn's text.
     *
     * @param reply the steps for the turn's text (empty for a turn without text)
     * @return this
     */
    public Builder whenScriptExhausted(Function<String, List<Step>> reply) {
      this.fallback = Objects.requireNonNull(reply, "reply");
      return this;
    }

    /**
     * The emulator, not started.
     *
     * @return the emulator, not started
     */
    public GeminiLiveEmulator build() {
      return new GeminiLiveEmulator(this);
    }
  }
}
