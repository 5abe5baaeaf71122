package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.ApiKey;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.live.HeardAudio;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;

/**
 * Configures an {@link OpenAiRealtimeProcessor}. Session fields left unset are not sent, so the server's
 * defaults apply; every set one goes into the {@code session.update} the processor sends first on each
 * connection. Not thread-safe; {@link #build()} copies the configuration.
 */
public final class OpenAiRealtimeBuilder {
  private final RealtimeSettings s;

  OpenAiRealtimeBuilder(RealtimeSettings settings) {
    this.s = settings;
  }

  // ---------------------------------------------------------------- connection

  /**
   * The socket URI without the model; default {@link OpenAiRealtimeProcessor#DEFAULT_URI}.
   *
   * @param uri a {@code ws} or {@code wss} URI
   * @return this builder
   * @throws IllegalArgumentException when the scheme is not {@code ws} or {@code wss}
   */
  public OpenAiRealtimeBuilder uri(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("uri must be ws:// or wss://, was " + scheme + "://");
    }
    s.uri = uri;
    return this;
  }

  /**
   * The API key, sent as {@code Authorization: Bearer}; default from {@code OPENAI_API_KEY}.
   *
   * @param apiKey the key
   * @return this builder
   * @throws IllegalArgumentException when blank or holding line breaks
   */
  public OpenAiRealtimeBuilder apiKey(String apiKey) {
    s.apiKey = ApiKey.of(apiKey);
    return this;
  }

  /**
   * The model, sent as {@code ?model=}; default {@code gpt-realtime}.
   *
   * @param model the model name
   * @return this builder
   */
  public OpenAiRealtimeBuilder model(String model) {
    s.model = requireText(model, "model");
    return this;
  }

  /**
   * The scheduler of the timers (keep-alive, drain timeout); default {@code Schedulers.parallel()}. What was
   * heard is timed on the {@link HeardAudio}'s own clock (the player's).
   *
   * @param scheduler the scheduler
   * @return this builder
   */
  public OpenAiRealtimeBuilder scheduler(Scheduler scheduler) {
    s.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * How many client events may wait to be sent; default 256. When full, the oldest audio is dropped.
   *
   * @param capacity at least 8
   * @return this builder
   * @throws IllegalArgumentException when smaller than 8
   */
  public OpenAiRealtimeBuilder sendQueueCapacity(int capacity) {
    if (capacity < 8) {
      throw new IllegalArgumentException("sendQueueCapacity must be at least 8, was " + capacity);
    }
    s.sendQueueCapacity = capacity;
    return this;
  }

  /**
   * How often a ping goes when nothing else does; two periods without any frame from the server end the
   * session. Default 30 s; zero turns it off.
   *
   * @param interval the period, not negative
   * @return this builder
   * @throws IllegalArgumentException when negative
   */
  public OpenAiRealtimeBuilder keepAlive(Duration interval) {
    s.keepAlive = requireNotNegative(interval, "keepAlive");
    return this;
  }

  /**
   * The largest frame accepted from the server; default 16 MiB. A bigger one ends the session with a
   * protocol error naming this limit.
   *
   * @param bytes at least 64 KiB
   * @return this builder
   * @throws IllegalArgumentException when smaller than 64 KiB
   */
  public OpenAiRealtimeBuilder maxFrameBytes(int bytes) {
    if (bytes < 65536) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 65536, was " + bytes);
    }
    s.maxFrameBytes = bytes;
    return this;
  }

  /**
   * How long, after the input completes, the processor waits for answers in flight (out-of-band ones
   * included) before it closes; default 10 s. An out-of-band answer still in flight then ends with
   * {@link dev.genaiprocessors.live.OutOfBandRequest#ERROR}: raise this to wait longer for slow ones.
   *
   * @param timeout the wait, not negative
   * @return this builder
   * @throws IllegalArgumentException when negative
   */
  public OpenAiRealtimeBuilder drainTimeout(Duration timeout) {
    s.drainTimeout = requireNotNegative(timeout, "drainTimeout");
    return this;
  }

  /**
   * What the user heard, reported by the player: on a barge-in the {@code interrupted} part carries the
   * milliseconds heard ({@link dev.genaiprocessors.live.LiveParts#HEARD_MS}) and the answer's item is
   * truncated to them ({@code conversation.item.truncate}).
   *
   * @param heard the tracker the rate limiter that plays this processor's audio reports to
   * @return this builder
   */
  public OpenAiRealtimeBuilder playback(HeardAudio heard) {
    s.playback = Objects.requireNonNull(heard, "heard");
    return this;
  }

  /**
   * Opts in to continuation: when the server ends a session at its time limit, a new session goes on with
   * the same settings, seeded with the last {@code historyItems} messages of the transcript (see the
   * processor's class comment for what it knows).
   *
   * @param maxContinuations how many new sessions at most, for example 3 for a call of up to four hours
   * @param historyItems how many transcript messages seed a new session, at most 1000
   * @return this builder
   * @throws IllegalArgumentException when a number is negative or historyItems passes 1000
   */
  public OpenAiRealtimeBuilder continueOnExpiry(int maxContinuations, int historyItems) {
    if (maxContinuations < 0 || historyItems < 0 || historyItems > 1000) {
      throw new IllegalArgumentException(
          "continueOnExpiry takes maxContinuations >= 0 and historyItems from 0 to 1000, was "
              + maxContinuations
              + ", "
              + historyItems);
    }
    s.maxContinuations = maxContinuations;
    s.continuationHistoryItems = historyItems;
    return this;
  }

  // ---------------------------------------------------------------- session fields

  /**
   * {@code instructions}: the system prompt.
   *
   * @param instructions the text
   * @return this builder
   */
  public OpenAiRealtimeBuilder instructions(String instructions) {
    s.instructions = Objects.requireNonNull(instructions, "instructions");
    return this;
  }

  /**
   * {@code audio.output.voice}, such as {@code marin} or {@code alloy}; sent in the first
   * {@code session.update} of each session, before any audio, since the server fixes it at the first audio.
   *
   * @param voice the voice name
   * @return this builder
   */
  public OpenAiRealtimeBuilder voice(String voice) {
    s.voice = requireText(voice, "voice");
    return this;
  }

  /**
   * {@code audio.output.speed}.
   *
   * @param speed from 0.25 to 1.5
   * @return this builder
   * @throws IllegalArgumentException when out of range
   */
  public OpenAiRealtimeBuilder speed(double speed) {
    if (!(speed >= 0.25 && speed <= 1.5)) {
      throw new IllegalArgumentException("speed must be from 0.25 to 1.5, was " + speed);
    }
    s.speed = speed;
    return this;
  }

  /**
   * {@code output_modalities}: audio (with its transcript) or text only.
   *
   * @param textOnly true for {@code ["text"]}, false for {@code ["audio"]}
   * @return this builder
   */
  public OpenAiRealtimeBuilder textOutput(boolean textOnly) {
    s.outputModality = textOnly ? "text" : "audio";
    return this;
  }

  /**
   * {@code audio.input.format} and {@code audio.output.format}; default PCM 24 kHz. The parts stay PCM (see
   * {@link RealtimeAudioFormat}).
   *
   * @param input the input format
   * @param output the output format
   * @return this builder
   */
  public OpenAiRealtimeBuilder audioFormats(RealtimeAudioFormat input, RealtimeAudioFormat output) {
    s.inputFormat = Objects.requireNonNull(input, "input");
    s.outputFormat = Objects.requireNonNull(output, "output");
    return this;
  }

  /**
   * {@code audio.input.transcription}: transcripts of the user's audio.
   *
   * @param model the transcription model, such as {@code gpt-4o-mini-transcribe}
   * @param language the language (ISO-639-1), or null
   * @param prompt a prompt for the transcriber, or null
   * @return this builder
   */
  public OpenAiRealtimeBuilder inputTranscription(
      String model, @Nullable String language, @Nullable String prompt) {
    s.transcriptionModel = requireText(model, "model");
    s.transcriptionLanguage = language;
    s.transcriptionPrompt = prompt;
    return this;
  }

  /**
   * {@code audio.input.noise_reduction}.
   *
   * @param farField true for {@code far_field} (laptop, room microphones), false for {@code near_field}
   *     (headsets)
   * @return this builder
   */
  public OpenAiRealtimeBuilder noiseReduction(boolean farField) {
    s.noiseReduction = farField ? "far_field" : "near_field";
    return this;
  }

  /**
   * {@code audio.input.turn_detection}.
   *
   * @param detection server VAD, semantic VAD, or none for manual turns
   * @return this builder
   */
  public OpenAiRealtimeBuilder turnDetection(TurnDetection detection) {
    s.turnDetection = Objects.requireNonNull(detection, "detection");
    return this;
  }

  /**
   * {@code tools}: functions the model may call, from plain Java. Calls come out as function-call parts;
   * answer each with a function result of the same id.
   *
   * @param tools the tools
   * @return this builder
   * @throws IllegalArgumentException when two tools have the same name
   */
  public OpenAiRealtimeBuilder tools(Tool... tools) {
    Map<String, Tool> byName = new LinkedHashMap<>();
    for (Tool t : s.tools) {
      byName.put(t.name(), t);
    }
    for (Tool t : tools) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalArgumentException("two tools are named " + t.name());
      }
    }
    s.tools = new java.util.ArrayList<>(byName.values());
    return this;
  }

  /**
   * {@code tool_choice}: {@code auto}, {@code none}, {@code required}, or the name of one function.
   *
   * @param choice the choice
   * @return this builder
   */
  public OpenAiRealtimeBuilder toolChoice(String choice) {
    s.toolChoice = requireText(choice, "choice");
    return this;
  }

  /**
   * {@code max_output_tokens} of each response.
   *
   * @param tokens from 1 to 4096
   * @return this builder
   * @throws IllegalArgumentException when out of range
   */
  public OpenAiRealtimeBuilder maxOutputTokens(int tokens) {
    if (tokens < 1 || tokens > 4096) {
      throw new IllegalArgumentException("maxOutputTokens must be from 1 to 4096, was " + tokens);
    }
    s.maxOutputTokens = tokens;
    s.maxOutputTokensInf = false;
    return this;
  }

  /**
   * {@code max_output_tokens: "inf"}: no limit but the model's.
   *
   * @return this builder
   */
  public OpenAiRealtimeBuilder unlimitedOutputTokens() {
    s.maxOutputTokensInf = true;
    s.maxOutputTokens = null;
    return this;
  }

  /**
   * {@code truncation}: {@code auto} or {@code disabled}.
   *
   * @param auto true for {@code auto}, false for {@code disabled}
   * @return this builder
   */
  public OpenAiRealtimeBuilder truncation(boolean auto) {
    s.truncation = auto ? "auto" : "disabled";
    s.truncationRetentionRatio = null;
    return this;
  }

  /**
   * {@code truncation} by retention ratio: when the context is full, keep this share of it.
   *
   * @param ratio from 0 to 1
   * @param postInstructionsTokens the token limit after the instructions, or null
   * @return this builder
   * @throws IllegalArgumentException when the ratio is out of range
   */
  public OpenAiRealtimeBuilder truncationRetentionRatio(
      double ratio, @Nullable Integer postInstructionsTokens) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("ratio must be from 0 to 1, was " + ratio);
    }
    s.truncationRetentionRatio = ratio;
    s.truncationPostInstructionsTokens = postInstructionsTokens;
    s.truncation = null;
    return this;
  }

  /**
   * {@code tracing: "auto"}: traces in the OpenAI dashboard with default names.
   *
   * @return this builder
   */
  public OpenAiRealtimeBuilder tracingAuto() {
    s.tracingAuto = true;
    return this;
  }

  /**
   * {@code tracing} with names.
   *
   * @param workflowName the workflow's name, or null
   * @param groupId the group id, or null
   * @param metadata metadata of the trace, or null
   * @return this builder
   */
  public OpenAiRealtimeBuilder tracing(
      @Nullable String workflowName,
      @Nullable String groupId,
      @Nullable Map<String, String> metadata) {
    s.tracingAuto = false;
    s.tracingWorkflowName = workflowName;
    s.tracingGroupId = groupId;
    s.tracingMetadata = metadata == null ? null : Map.copyOf(metadata);
    return this;
  }

  /**
   * The processor.
   *
   * @return a processor with a copy of this configuration
   */
  public OpenAiRealtimeProcessor build() {
    return new OpenAiRealtimeProcessor(s.copy());
  }

  private static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  private static Duration requireNotNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
    return d;
  }
}
