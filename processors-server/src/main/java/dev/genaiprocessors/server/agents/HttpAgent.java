package dev.genaiprocessors.server.agents;

import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.client.internal.StreamedCall;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.agents.AgentResult;
import dev.genaiprocessors.live.agents.AgentTask;
import dev.genaiprocessors.live.agents.BackgroundAgent;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link BackgroundAgent} behind an HTTP endpoint: each task is a {@code POST} of the conversation so far,
 * answered by a JSON result. Any number of agent servers can stand behind one address (a load balancer):
 * the request holds everything the server needs.
 *
 * <p><b>Request.</b> {@code POST} to the endpoint, {@code Content-Type: application/json}, header
 * {@code Idempotency-Key: <conversation_id>:<task_id>} (the same on every attempt, so a server can tell a
 * retry from a new task), body:
 *
 * <pre>{@code
 * {"conversation_id": "c-42", "turn_id": 3, "task_id": "t3",
 *  "history": [{"role": "user", "content": "Email Bob that I'm late"}, {"role": "model", "content": "..."}],
 *  "tool": {"name": "send_email", "arguments": {"to": "bob"}}}        // only for a function call
 * }</pre>
 *
 * <p><b>Answer.</b> HTTP 2xx with a JSON object {@code {"status": "completed", "results": [{"action":
 * "email_sent", ...}], "timestamp": "2026-12-07T20:00:00Z"}} ({@code timestamp} ISO-8601 text or epoch seconds,
 * a number). Anything else fails the task with an {@link AgentCallException} that says what was wrong: a body
 * that is not JSON, a missing or mistyped field, a body over {@link Builder#maxResponseBytes}, an HTTP status.
 *
 * <p><b>Time and retries.</b> Each attempt must be answered within {@link Builder#attemptTimeout}. A connection
 * that fails or is cut, an attempt with no answer in time, and an HTTP status in {@link
 * RetryPolicy#RETRYABLE_STATUS_CODES} are tried again by the {@link RetryPolicy} (the project's one backoff:
 * doubling, capped, with jitter), with its waits on the {@link Builder#scheduler scheduler}: a task is idempotent
 * by its key, so a retried {@code POST} is safe. Other failures fail at once. {@code BackgroundAgents} bounds the
 * whole task with its own timeout and cancels it (closing the connection) when the task or its conversation
 * ends. Immutable and thread-safe; nothing blocks.
 */
public final class HttpAgent implements BackgroundAgent {

  private final URI endpoint;
  private final String where;
  private final HttpClient http;
  private final RetryPolicy retryPolicy;
  private final Duration attemptTimeout;
  private final int maxResponseBytes;
  private final Scheduler scheduler;

  private HttpAgent(Builder b) {
    this.endpoint = b.endpoint;
    this.where = describe(b.endpoint);
    this.http = (b.http != null ? b.http : HttpClient.create()).followRedirect(false);
    this.retryPolicy = b.retryPolicy;
    this.attemptTimeout = b.attemptTimeout;
    this.maxResponseBytes = b.maxResponseBytes;
    this.scheduler = b.scheduler;
  }

  /**
   * A builder for the agent at this address.
   *
   * @param endpoint an absolute {@code http} or {@code https} URI
   * @return a new builder
   * @throws IllegalArgumentException when the URI is not absolute http(s), or holds credentials
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  @Override
  public Mono<AgentResult> run(AgentTask task) {
    return Mono.defer(
        () -> {
          byte[] body = WireJson.write(request(task)).getBytes(StandardCharsets.UTF_8);
          String key = task.conversationId() + ":" + task.taskId();
          return attempt(body, key)
              .retryWhen(
                  Retry.from(
                      signals ->
                          signals.concatMap(
                              s -> {
                                Throwable e = s.failure();
                                int attempts = (int) s.totalRetries() + 1;
                                if (!(e instanceof AgentCallException a) || !a.retryable()) {
                                  return Mono.error(e);
                                }
                                if (attempts >= retryPolicy.maxAttempts()) {
                                  return Mono.error(
                                      new AgentCallException(
                                          a.getMessage()
                                              + " (gave up after "
                                              + attempts
                                              + " attempts)",
                                          true,
                                          a.statusCode(),
                                          a));
                                }
                                Duration wait =
                                    retryPolicy.backoff(
                                        attempts, null, ThreadLocalRandom.current().nextDouble());
                                return Mono.delay(wait, scheduler);
                              })));
        });
  }

  private Mono<AgentResult> attempt(byte[] body, String key) {
    return http.headers(
            h -> {
              h.set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
              h.set(HttpHeaderNames.ACCEPT, "application/json");
              h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
              h.set("Idempotency-Key", key);
            })
        .post()
        .uri(endpoint.toString())
        .send((request, out) -> out.sendByteArray(Mono.just(body)))
        .response(
            (response, content) ->
                content
                    .asByteArray()
                    .reduce(
                        new ByteArrayOutputStream(),
                        (all, bytes) -> {
                          if (all.size() + bytes.length > maxResponseBytes) {
                            throw new AgentCallException(
                                "The agent at "
                                    + where
                                    + " answered more than "
                                    + maxResponseBytes
                                    + " bytes; answer less, or raise maxResponseBytes",
                                false,
                                response.status().code());
                          }
                          all.writeBytes(bytes);
                          return all;
                        })
                    .map(
                        all ->
                            answer(response.status().code(), all.toString(StandardCharsets.UTF_8))))
        .next()
        .switchIfEmpty(
            Mono.error(
                () -> new AgentCallException("The agent at " + where + " sent no answer", true, 0)))
        .timeout(attemptTimeout, scheduler)
        .onErrorMap(e -> !(e instanceof AgentCallException), this::transportError);
  }

  private AgentCallException transportError(Throwable e) {
    if (e instanceof TimeoutException) {
      return new AgentCallException(
          "The agent at "
              + where
              + " did not answer within "
              + attemptTimeout.toMillis()
              + " ms (attemptTimeout)",
          true,
          0,
          e);
    }
    boolean io = e instanceof IOException || e.getCause() instanceof IOException;
    return new AgentCallException(
        "The call to the agent at "
            + where
            + " failed: "
            + StreamedCall.snippet(String.valueOf(e.getMessage()))
            + (io ? "" : " (not retried)"),
        io,
        0,
        e);
  }

  private AgentResult answer(int status, String text) {
    if (status < 200 || status > 299) {
      throw new AgentCallException(
          "The agent at "
              + where
              + " answered HTTP "
              + status
              + (RetryPolicy.isRetryableStatus(status) ? "" : " (not retried)")
              + ": "
              + StreamedCall.snippet(text),
          RetryPolicy.isRetryableStatus(status),
          status);
    }
    JsonNode json = WireJson.tryParse(text);
    if (json == null || !json.isObject()) {
      throw bad(status, "a body that is not a JSON object: " + StreamedCall.snippet(text));
    }
    JsonNode s = json.get("status");
    if (s == null || !s.isString()) {
      throw bad(status, "no \"status\" string");
    }
    JsonNode results = json.get("results");
    if (results == null || !results.isArray()) {
      throw bad(status, "no \"results\" array");
    }
    List<JsonNode> actions = new ArrayList<>();
    results.forEach(actions::add);
    return new AgentResult(s.asString(), actions, timestamp(status, json.get("timestamp")));
  }

  private Instant timestamp(int status, @Nullable JsonNode t) {
    if (t != null && t.isNumber()) {
      double seconds = t.doubleValue();
      if (Double.isFinite(seconds) && Math.abs(seconds) < 1e11) {
        return Instant.ofEpochMilli(Math.round(seconds * 1000));
      }
    } else if (t != null && t.isString()) {
      try {
        return Instant.parse(t.asString());
      } catch (DateTimeException e) {
        throw bad(
            status, "a \"timestamp\" that is not ISO-8601: " + StreamedCall.snippet(t.asString()));
      }
    }
    throw bad(status, "no \"timestamp\" (ISO-8601 text or epoch seconds)");
  }

  private AgentCallException bad(int status, String what) {
    return new AgentCallException(
        "The agent at "
            + where
            + " answered HTTP "
            + status
            + " with "
            + what
            + "; answer {\"status\": ..., \"results\": [...], \"timestamp\": ...}",
        false,
        status);
  }

  static ObjectNode request(AgentTask task) {
    ObjectNode r = WireJson.MAPPER.createObjectNode();
    r.put("conversation_id", task.conversationId());
    r.put("turn_id", task.turnId());
    r.put("task_id", task.taskId());
    ArrayNode history = r.putArray("history");
    for (Part p : task.history()) {
      if (p.isText()) {
        history
            .addObject()
            .put("role", p.role().isEmpty() ? "user" : p.role())
            .put("content", p.text());
      }
    }
    Part call = task.functionCall();
    if (call != null) {
      ObjectNode tool = r.putObject("tool");
      tool.put("name", call.functionCall().name());
      tool.set("arguments", call.functionCall().args().deepCopy());
    }
    return r;
  }

  private static String describe(URI u) {
    return u.getScheme()
        + "://"
        + u.getHost()
        + (u.getPort() < 0 ? "" : ":" + u.getPort())
        + u.getRawPath();
  }

  @Override
  public String toString() {
    return "HttpAgent[" + where + "]";
  }

  /** Builds an {@link HttpAgent}; not thread-safe. */
  public static final class Builder {
    private final URI endpoint;
    private @Nullable HttpClient http;
    private RetryPolicy retryPolicy =
        RetryPolicy.builder()
            .maxAttempts(3)
            .initialBackoff(Duration.ofMillis(500))
            .maxBackoff(Duration.ofSeconds(5))
            .jitter(Duration.ofMillis(250))
            .build();
    private Duration attemptTimeout = Duration.ofSeconds(10);
    private int maxResponseBytes = 1 << 20;
    private Scheduler scheduler = Schedulers.parallel();

    private Builder(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!endpoint.isAbsolute()
          || endpoint.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw new IllegalArgumentException(
            "An HTTP agent needs an absolute http or https URI such as http://127.0.0.1:8090/agent, was "
                + (endpoint.getHost() == null ? "a URI without a host" : describe(endpoint)));
      }
      if (endpoint.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "An HTTP agent's URI must not hold credentials (user:password@); was for "
                + describe(endpoint));
      }
      this.endpoint = endpoint;
    }

    /**
     * When and how often a failed attempt is tried again; default 3 attempts, backoff from 500 ms doubling up
     * to 5 s, plus up to 250 ms of jitter. Its {@code continueAfterOutput} does not apply.
     *
     * @param policy the policy ({@link RetryPolicy#none()} for one attempt)
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The longest one attempt may wait for its whole answer; default 10 s.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder attemptTimeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("attemptTimeout must be positive, was " + timeout);
      }
      this.attemptTimeout = timeout;
      return this;
    }

    /**
     * The largest answer read; a larger one fails the task. Default 1 MiB.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxResponseBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxResponseBytes must be at least 1, was " + bytes);
      }
      this.maxResponseBytes = bytes;
      return this;
    }

    /**
     * Where attempt timeouts and backoff waits are counted; default {@link Schedulers#parallel()} (virtual
     * time in tests).
     *
     * @param scheduler the timer
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The Reactor Netty client (pools, proxy, TLS); default {@code HttpClient.create()}. Redirects are never
     * followed.
     *
     * @param http the client
     * @return this builder
     */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /**
     * The agent.
     *
     * @return an immutable, thread-safe agent
     */
    public HttpAgent build() {
      return new HttpAgent(this);
    }
  }
}
