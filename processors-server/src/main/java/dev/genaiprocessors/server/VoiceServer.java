package dev.genaiprocessors.server;

import dev.genaiprocessors.audio.AudioRateLimiter;
import dev.genaiprocessors.core.Processor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * A WebSocket server where each connection is one conversation with the application's pipeline: the
 * client's frames become parts (through the path's {@link ConnectionCodec}), the pipeline made by the
 * {@link ConversationFactory} runs, and its parts go back as frames. It also serves one browser page at
 * {@code /} that talks to {@code /ws} with the {@link BrowserCodec}.
 *
 * <pre>{@code
 * VoiceServer server = VoiceServer.builder()
 *     .conversations(ConversationFactory.of(liveProcessor))
 *     .authenticator(Authenticator.bearerToken(secret))
 *     .allowedOrigins("https://voice.example.com")
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p><b>Closed by default.</b> It binds 127.0.0.1. It lets no one in until given an
 * {@link Builder#authenticator authenticator} ({@link Authenticator#allowAll()} is the explicit opt-out).
 * A browser (a request with an {@code Origin} header) is let in only from the page's own origin (the
 * {@code Origin} matches the {@code Host} header) or from an {@link Builder#allowedOrigins allowed
 * origin}; requests without {@code Origin} are not browsers and only the authenticator judges them.
 * Refusals upgrade the WebSocket and close it at once, so that a browser can read the code: 1008 for
 * the origin or the authenticator, 1013 at the {@link Builder#maxConnections connection limit}.
 *
 * <p><b>Limits.</b> Frames up to {@link Builder#maxFrameBytes} (larger: closed with 1009); an
 * {@link Builder#idleTimeout idle timeout} (no frame from the client: closed with 1008), timed on the
 * {@link Builder#scheduler scheduler}; bounded buffers both ways (see {@link Builder#inboundCapacity}
 * and {@link Builder#outboundPacing}). A bad frame closes its connection with a message and a code
 * (see {@link CloseCodes}); nothing a client sends stops the server.
 *
 * <p><b>Interruption.</b> When the pipeline emits {@code interrupted}, the outbound pacing drops the
 * audio not sent yet, and the codec tells the client to flush what it holds.
 *
 * <p><b>Drain.</b> {@link #drain(Duration)} stops accepting connections (the listening socket closes,
 * so a load balancer sends new ones elsewhere), lets conversations end by themselves within a grace
 * period, then closes the rest with 1001 and stops.
 *
 * <p><b>Threads.</b> Frames are decoded on the connection's Netty event loop, and the pipeline gets its
 * parts there: a pipeline must not block (as everywhere in this project). The server keeps nothing that
 * outlives a connection.
 */
public final class VoiceServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VoiceServer.class);

  /** The path of the browser page's WebSocket: {@value}. */
  public static final String BROWSER_PATH = "/ws";

  private final Builder config;
  private final ConversationFactory conversationFactory;
  private final Map<String, Page.File> page;
  private final Processor pacing;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();
  private final Set<ConversationConnection> conversations = ConcurrentHashMap.newKeySet();
  private final Sinks.Empty<Void> drained = Sinks.empty();
  private volatile boolean draining;
  private @Nullable DisposableServer server;

  private VoiceServer(Builder b) {
    this.config = b;
    this.conversationFactory = Objects.requireNonNull(b.conversations, "conversations");
    this.page = b.page ? Page.load() : Map.of();
    this.pacing =
        b.outboundPacing != null
            ? b.outboundPacing
            : AudioRateLimiter.builder()
                .lead(Duration.ofMillis(200))
                .scheduler(b.scheduler)
                .build();
  }

  /**
   * A builder.
   *
   * @return a builder with closed defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the server and starts accepting connections. Blocks until bound.
   *
   * @return this server
   * @throws IllegalStateException when already started
   */
  public synchronized VoiceServer start() {
    if (server != null) {
      throw new IllegalStateException("the server is already started");
    }
    WebsocketServerSpec spec =
        WebsocketServerSpec.builder().maxFramePayloadLength(config.maxFrameBytes).build();
    server =
        HttpServer.create()
            .host(config.host)
            .port(config.port)
            .route(
                routes -> {
                  config.endpoints.forEach(
                      (path, codecs) ->
                          routes.get(path, (req, res) -> handshake(req, res, path, codecs, spec)));
                  page.forEach(
                      (path, file) ->
                          routes.get(
                              path,
                              (req, res) ->
                                  res.header(HttpHeaderNames.CONTENT_TYPE, file.contentType())
                                      .header(HttpHeaderNames.CACHE_CONTROL, "no-store")
                                      .header("X-Content-Type-Options", "nosniff")
                                      .sendByteArray(Mono.just(file.content()))));
                })
            .bindNow();
    LOG.info(
        "voice server listening on http://{}:{} (WebSocket paths {})",
        config.host,
        port(),
        config.endpoints.keySet());
    return this;
  }

  /**
   * The port the server listens on (the chosen one when the builder said 0).
   *
   * @return the port
   * @throws IllegalStateException when not started
   */
  public int port() {
    DisposableServer s = server;
    if (s == null) {
      throw new IllegalStateException("the server is not started");
    }
    return ((InetSocketAddress) s.address()).getPort();
  }

  /**
   * The address of the browser page.
   *
   * @return {@code http://host:port/}
   */
  public URI pageUri() {
    return URI.create("http://" + hostForUri() + ":" + port() + "/");
  }

  /**
   * The WebSocket address of a path.
   *
   * @param path a path the server serves, such as {@link #BROWSER_PATH}
   * @return {@code ws://host:port/path}
   */
  public URI webSocketUri(String path) {
    return URI.create("ws://" + hostForUri() + ":" + port() + path);
  }

  private String hostForUri() {
    return config.host.contains(":") ? "[" + config.host + "]" : config.host;
  }

  /**
   * The conversations open now.
   *
   * @return the number of open connections
   */
  public int activeConversations() {
    return active.get();
  }

  /**
   * Stops accepting connections, lets the open conversations end within {@code grace}, closes those
   * still open with {@link CloseCodes#GOING_AWAY}, and stops the server.
   *
   * @param grace how long conversations may go on by themselves
   * @return completes when every conversation has ended and the server has stopped
   */
  public Mono<Void> drain(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    return Mono.defer(
        () -> {
          DisposableServer s = server;
          if (s == null) {
            return Mono.empty();
          }
          draining = true;
          s.channel().close();
          LOG.info(
              "voice server draining: {} conversations open, grace {} ms",
              active.get(),
              grace.toMillis());
          if (active.get() == 0) {
            drained.tryEmitEmpty();
          }
          return drained
              .asMono()
              .timeout(
                  grace,
                  Mono.defer(
                      () -> {
                        LOG.info(
                            "voice server: grace over, closing {} conversations", active.get());
                        conversations.forEach(ConversationConnection::goAway);
                        // Each closes within its close wait; past twice that, stop anyway.
                        return drained
                            .asMono()
                            .timeout(
                                ConversationConnection.CLOSE_WAIT.multipliedBy(2), config.scheduler)
                            .onErrorResume(
                                e -> {
                                  LOG.warn(
                                      "voice server: {} conversations did not close; stopping anyway",
                                      active.get());
                                  return Mono.empty();
                                });
                      }),
                  config.scheduler)
              .then(Mono.fromRunnable(s::dispose));
        });
  }

  /** Closes every conversation with {@link CloseCodes#GOING_AWAY} at once and stops; blocks. */
  @Override
  public void close() {
    drain(Duration.ZERO).block(Duration.ofSeconds(30));
  }

  private Publisher<Void> handshake(
      HttpServerRequest req,
      HttpServerResponse res,
      String path,
      ConnectionCodec.Factory codecs,
      WebsocketServerSpec spec) {
    if (!req.requestHeaders()
        .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      return res.status(HttpResponseStatus.BAD_REQUEST)
          .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
          .sendString(Mono.just(path + " speaks WebSocket only\n"), StandardCharsets.UTF_8);
    }
    if (draining) {
      return res.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
    }
    HandshakeRequest request = request(req, path);
    String origin = request.origin();
    if (origin != null && !originAllowed(origin, request)) {
      return refuse(
          res, spec, request, CloseCodes.POLICY_VIOLATION, "origin " + origin + " is not allowed");
    }
    Optional<String> principal;
    try {
      principal = config.authenticator.authenticate(request);
    } catch (RuntimeException e) {
      LOG.warn("the authenticator failed for {}", request, e);
      return refuse(res, spec, request, CloseCodes.INTERNAL_ERROR, "the authenticator failed");
    }
    if (principal.isEmpty()) {
      return refuse(
          res,
          spec,
          request,
          CloseCodes.POLICY_VIOLATION,
          "not authenticated: present a valid token");
    }
    if (active.incrementAndGet() > config.maxConnections) {
      release();
      return refuse(
          res,
          spec,
          request,
          CloseCodes.TRY_AGAIN_LATER,
          "the server is at its limit of "
              + config.maxConnections
              + " conversations; try again later");
    }
    ConnectionInfo info =
        new ConnectionInfo(instance + "-" + ids.incrementAndGet(), request, principal.get());
    ConversationConnection conversation;
    try {
      ConnectionCodec codec =
          Objects.requireNonNull(codecs.create(info), "the codec factory returned null");
      Processor pipeline =
          Objects.requireNonNull(
              conversationFactory.create(info, codec), "the conversation factory returned null");
      conversation =
          new ConversationConnection(
              info,
              codec,
              pipeline,
              pacing,
              config.inboundCapacity,
              config.idleTimeout,
              config.maxFrameBytes,
              config.scheduler,
              config.onConversationEnd);
    } catch (RuntimeException e) {
      release();
      LOG.warn("conversation {}: could not be set up", info.id(), e);
      return refuse(
          res, spec, request, CloseCodes.INTERNAL_ERROR, "the conversation could not be set up");
    }
    conversations.add(conversation);
    AtomicInteger released = new AtomicInteger();
    Runnable done =
        () -> {
          if (released.getAndIncrement() == 0) {
            conversations.remove(conversation);
            release();
          }
        };
    return res.sendWebsocket(
            (in, out) -> conversation.run(in, out).doFinally(signal -> done.run()), spec)
        .doOnError(e -> done.run())
        // After the cancel has reached the conversation (doFinally runs once it has), so its report
        // is out before the server counts it as ended.
        .doFinally(
            signal -> {
              if (signal == SignalType.CANCEL) {
                done.run();
              }
            });
  }

  private void release() {
    if (active.decrementAndGet() == 0 && draining) {
      drained.tryEmitEmpty();
    }
  }

  private Publisher<Void> refuse(
      HttpServerResponse res,
      WebsocketServerSpec spec,
      HandshakeRequest request,
      int code,
      String reason) {
    LOG.info("refused {}: {} {}", request, code, reason);
    return res.sendWebsocket((in, out) -> out.sendClose(code, reason), spec);
  }

  private boolean originAllowed(String origin, HandshakeRequest request) {
    if (config.anyOrigin) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    if (config.allowedOrigins.contains(o)) {
      return true;
    }
    Optional<String> host = request.header("host").map(h -> h.toLowerCase(Locale.ROOT));
    return host.isPresent()
        && (o.equals("http://" + host.get()) || o.equals("https://" + host.get()));
  }

  private static HandshakeRequest request(HttpServerRequest req, String path) {
    Map<String, List<String>> headers = new HashMap<>();
    req.requestHeaders()
        .forEach(
            e ->
                headers
                    .computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(e.getValue()));
    Map<String, List<String>> query = new QueryStringDecoder(req.uri()).parameters();
    InetSocketAddress remote = req.remoteAddress();
    String address = remote == null ? "unknown" : remote.getHostString() + ":" + remote.getPort();
    return new HandshakeRequest(path, headers, query, address);
  }

  /**
   * Builds a {@link VoiceServer}. Not thread-safe; do not change a builder after building from it (the
   * server reads its values).
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private @Nullable ConversationFactory conversations;
    private final Map<String, ConnectionCodec.Factory> endpoints = new LinkedHashMap<>();
    private boolean page = true;
    private Authenticator authenticator = request -> Optional.empty();
    private final Set<String> allowedOrigins = ConcurrentHashMap.newKeySet();
    private boolean anyOrigin;
    private int maxConnections = 100;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int maxFrameBytes = 64 * 1024;
    private int inboundCapacity = 256;
    private @Nullable Processor outboundPacing;
    private Scheduler scheduler = Schedulers.parallel();
    private Consumer<ConversationReport> onConversationEnd = report -> {};

    private Builder() {
      endpoints.put(BROWSER_PATH, BrowserCodec.factory());
    }

    /**
     * The address to bind; default {@code 127.0.0.1} (loopback only). Give {@code 0.0.0.0} to serve
     * other machines, behind TLS.
     *
     * @param host an IP address or host name
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The port; default 8080, 0 for any free port (see {@link VoiceServer#port()}).
     *
     * @param port 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
      }
      this.port = port;
      return this;
    }

    /**
     * Makes each conversation's pipeline. Required.
     *
     * @param conversations the factory
     * @return this builder
     */
    public Builder conversations(ConversationFactory conversations) {
      this.conversations = Objects.requireNonNull(conversations, "conversations");
      return this;
    }

    /**
     * Serves another wire format on another path (Twilio Media Streams on {@code /twilio}, say), or
     * replaces the codec of a path. {@link #BROWSER_PATH} has the {@link BrowserCodec} by default.
     *
     * @param path the path, starting with {@code /}
     * @param codecs makes the codec of each connection on that path
     * @return this builder
     * @throws IllegalArgumentException when the path does not start with {@code /}
     */
    public Builder endpoint(String path, ConnectionCodec.Factory codecs) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("a path starts with '/': " + path);
      }
      endpoints.put(path, Objects.requireNonNull(codecs, "codecs"));
      return this;
    }

    /**
     * Whether to serve the browser page at {@code /}; default true.
     *
     * @param page false to serve WebSockets only
     * @return this builder
     */
    public Builder page(boolean page) {
      this.page = page;
      return this;
    }

    /**
     * Who may open a conversation. Default: no one.
     *
     * @param authenticator the hook, such as {@link Authenticator#bearerToken(String)} or
     *     {@link Authenticator#allowAll()}
     * @return this builder
     */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Browser origins allowed besides the page's own, such as {@code https://app.example.com}
     * (scheme, host and port, no path). Default: none.
     *
     * @param origins the origins
     * @return this builder
     */
    public Builder allowedOrigins(String... origins) {
      for (String o : origins) {
        allowedOrigins.add(o.toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /**
     * Lets browsers in from any origin: any web site a user visits can then talk to this server with
     * the user's network position. For loopback demos only; say so where it is used.
     *
     * @return this builder
     */
    public Builder allowAnyOrigin() {
      this.anyOrigin = true;
      return this;
    }

    /**
     * The most conversations at once; default 100. Past it, new connections close with
     * {@link CloseCodes#TRY_AGAIN_LATER}.
     *
     * @param maxConnections at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "maxConnections must be at least 1, not " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * How long a client may send nothing before its connection closes with
     * {@link CloseCodes#POLICY_VIOLATION}; default 30 s. Not counted after the client ended its input.
     *
     * @param idleTimeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder idleTimeout(Duration idleTimeout) {
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * The largest frame (message) a client may send; default 64 KiB. Larger ones close with
     * {@link CloseCodes#MESSAGE_TOO_BIG}.
     *
     * @param maxFrameBytes at least 1024
     * @return this builder
     * @throws IllegalArgumentException when below 1024
     */
    public Builder maxFrameBytes(int maxFrameBytes) {
      if (maxFrameBytes < 1024) {
        throw new IllegalArgumentException(
            "maxFrameBytes must be at least 1024, not " + maxFrameBytes);
      }
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    /**
     * The inbound buffer of each conversation, in parts; default 256 (about 5 s of 20 ms audio
     * frames). Policy when full: the oldest audio part is dropped and counted; control messages are
     * never dropped, and a buffer full of them closes the connection with
     * {@link CloseCodes#POLICY_VIOLATION}.
     *
     * @param parts at least 8
     * @return this builder
     * @throws IllegalArgumentException when below 8
     */
    public Builder inboundCapacity(int parts) {
      if (parts < 8) {
        throw new IllegalArgumentException("the inbound capacity must be at least 8, not " + parts);
      }
      this.inboundCapacity = parts;
      return this;
    }

    /**
     * The stage between the pipeline and the socket, per conversation. Default: an
     * {@link AudioRateLimiter} with a 200 ms lead on the builder's scheduler, so that the client holds
     * little audio it has not played and an {@code interrupted} part drops what was not sent. Its
     * buffer is the outbound buffer (policy: wait; the pipeline is read with backpressure). Give
     * {@link Processor#chain(List) Processor.chain(List.of())} to send output as fast as the socket
     * takes it (when the pipeline paces itself).
     *
     * @param pacing the stage
     * @return this builder
     */
    public Builder outboundPacing(Processor pacing) {
      this.outboundPacing = Objects.requireNonNull(pacing, "pacing");
      return this;
    }

    /**
     * The scheduler of every timer (idle timeout, drain grace, the default pacing); default
     * {@code Schedulers.parallel()}. Tests give a virtual-time scheduler.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Called with each conversation's report when its connection has closed (the server also logs it).
     * Called on a Netty or scheduler thread: must not block.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder onConversationEnd(Consumer<ConversationReport> listener) {
      this.onConversationEnd = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The server, not started.
     *
     * @return the server
     * @throws IllegalStateException when no conversation factory was given
     */
    public VoiceServer build() {
      if (conversations == null) {
        throw new IllegalStateException(
            "no conversation factory: call conversations(...) with the pipeline of each conversation");
      }
      return new VoiceServer(this);
    }
  }
}
