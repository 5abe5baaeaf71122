package dev.genaiprocessors.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.reactivestreams.Publisher;

/**
 * One scripted HTTP answer of an emulator ({@code GeminiApiEmulator}, {@code OpenAiApiEmulator}): a
 * status, headers, and a body played step by step, with pauses and faults as data.
 *
 * <pre>{@code
 * Sinks.Empty<Void> gate = Sinks.empty();
 * server.enqueue(ScriptedResponse.builder()
 *     .event(GeminiApiEmulator.textChunk("Hel"))   // data: {...}, flushed at once
 *     .await(gate.asMono())                        // held until the test says gate.tryEmitEmpty()
 *     .event(GeminiApiEmulator.textChunk("lo"))
 *     .delay(Duration.ofMillis(5))
 *     .cutConnection()                             // the socket closes without ending the response
 *     .build());
 * }</pre>
 *
 * <p><b>Steps.</b> {@link Builder#event(String)} sends one server-sent event ({@code data: ...} and a
 * blank line); {@link Builder#raw(String)} sends text as it is (a JSON error body, or a malformed
 * stream); {@link Builder#delay(Duration)} pauses; {@link Builder#await(Publisher)} pauses until a
 * publisher completes or emits; {@link Builder#cutConnection()} closes the socket once everything before
 * it has been written, so the client sees the response end early. Each step's bytes are flushed as soon as
 * they are produced. The content type defaults to {@code text/event-stream} when there are events and
 * {@code application/json} otherwise.
 *
 * <p>Immutable, except that an {@code await} publisher is the caller's; a response may be enqueued more
 * than once.
 */
public final class ScriptedResponse {

  /** One step of the body. */
  public sealed interface Step permits Send, Delay, Await, Cut {}

  /** Sends text as it is. @param text the bytes to send, as UTF-8 */
  public record Send(String text) implements Step {
    /**
     * @param text the text to send, as UTF-8
     * @throws NullPointerException when text is null
     */
    public Send {
      Objects.requireNonNull(text, "text");
    }
  }

  /** Pauses before the next step. @param duration how long */
  public record Delay(Duration duration) implements Step {
    /**
     * @param duration how long to pause; not negative
     * @throws IllegalArgumentException when negative
     */
    public Delay {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, was " + duration);
      }
    }
  }

  /** Pauses until the publisher emits or completes (an error also ends the pause). @param signal the publisher */
  public record Await(Publisher<?> signal) implements Step {
    /**
     * @param signal the publisher whose first signal ends the pause
     * @throws NullPointerException when signal is null
     */
    public Await {
      Objects.requireNonNull(signal, "signal");
    }
  }

  /** Closes the connection abruptly once the steps before have been written; later steps are not played. */
  public record Cut() implements Step {}

  private final int status;
  private final Map<String, String> headers;
  private final List<Step> steps;

  private ScriptedResponse(Builder b) {
    this.status = b.status;
    Map<String, String> h = new LinkedHashMap<>(b.headers);
    if (!h.containsKey("content-type")) {
      boolean events = b.events > 0;
      h.put("content-type", events ? "text/event-stream" : "application/json; charset=UTF-8");
    }
    this.headers = Map.copyOf(h);
    this.steps = List.copyOf(b.steps);
  }

  /**
   * A builder of a 200 answer with no body yet.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An answer with this status and this JSON body, sent at once.
   *
   * @param status the HTTP status
   * @param body the JSON body, sent as it is in one piece
   * @return the response
   */
  public static ScriptedResponse json(int status, String body) {
    return builder().status(status).raw(body).build();
  }

  /**
   * The HTTP status.
   *
   * @return the status, in [100, 599]
   */
  public int status() {
    return status;
  }

  /**
   * The headers to send, names in lower case.
   *
   * @return the headers, an unmodifiable map
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The steps of the body, in order.
   *
   * @return the steps, an unmodifiable list
   */
  public List<Step> steps() {
    return steps;
  }

  /**
   * The text of all {@link Send} steps, in order (the body when the script plays to its end).
   *
   * @return the concatenated text
   */
  public String bodyText() {
    StringBuilder sb = new StringBuilder();
    for (Step s : steps) {
      if (s instanceof Send send) {
        sb.append(send.text());
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "ScriptedResponse[status="
        + status
        + ", steps="
        + steps.size()
        + ", bytes="
        + bodyText().getBytes(StandardCharsets.UTF_8).length
        + ", body="
        + preview(bodyText())
        + "]";
  }

  /** The first 100 characters of a body on one line, for messages. */
  private static String preview(String body) {
    String line = body.replace("\r", "").replace("\n", "\\n");
    return line.length() <= 100 ? "\"" + line + "\"" : "\"" + line.substring(0, 100) + "...\"";
  }

  /** Builds a {@link ScriptedResponse}. */
  public static final class Builder {
    private int status = 200;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private int events;

    private Builder() {}

    /**
     * The HTTP status; default 200.
     *
     * @param status the HTTP status, in [100, 599]
     * @return this builder
     * @throws IllegalArgumentException outside [100, 599]
     */
    public Builder status(int status) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("HTTP status must be in [100, 599], was " + status);
      }
      this.status = status;
      return this;
    }

    /**
     * A header to send (replacing one of the same name).
     *
     * @param name the header's name; stored in lower case
     * @param value the header's value
     * @return this builder
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      headers.put(name.toLowerCase(Locale.ROOT), value);
      return this;
    }

    /**
     * One server-sent event: {@code data: <data>} and a blank line. Multi-line data becomes several {@code data:} lines.
     *
     * @param data the event's data; each line becomes a {@code data:} line
     * @return this builder
     */
    public Builder event(String data) {
      Objects.requireNonNull(data, "data");
      StringBuilder sb = new StringBuilder();
      for (String line : data.split("\n", -1)) {
        sb.append("data: ").append(line).append("\r\n");
      }
      steps.add(new Send(sb.append("\r\n").toString()));
      events++;
      return this;
    }

    /**
     * Text sent as it is: a JSON body, a comment line, or bytes that break the format on purpose.
     *
     * @param text the text to send
     * @return this builder
     */
    public Builder raw(String text) {
      steps.add(new Send(text));
      return this;
    }

    /**
     * A pause before the next step, on the emulator's scheduler.
     *
     * @param duration how long to pause; not negative
     * @return this builder
     */
    public Builder delay(Duration duration) {
      steps.add(new Delay(duration));
      return this;
    }

    /**
     * A pause until {@code signal} emits or completes: the test decides when the answer goes on.
     *
     * @param signal the publisher whose first signal ends the pause
     * @return this builder
     */
    public Builder await(Publisher<?> signal) {
      steps.add(new Await(signal));
      return this;
    }

    /**
     * Closes the connection once everything before has been written, without ending the response.
     *
     * @return this builder
     */
    public Builder cutConnection() {
      steps.add(new Cut());
      return this;
    }

    /**
     * The response.
     *
     * @return a new response with the steps given so far
     */
    public ScriptedResponse build() {
      return new ScriptedResponse(this);
    }
  }
}
