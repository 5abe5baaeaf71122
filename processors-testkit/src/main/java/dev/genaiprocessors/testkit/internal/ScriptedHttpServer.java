package dev.genaiprocessors.testkit.internal;

import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * For internal use only. The engine of the HTTP emulators: a Reactor Netty server on 127.0.0.1 and a
 * free port that records each request, answers it from a queue of {@link ScriptedResponse}s (or a
 * dispatcher, or a fallback) and plays the answer step by step.
 *
 * <p>A provider's {@code check} runs first on every request and may answer it with a protocol error
 * (a missing key, a wrong path), consuming no script. Thread-safe.
 */
public final class ScriptedHttpServer implements AutoCloseable {

  private final String name;
  private final Function<RecordedRequest, @Nullable ScriptedResponse> check;
  private final Function<RecordedRequest, ScriptedResponse> fallback;
  private final Queue<ScriptedResponse> script = new ConcurrentLinkedQueue<>();
  private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private final Semaphore requestsArrived = new Semaphore(0);
  private final Semaphore connectionsClosed = new Semaphore(0);
  private final AtomicInteger requestCount = new AtomicInteger();
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final Scheduler scheduler = Schedulers.parallel();
  private volatile @Nullable Function<RecordedRequest, ScriptedResponse> dispatcher;
  private volatile @Nullable DisposableServer server;

  /**
   * @param name for messages, such as {@code GeminiApiEmulator}
   * @param check answers a request that breaks the protocol, or returns null to let the script answer
   * @param fallback answers when the queue is empty and no dispatcher is set
   */
  public ScriptedHttpServer(
      String name,
      Function<RecordedRequest, @Nullable ScriptedResponse> check,
      Function<RecordedRequest, ScriptedResponse> fallback) {
    this.name = name;
    this.check = check;
    this.fallback = fallback;
  }

  /** Binds 127.0.0.1 on a free port; does nothing when started already. Blocks up to 10 s. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .doOnChannelInit(
                (observer, channel, address) -> {
                  channels.add(channel);
                  channel
                      .closeFuture()
                      .addListener(
                          f -> {
                            channels.remove(channel);
                            connectionsClosed.release();
                          });
                })
            .handle(this::handle)
            .bindNow(Duration.ofSeconds(10));
  }

  /**
   * The bound port.
   *
   * @return the port on 127.0.0.1
   * @throws IllegalStateException before {@link #start()}
   */
  public int port() {
    DisposableServer s = server;
    if (s == null) {
      throw new IllegalStateException(name + " is not started; call start() first");
    }
    return s.port();
  }

  /**
   * Adds a response to the queue.
   *
   * @param response the response to send to the next request that finds the queue at it
   */
  public void enqueue(ScriptedResponse response) {
    script.add(Objects.requireNonNull(response, "response"));
  }

  /**
   * Computes the answers once the queue is empty.
   *
   * @param dispatcher answers a request; null to go back to the fallback
   */
  public void dispatcher(@Nullable Function<RecordedRequest, ScriptedResponse> dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * The next request received. Blocks the caller.
   *
   * @param timeout how long to wait
   * @return the request, or null when none came within the timeout
   */
  public @Nullable RecordedRequest takeRequest(Duration timeout) {
    try {
      if (!requestsArrived.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    return requests.poll();
  }

  /**
   * How many requests were received.
   *
   * @return the count since the start
   */
  public int requestCount() {
    return requestCount.get();
  }

  /**
   * The scripted responses still queued, described, in order.
   *
   * @return one description per queued response
   */
  public List<String> unusedScript() {
    return script.stream().map(ScriptedResponse::toString).toList();
  }

  /**
   * Waits until a client connection has closed (each close counts once). Blocks the caller.
   *
   * @param timeout how long to wait
   * @return true when one closed within the timeout
   */
  public boolean awaitConnectionClosed(Duration timeout) {
    try {
      return connectionsClosed.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Closes every connection and the server. Blocks up to 10 s. */
  @Override
  public synchronized void close() {
    DisposableServer s = server;
    if (s == null) {
      return;
    }
    for (Channel c : channels) {
      c.close();
    }
    s.disposeNow(Duration.ofSeconds(10));
    server = null;
  }

  private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    return request
        .receive()
        .aggregate()
        .asString(StandardCharsets.UTF_8)
        .defaultIfEmpty("")
        .flatMap(
            body -> {
              Map<String, List<String>> headers = new LinkedHashMap<>();
              for (Map.Entry<String, String> h : request.requestHeaders()) {
                headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
              }
              RecordedRequest recorded =
                  new RecordedRequest(request.method().name(), request.uri(), headers, body);
              requests.add(recorded);
              requestCount.incrementAndGet();
              requestsArrived.release();
              return play(answer(recorded), response);
            });
  }

  private ScriptedResponse answer(RecordedRequest request) {
    ScriptedResponse error = check.apply(request);
    if (error != null) {
      return error;
    }
    ScriptedResponse next = script.poll();
    if (next != null) {
      return next;
    }
    Function<RecordedRequest, ScriptedResponse> d = dispatcher;
    return d != null ? d.apply(request) : fallback.apply(request);
  }

  private Mono<Void> play(ScriptedResponse scripted, HttpServerResponse response) {
    List<ScriptedResponse.Step> steps = scripted.steps();
    int cut = -1;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof ScriptedResponse.Cut) {
        cut = i;
        break;
      }
    }
    Mono<Void> close = Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close()));
    if (cut == 0) {
      return close; // before any byte: not even the status line
    }
    response.status(scripted.status());
    scripted.headers().forEach(response::header);
    List<ScriptedResponse.Step> played = cut < 0 ? steps : steps.subList(0, cut);
    Flux<String> pieces =
        Flux.fromIterable(played)
            .concatMap(
                step -> {
                  if (step instanceof ScriptedResponse.Send send) {
                    return Mono.just(send.text());
                  }
                  if (step instanceof ScriptedResponse.Delay delay) {
                    return Mono.delay(delay.duration(), scheduler).then(Mono.<String>empty());
                  }
                  if (step instanceof ScriptedResponse.Await await) {
                    return Mono.from(await.signal())
                        .onErrorResume(e -> Mono.empty())
                        .then(Mono.<String>empty());
                  }
                  return Mono.<String>empty();
                },
                1);
    Mono<Void> sent = Mono.from(response.sendString(pieces, StandardCharsets.UTF_8));
    return cut < 0 ? sent : sent.then(close);
  }
}
