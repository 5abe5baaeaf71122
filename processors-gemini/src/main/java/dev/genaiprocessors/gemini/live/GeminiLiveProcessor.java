package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.audio.Resample;
import dev.genaiprocessors.client.internal.WebSocketLink;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.OutOfBandRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Gemini Live API as a processor: the user's parts in, the model's parts out, over one WebSocket
 * session per subscription ({@code BidiGenerateContent}), kept alive across the server's connection
 * limit by session resumption.
 *
 * <p><b>Example.</b>
 * <pre>{@code
 * GeminiLiveProcessor live = GeminiLiveProcessor.builder()
 *     .model("gemini-live-2.5-flash-preview")          // key from GEMINI_API_KEY / GOOGLE_API_KEY
 *     .responseModalities(Modality.AUDIO).voice("Kore")
 *     .systemInstruction("You are terse.")
 *     .tools(weatherTool).outputTranscription(true)
 *     .build();
 * microphone.transform(live).subscribe(speaker);       // audio/pcm;rate=24000 parts with role model
 * }</pre>
 * Tests and offline runs point it at a {@code GeminiLiveEmulator} (processors-testkit):
 * {@code .uri(emulator.uri()).apiKey(emulator.apiKey())}.
 *
 * <p><b>Parts in</b> (one client message each, sent only after {@code setupComplete}):
 * <ul>
 *   <li>a function response (any substream): {@code toolResponse}, with its id, name, scheduling and
 *       {@code willContinue}; {@code {"result": x}} is sent as {@code {"output": x}};
 *   <li>audio (default or {@code realtime} substream): {@code realtimeInput.audio} with its MIME type
 *       ({@code audio/pcm} without a rate is taken as 16 kHz, the rate the API expects);
 *   <li>images on {@code realtime}: {@code realtimeInput.video} (the field takes image frames); on the
 *       default substream a {@code clientContent} turn ({@link ModelProfile#CLASSIC}) or
 *       {@code realtimeInput.video} ({@link ModelProfile#GEMINI_3_1});
 *   <li>{@code video/*} parts: refused, the output fails with {@link UnsupportedPartException} (the API takes
 *       video only as image frames: decode it to JPEG frames, about one per second, and send image parts);
 *   <li>text on {@code realtime}: {@code realtimeInput.text};
 *   <li>text and other inline data on the default substream, {@link ModelProfile#CLASSIC}: a
 *       {@code clientContent} turn with the part's role ({@code user} if none, or {@code model}) and
 *       {@code turnComplete} from its {@code turn_complete} metadata (default true); an empty end-of-turn part
 *       is {@code {"clientContent":{"turnComplete":true}}};
 *   <li>text on the default substream, {@link ModelProfile#GEMINI_3_1} (which refuses {@code clientContent}
 *       after the initial history): text with {@code turn_complete=false} is held, and sent with the text
 *       that completes the turn as one {@code realtimeInput.text} (lines joined by {@code \n}); an empty
 *       end-of-turn part sends the held text, or with nothing held ends the audio stream
 *       ({@code audioStreamEnd}, automatic activity detection; nothing with manual); a {@code model}-role
 *       part or a document fails the output with {@link UnsupportedPartException}: give earlier turns as
 *       {@link Builder#initialHistory initial history} instead;
 *   <li>start-/end-of-speech parts: {@code activityStart}/{@code activityEnd} when
 *       {@link ActivityDetection#manual() activity detection is manual}, dropped otherwise;
 *       {@link Part#audioStreamEnd()} (any part with {@code audio_stream_end=true}):
 *       {@code realtimeInput.audioStreamEnd} with automatic activity detection, dropped with manual (the
 *       protocol allows it only with automatic detection);
 *   <li>parts of any other substream pass through to the output unchanged; other JSON parts too.
 * </ul>
 *
 * <p><b>Parts out</b>, in the order of the server's messages: model text and audio
 * ({@code audio/pcm;rate=24000}) with role {@code model}; transcriptions on the
 * {@code input_transcription}/{@code output_transcription} substreams; {@link Part#interrupted()},
 * {@link Part#generationComplete()}, an end-of-turn part with role {@code model} for {@code turnComplete};
 * function calls with their ids; and the parts listed in {@link GeminiLiveParts} (usage, goAway,
 * resumption updates, tool-call cancellations, the session id of each {@code setupComplete}, executable
 * code and its results, interim transcriptions, language codes, interaction status, {@code willContinue},
 * voice activity, VAD signals, grounding and URL context metadata). After {@code interrupted}, model content of the
 * interrupted turn that still arrives is dropped until the turn's {@code turnComplete}.
 *
 * <p><b>Lifecycle.</b> Building never connects. Each subscription opens a socket to {@link Builder#uri},
 * sends {@code setup}, and waits for {@code setupComplete} (at most {@link Builder#setupTimeout}). With
 * {@linkplain Builder#sessionResumption resumption} on (the default) it keeps the newest resumable handle.
 * On {@code goAway} it waits for a turn boundary with no open call and a handle issued after everything
 * sent and received (at the latest 10 s before the deadline, or half-way when less than 20 s are left),
 * closes the socket with 1000, opens a new one with the handle, and sends what was held meanwhile. A drop
 * without a close frame reconnects the same way after a backoff on the {@linkplain Builder#scheduler
 * scheduler}; a close after {@code goAway}, or a 1000/1001 close, reconnects at once.
 *
 * <p><b>Reconnect budget.</b> A connection counts as progress once the server has said something of
 * substance on it after the setup (content, a transcription, a tool call or cancellation, an interruption,
 * a generation or turn completion; not {@code setupComplete}, {@code sessionResumptionUpdate},
 * {@code goAway} or usage). Every connection that ends before progress, however it ends (a drop, a
 * 1000/1001 close, a goAway switch), uses one attempt of {@link Builder#reconnect}, with its backoff; progress
 * restores the whole budget. One exception: a {@code goAway} switch on a connection open for at least a
 * minute (on the scheduler's clock) is the server's routine rotation, and uses no attempt, so a session in
 * which the server has nothing to say lives through any number of rotations. When it is spent the output fails with a {@link ModelException} that
 * says how many attempts were made and how each connection ended. So a server that accepts the setup and
 * always drops gets {@code 1 + maxAttempts} connections, never more.
 *
 * <p><b>End of input.</b> When the input completes, queued messages are sent, and the session waits until
 * the server has answered everything sent that makes the model answer (a turn, realtime text, the end of
 * the audio stream or of an activity, a prompting NON_BLOCKING tool response), whether or not the server
 * had started answering: a turn under way is let finish, a turn interrupted by later input is followed by
 * the answer to that input. Then the socket is closed with 1000 and the output completes; nothing the
 * server sends for those turns is lost. The wait is bounded by {@link Builder#drainTimeout} (default 10 s),
 * counted from the server's last message: a server silent that long (no answer coming, or a BLOCKING call
 * left unanswered) gets the close and the output completes normally. Cancelling the output closes the
 * socket with 1000 at once and releases the session's worker.
 *
 * <p><b>Limits and buffering</b>, all bounded:
 * <ul>
 *   <li>outgoing messages wait in the session's send queue, {@link Builder#sendQueueCapacity} (default
 *       256) messages, while the socket is not ready or not writable: tool responses first, then the rest
 *       in order. When it is full the oldest realtime audio or video message is dropped (counted and logged);
 *       text, turns, activity signals and tool responses are never dropped: the input is requested one part
 *       at a time, only while there is room. Frames go to the socket only as fast as it asks for them;
 *   <li>incoming parts wait for the subscriber in the session's receive buffer,
 *       {@link Builder#receiveBufferCapacity} (default 256) parts plus those of one more message, and a
 *       message may give at most {@code max(receiveBufferCapacity, 256)} parts and have at most 100,000 JSON
 *       tokens (more is a {@link ModelProtocolException}, 1009, not retried); while the buffer is
 *       full the next frame is not requested, reactor-netty stops reading (holding at most one read batch)
 *       and TCP flow control holds the server back. Nothing is dropped; a subscriber that never requests
 *       also delays {@code goAway} and close handling;
 *   <li>frames up to {@link Builder#maxFrameBytes} (default 16 MiB) are accepted and aggregated; a larger
 *       one ends the session with a {@link ModelProtocolException} (1009) naming the limit, and is never
 *       retried, with or without a resumption handle.
 * </ul>
 * Frames the server sends after the client has closed a socket (to switch or to finish) are not read, and
 * messages written to a socket that then drops may be lost: the API does not say which client messages a
 * handle covers. A goAway switch loses nothing, since it waits for a fresh handle.
 *
 * <p><b>Threading.</b> Each subscription's events (an input part, a frame, demand, a timer) run one at a
 * time: on the thread that brings them when the session is idle (the input's, the socket's event loop, the
 * subscriber's), else right after the running one on its thread; timers fire on one worker of the
 * scheduler (default {@code Schedulers.parallel()}). Parts are emitted on whichever of these threads runs,
 * so downstream must not block. Nothing
 * blocks; keep-alive pings go every {@link Builder#keepAlive} (default 30 s), on the scheduler. <b>Dead
 * peer</b>: when nothing at all arrives from the server (no message, no pong) for 2 keep-alive periods in a
 * row while the client is reading the socket, the connection is dropped: it is then resumed with the
 * handle, using one attempt of the reconnect budget, or, without a handle, the output fails with a
 * {@link ModelException} (1006) saying so. A pong may take up to 2 periods (the real server's take 8
 * to 30 s, under the default 60 s); a subscriber that does not request holds the reads and never makes the
 * server look dead. <b>Cancellation</b> takes no lock on a non-blocking thread: the session's timers are
 * never cancelled (each checks, when due, whether it still matters), and its worker and connection loop are
 * disposed on {@code Schedulers.boundedElastic()}. An error that arrives after the output was cancelled goes
 * to {@code Hooks.onErrorDropped}.
 *
 * <p><b>Errors.</b> The output fails, after the parts received before, with a {@link ModelException}
 * that carries the close code and reason ({@link ModelException#closeCode()}) and whose subtype says what
 * to do: {@code ModelAuthenticationException} (a bad key, closed with 1007), {@code ModelRequestException}
 * (an unknown model, 1008; a setting refused), {@code ModelRateLimitException} (quota),
 * {@code ModelServerException} (1011 without {@code goAway}), {@code ModelConnectionException} (a drop that
 * reconnecting could not repair, with {@link ModelException#attempts()}; a socket that could not open; no
 * {@code setupComplete}; a dead peer) or {@link ModelProtocolException} (a malformed frame or a message out
 * of order: the client closes with 1007 or 1002 and does not resume; a frame over the limit, 1009). A part
 * the API cannot take is an {@link UnsupportedPartException} (the
 * socket is closed with 1000). An error of the input fails the output with the same exception. The API
 * key is sent only in the {@code x-goog-api-key} header (an ephemeral token only in {@code Authorization})
 * and never appears in a message, a log line or {@code toString}.
 */
public final class GeminiLiveProcessor implements LiveProcessor {

  /** The Gemini Developer API endpoint, v1beta. */
  public static final URI DEFAULT_URI =
      URI.create(
          "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent");

  final GeminiLiveSettings settings;
  final HttpClient client;

  /** The most recent subscription's session, for tests of the bounds. */
  volatile @Nullable GeminiLiveSession latestSession;

  GeminiLiveProcessor(GeminiLiveSettings settings) {
    this.settings = settings;
    String key = settings.apiKey;
    // An ephemeral token goes as "Authorization: Token ...", as the official SDKs send it; a key as
    // x-goog-api-key.
    this.client =
        settings.ephemeralToken()
            ? WebSocketLink.client("Authorization", "Token " + key)
            : WebSocketLink.client("x-goog-api-key", key);
  }

  /**
   * A builder with the defaults: {@link #DEFAULT_URI}, key from {@code GOOGLE_API_KEY} or
   * {@code GEMINI_API_KEY}, profile {@link ModelProfile#forModel by model name}, the server's defaults for
   * modalities, voice and activity detection, no tools, no transcriptions, no compression, session
   * resumption on, send queue 256, receive buffer 256, 5 reconnect attempts with a first backoff of 200 ms,
   * 3 retries of the first connection from 500 ms up to 5 s, the URI's API version,
   * setup timeout 30 s, drain timeout 10 s, keep-alive 30 s, frames up to 16 MiB, {@code Schedulers.parallel()}. A model is
   * required.
   */
  /** The rate of the audio the Live API takes, in Hz. */
  static final int INPUT_SAMPLE_RATE = 16_000;

  /** The rate of the audio the Live API sends, in Hz. */
  static final int OUTPUT_SAMPLE_RATE = 24_000;

  /**
   * {@inheritDoc}
   *
   * @return {@code gemini}
   */
  @Override
  public String provider() {
    return "gemini";
  }

  /**
   * {@inheritDoc}
   *
   * @return 16000: audio at other rates is resampled before it is sent
   */
  @Override
  public int inputSampleRate() {
    return INPUT_SAMPLE_RATE;
  }

  /**
   * {@inheritDoc}
   *
   * @return 24000
   */
  @Override
  public int outputSampleRate() {
    return OUTPUT_SAMPLE_RATE;
  }

  /**
   * A builder with the defaults named on each of its methods. A model must be set before {@link Builder#build()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder(new GeminiLiveSettings());
  }

  /**
   * A builder holding this processor's configuration, to derive a variant.
   *
   * @return a new builder with this processor's settings; this processor is not changed
   */
  public Builder toBuilder() {
    return new Builder(settings.copy());
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    // Audio at other rates is resampled to the 16 kHz the API takes (16 kHz audio passes
    // untouched).
    Flux<Part> atInputRate = input.transform(Resample.to(INPUT_SAMPLE_RATE));
    return Flux.defer(
        () -> {
          // Per subscription: the side calls of out-of-band requests, and the names of the answers.
          OutOfBandCalls outOfBand = new OutOfBandCalls(settings.outOfBandModel);
          HeardTagger heard = new HeardTagger(settings.playback);
          Flux<Part> toSession =
              atInputRate.<Part>handle(outOfBand::input).doOnComplete(outOfBand::inputDone);
          Flux<Part> live =
              Flux.<Part>create(
                      sink -> {
                        GeminiLiveSession session = new GeminiLiveSession(this, toSession, sink);
                        latestSession = session;
                        session.start();
                      })
                  .map(heard::output)
                  .map(outOfBand::output);
          // Without a side model nothing is merged, so the subscriber's demand reaches the session
          // as before; with one, a prefetch of 1 keeps it nearly so.
          return settings.outOfBandModel == null ? live : Flux.merge(1, outOfBand.answers(), live);
        });
  }

  /**
   * This live model with tools that run in the background: {@link dev.genaiprocessors.core.functions.FunctionCalling}
   * in bidirectional mode around a copy of this processor that declares the tools, and FunctionCalling's
   * {@code cancel_fc} and {@code list_fc}, as NON_BLOCKING. A call is answered at once with a {@code SILENT}
   * acknowledgement ({@code willContinue}) while the model goes on talking; the tool's result follows with
   * the tool's {@link dev.genaiprocessors.core.functions.Tool#scheduling() scheduling}. A
   * {@code toolCallCancellation} from the server cancels the running tools it names (it shows on the output
   * as its own part and as a {@code cancel_fc} call with id {@code server-cancel-N}). The input ends as
   * FunctionCalling says: once it has completed and no tool runs; then this processor's drain applies.
   *
   * @param tools the tools; none may already be declared by this processor
   * @return the processor to apply to the user's parts
   * @throws IllegalArgumentException when a tool is declared twice
   */
  public Processor withBackgroundTools(dev.genaiprocessors.core.functions.Tool... tools) {
    return new BackgroundTools(this, List.of(tools));
  }

  /**
   * The model, with its {@code models/} prefix.
   *
   * @return the model's name, starting {@code models/}
   */
  public String model() {
    return settings.model;
  }

  /**
   * The profile the processor sends by.
   *
   * @return the profile given to the builder, else the one of the model's name
   */
  public ModelProfile profile() {
    return settings.profile();
  }

  @Override
  public String toString() {
    return "GeminiLiveProcessor{model="
        + settings.model
        + ", profile="
        + settings.profile()
        + ", uri="
        + Wire.safe(settings.uri)
        + ", apiKey=***}";
  }

  /** Response modalities; a session answers in one. */
  public enum Modality {
    /** Answers in text parts. */
    TEXT,
    /** Answers in audio parts (PCM, 24 kHz) with, optionally, their transcription. */
    AUDIO
  }

  /** {@code generationConfig.mediaResolution}: how finely images and video frames are read. */
  public enum MediaResolution {
    /** {@code MEDIA_RESOLUTION_LOW}: fewest tokens per image. */
    LOW,
    /** {@code MEDIA_RESOLUTION_MEDIUM}. */
    MEDIUM,
    /** {@code MEDIA_RESOLUTION_HIGH}: most detail. */
    HIGH
  }

  /** {@code generationConfig.thinkingConfig.thinkingLevel}. */
  public enum ThinkingLevel {
    /** As little thinking as the model allows. */
    MINIMAL,
    /** Little thinking. */
    LOW,
    /** Some thinking. */
    MEDIUM,
    /** Thorough thinking. */
    HIGH
  }

  /** What user activity does to the model's answer. */
  public enum ActivityHandling {
    /** The start of user activity interrupts the answer (barge-in); the server's default. */
    START_OF_ACTIVITY_INTERRUPTS,
    /** The answer goes on while the user speaks. */
    NO_INTERRUPTION
  }

  /** Which input is part of the user's turn. */
  public enum TurnCoverage {
    /** Only input during activity (the server's default). */
    TURN_INCLUDES_ONLY_ACTIVITY,
    /** All input since the last turn, silence included. */
    TURN_INCLUDES_ALL_INPUT,
    /** Audio during activity and all video. */
    TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO
  }

  /**
   * Configures a {@link GeminiLiveProcessor}: the {@code setup} message, the connection and the bounds.
   * Setters check their argument at once ({@code NullPointerException}, {@code IllegalArgumentException}
   * naming the parameter); {@link #build()} never connects.
   */
  public static final class Builder {
    private final GeminiLiveSettings s;

    private Builder(GeminiLiveSettings settings) {
      this.s = settings;
    }

    /**
     * The socket URI, scheme included ({@code ws://127.0.0.1:port/...} for the emulator); default {@link #DEFAULT_URI}.
     *
     * @param uri the {@code ws://} or {@code wss://} URI of the Live endpoint
     * @return this builder
     * @throws IllegalArgumentException when the scheme is not {@code ws} or {@code wss}
     */
    public Builder uri(URI uri) {
      s.uri(uri);
      return this;
    }

    /**
     * The API key, sent as header {@code x-goog-api-key}; default from {@code GOOGLE_API_KEY} or
     * {@code GEMINI_API_KEY}. An ephemeral token ({@code auth_tokens/...}) is sent as
     * {@code Authorization: Token ...} to the {@code BidiGenerateContentConstrained} method instead, as the
     * official SDKs do (tokens are issued for {@link ApiVersion#V1ALPHA}).
     *
     * @param apiKey the key or ephemeral token; not blank; never logged or shown
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder apiKey(String apiKey) {
      s.apiKey(apiKey);
      return this;
    }

    /**
     * The model, {@code models/} prefix optional (required).
     *
     * @param model the model's name, such as {@code gemini-live-2.5-flash-preview}; not blank
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder model(String model) {
      s.model(model);
      return this;
    }

    /**
     * The profile to send by; default {@link ModelProfile#forModel} of the model.
     *
     * @param profile the profile whose message forms are sent
     * @return this builder
     */
    public Builder profile(ModelProfile profile) {
      s.profile(profile);
      return this;
    }

    /**
     * {@code generationConfig.responseModalities}; default omitted (the server answers in audio).
     *
     * @param modalities the modalities, in the order sent; a session answers in one
     * @return this builder
     */
    public Builder responseModalities(Modality... modalities) {
      s.responseModalities(List.of(modalities));
      return this;
    }

    /**
     * The prebuilt voice ({@code Kore}, {@code Puck}, ...); default the server's.
     *
     * @param voiceName the voice's name, as the API spells it
     * @return this builder
     */
    public Builder voice(String voiceName) {
      s.voice(voiceName);
      return this;
    }

    /**
     * The speech language code ({@code en-US}); default the server's.
     *
     * @param languageCode a BCP-47 language code
     * @return this builder
     */
    public Builder languageCode(String languageCode) {
      s.languageCode(languageCode);
      return this;
    }

    /**
     * The system instruction (text); default none.
     *
     * @param instruction the text of the system instruction
     * @return this builder
     */
    public Builder systemInstruction(String instruction) {
      s.systemInstruction(instruction);
      return this;
    }

    /**
     * Tools the model may call, as BLOCKING functions: the model waits for the response, and the API ignores
     * scheduling and {@code willContinue} on it; a response carrying them (as background runners such as
     * bidirectional {@code FunctionCalling} send) fails the session with {@link UnsupportedPartException}.
     * For tools run in the background use {@link GeminiLiveProcessor#withBackgroundTools}.
     *
     * @param tools the tools to declare, in order
     * @return this builder
     */
    public Builder tools(dev.genaiprocessors.core.functions.Tool... tools) {
      for (dev.genaiprocessors.core.functions.Tool tool : tools) {
        s.declaration(tool.declaration(), false);
      }
      return this;
    }

    /**
     * Tools the model may call as NON_BLOCKING functions (it goes on talking; responses carry scheduling).
     *
     * @param tools the tools to declare, in order
     * @return this builder
     */
    public Builder nonBlockingTools(dev.genaiprocessors.core.functions.Tool... tools) {
      for (dev.genaiprocessors.core.functions.Tool tool : tools) {
        s.declaration(tool.declaration(), true);
      }
      return this;
    }

    /**
     * A raw function declaration ({@code name}, {@code description}, {@code parameters} JSON schema).
     *
     * @param declaration the declaration as the API takes it
     * @param nonBlocking true to declare it NON_BLOCKING, false for BLOCKING
     * @return this builder
     */
    public Builder functionDeclaration(ObjectNode declaration, boolean nonBlocking) {
      s.declaration(declaration, nonBlocking);
      return this;
    }

    /**
     * Earlier turns to start the session with (text or inline data, role {@code user} or {@code model}), sent
     * once as one {@code clientContent} with {@code turnComplete: false} right after the first
     * {@code setupComplete} (not again on resumption); for {@link ModelProfile#GEMINI_3_1} the setup then
     * carries {@code historyConfig.initialHistoryInClientContent: true}, the only way that generation takes
     * history. Default none.
     *
     * @param parts the earlier turns, oldest first
     * @return this builder
     */
    public Builder initialHistory(Part... parts) {
      s.initialHistory(List.of(parts));
      return this;
    }

    /**
     * Server-side activity detection, or {@link ActivityDetection#manual()}; default the server's.
     *
     * @param detection the detection settings
     * @return this builder
     */
    public Builder activityDetection(ActivityDetection detection) {
      s.activityDetection(detection);
      return this;
    }

    /**
     * What user activity does to an answer; default the server's ({@code START_OF_ACTIVITY_INTERRUPTS}).
     *
     * @param handling what user activity does to an answer under way
     * @return this builder
     */
    public Builder activityHandling(ActivityHandling handling) {
      s.activityHandling(handling);
      return this;
    }

    /**
     * Which input forms the user's turn; default the server's.
     *
     * @param coverage which input makes up the user's turn
     * @return this builder
     */
    public Builder turnCoverage(TurnCoverage coverage) {
      s.turnCoverage(coverage);
      return this;
    }

    /**
     * Transcription of the user's audio on the {@code input_transcription} substream; default off.
     *
     * @param on true to ask for transcriptions of the user's audio
     * @return this builder
     */
    public Builder inputTranscription(boolean on) {
      s.inputTranscription = on;
      return this;
    }

    /**
     * Transcription of the model's audio on the {@code output_transcription} substream; default off.
     *
     * @param on true to ask for transcriptions of the model's audio
     * @return this builder
     */
    public Builder outputTranscription(boolean on) {
      s.outputTranscription = on;
      return this;
    }

    /**
     * Sliding-window context compression, which makes sessions unbounded in length.
     *
     * @param triggerTokens context size that triggers compression, or 0 for the server's default (80 % of the limit)
     * @param targetTokens size to compress to, or 0 for the server's default (half the trigger)
     * @return this builder
     * @throws IllegalArgumentException when either count is negative
     */
    public Builder contextWindowCompression(long triggerTokens, long targetTokens) {
      s.compression(triggerTokens, targetTokens);
      return this;
    }

    /**
     * Session resumption (reconnect on {@code goAway} and drops); default on.
     *
     * @param on true to ask the server for resumption handles and reconnect with them, false to ask for none
     * @return this builder
     */
    public Builder sessionResumption(boolean on) {
      s.sessionResumption = on;
      return this;
    }

    /**
     * Resume an earlier session from a handle ({@link GeminiLiveParts#resumptionHandle}); turns resumption on.
     *
     * @param handle a handle from an earlier session's resumption update; not blank
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder resumeFrom(String handle) {
      s.resumeFrom(handle);
      return this;
    }

    /**
     * The scheduler of the session's events, timers, pings and reconnect backoff; default {@code Schedulers.parallel()}.
     *
     * @param scheduler the session's scheduler (a virtual-time one in tests)
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      s.scheduler(scheduler);
      return this;
    }

    /**
     * Bound of the outgoing message queue; default 256.
     *
     * @param capacity the most messages waiting to be sent; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder sendQueueCapacity(int capacity) {
      s.sendQueueCapacity = GeminiLiveSettings.positive(capacity, "sendQueueCapacity");
      return this;
    }

    /**
     * Bound of the incoming part buffer, waiting for the subscriber; default 256.
     *
     * @param capacity the most received parts waiting for the subscriber's demand; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder receiveBufferCapacity(int capacity) {
      s.receiveBufferCapacity = GeminiLiveSettings.positive(capacity, "receiveBufferCapacity");
      return this;
    }

    /**
     * Reconnect attempts without progress (see the class Javadoc) before giving up, and the first backoff
     * (doubling, jittered, at most 10 s or the first backoff if longer); default 5, 200 ms.
     *
     * @param maxAttempts reconnect attempts in a row that may fail before the session fails; 0 for none
     * @param firstBackoff the wait before the first reconnect attempt; not negative
     * @return this builder
     * @throws IllegalArgumentException when either is negative
     */
    public Builder reconnect(int maxAttempts, Duration firstBackoff) {
      s.reconnect(maxAttempts, firstBackoff);
      return this;
    }

    /**
     * How long to wait for {@code setupComplete}; default 30 s.
     *
     * @param timeout the longest wait for {@code setupComplete} after the socket opens; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder setupTimeout(Duration timeout) {
      s.setupTimeout = GeminiLiveSettings.positive(timeout, "setupTimeout");
      return this;
    }

    /**
     * {@code generationConfig.temperature}, in [0, 2]; default the server's.
     *
     * @param temperature the sampling temperature, in [0, 2]
     * @return this builder
     * @throws IllegalArgumentException when outside [0, 2]
     */
    public Builder temperature(double temperature) {
      s.temperature = GeminiLiveSettings.range(temperature, 0, 2, "temperature");
      return this;
    }

    /**
     * {@code generationConfig.topP}, in [0, 1]; default the server's.
     *
     * @param topP the nucleus sampling mass, in [0, 1]
     * @return this builder
     * @throws IllegalArgumentException when outside [0, 1]
     */
    public Builder topP(double topP) {
      s.topP = GeminiLiveSettings.range(topP, 0, 1, "topP");
      return this;
    }

    /**
     * {@code generationConfig.topK}, positive; default the server's.
     *
     * @param topK how many of the most likely tokens to sample from; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder topK(int topK) {
      s.topK = GeminiLiveSettings.positive(topK, "topK");
      return this;
    }

    /**
     * {@code generationConfig.maxOutputTokens} per turn, positive; default the server's.
     *
     * @param tokens the most tokens of one answer; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxOutputTokens(int tokens) {
      s.maxOutputTokens = GeminiLiveSettings.positive(tokens, "maxOutputTokens");
      return this;
    }

    /**
     * {@code generationConfig.seed}, for more repeatable answers; default none.
     *
     * @param seed the seed; any value
     * @return this builder
     */
    public Builder seed(int seed) {
      s.seed = seed;
      return this;
    }

    /**
     * {@code generationConfig.mediaResolution}; default the server's.
     *
     * @param resolution how finely images and video frames are read
     * @return this builder
     */
    public Builder mediaResolution(MediaResolution resolution) {
      s.mediaResolution = java.util.Objects.requireNonNull(resolution, "resolution");
      return this;
    }

    /**
     * {@code generationConfig.thinkingConfig.thinkingBudget}: tokens the model may think with ({@code 0} turns
     * thinking off, {@code -1} lets the model decide); default the server's.
     *
     * @param tokens the thinking budget in tokens: -1 (the model decides), 0 (off) or a positive count
     * @return this builder
     * @throws IllegalArgumentException when less than -1
     */
    public Builder thinkingBudget(int tokens) {
      if (tokens < -1) {
        throw new IllegalArgumentException("thinkingBudget must be -1 or more, was " + tokens);
      }
      s.thinkingBudget = tokens;
      return this;
    }

    /**
     * {@code generationConfig.thinkingConfig.thinkingLevel} (newer models); default the server's.
     *
     * @param level how much the model thinks
     * @return this builder
     */
    public Builder thinkingLevel(ThinkingLevel level) {
      s.thinkingLevel = java.util.Objects.requireNonNull(level, "level");
      return this;
    }

    /**
     * {@code generationConfig.thinkingConfig.includeThoughts}: thought summaries arrive as text parts with
     * metadata {@link GeminiLiveParts#THOUGHT}; default off.
     *
     * @param on true to receive thought summaries
     * @return this builder
     */
    public Builder includeThoughts(boolean on) {
      s.includeThoughts = on;
      return this;
    }

    /**
     * {@code generationConfig.enableAffectiveDialog}: the native-audio model adapts its tone to the user's;
     * default off. Models of the 3.1 generation never answer such a setup, so {@link #build()} refuses it
     * for {@link ModelProfile#GEMINI_3_1}.
     *
     * @param on true to ask for affective dialog
     * @return this builder
     */
    public Builder enableAffectiveDialog(boolean on) {
      s.affectiveDialog = on;
      return this;
    }

    /**
     * {@code setup.proactivity.proactiveAudio}: the native-audio model may stay silent when input is not
     * meant for it; default off. Refused by {@link #build()} for {@link ModelProfile#GEMINI_3_1}, as above.
     *
     * @param on true to let the model stay silent when the input is not meant for it
     * @return this builder
     */
    public Builder proactiveAudio(boolean on) {
      s.proactiveAudio = on;
      return this;
    }

    /**
     * Adds {@code setup.safetySettings[]} entries, in order; default none (the server's).
     *
     * @param settings the settings to add, in order; none of them null
     * @return this builder
     */
    public Builder safetySettings(SafetySetting... settings) {
      for (SafetySetting setting : settings) {
        s.safetySettings.add(java.util.Objects.requireNonNull(setting, "setting"));
      }
      return this;
    }

    /**
     * Server-side tools ({@code googleSearch}, {@code codeExecution}, {@code urlContext}), next to the functions.
     *
     * @param tools the built-in tools to add; none of them null
     * @return this builder
     */
    public Builder builtInTools(BuiltInTool... tools) {
      for (BuiltInTool tool : tools) {
        s.builtInTools.add(java.util.Objects.requireNonNull(tool, "tool"));
      }
      return this;
    }

    /**
     * The API version of the endpoint: replaces the version segment of a Gemini Live {@link #uri} path
     * ({@code ...generativelanguage.<version>.GenerativeService...}); default the URI's ({@code v1beta} for
     * {@link #DEFAULT_URI}). Other paths are left alone.
     *
     * @param version the API version to put in the URI's path
     * @return this builder
     */
    public Builder apiVersion(ApiVersion version) {
      s.apiVersion = java.util.Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Retries of the first connection when its socket cannot open (refused, reset, closed before the upgrade
     * is answered, HTTP 408, 429 or 5xx; not an HTTP answer such as 404): up to {@code attempts} more tries, waiting {@code baseDelay} doubling (jittered)
     * up to {@code maxDelay} on the {@link #scheduler}; default 3, 500 ms, 5 s; 0 fails at once. Later
     * drops are {@link #reconnect reconnected} instead.
     *
     * @param attempts how many more tries after the first; 0 for none
     * @param baseDelay the wait before the first retry; not negative
     * @param maxDelay the longest wait; not less than {@code baseDelay}
     * @return this builder
     * @throws IllegalArgumentException when {@code attempts} or {@code baseDelay} is negative, or
     *     {@code maxDelay} is less than {@code baseDelay}
     */
    public Builder connectRetry(int attempts, Duration baseDelay, Duration maxDelay) {
      s.connectRetry(attempts, baseDelay, maxDelay);
      return this;
    }

    /**
     * How long the session waits for the server after the input has completed, counted from the server's
     * last message: until then every turn sent is let finish (its answer arrives in full); when the server
     * has been silent this long with an answer still missing, the socket is closed with 1000 and the
     * output completes. Default 10 s.
     *
     * @param timeout how long the server may stay silent after the input completed; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder drainTimeout(Duration timeout) {
      s.drainTimeout = GeminiLiveSettings.positive(timeout, "drainTimeout");
      return this;
    }

    /**
     * Interval of keep-alive pings, {@link Duration#ZERO} for none; a server silent for 2 intervals in a row,
     * pongs included, is taken for dead (see the class Javadoc); default 30 s.
     *
     * @param interval the time between pings; {@link Duration#ZERO} for no pings
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder keepAlive(Duration interval) {
      s.keepAlive(interval);
      return this;
    }

    /**
     * The turn-based model that answers {@link OutOfBandRequest out-of-band requests}, beside the session:
     * Gemini Live has no out-of-band response, so a request becomes a call of this model (a
     * {@code GeminiModel} in practice) with the request's instructions (a {@code system} text part) and its
     * input parts, or, without input, the client-side log of the conversation so far (the user's text and
     * final input transcriptions, the model's text or else its final output transcription, per turn: the
     * last 64 messages and 16,000 characters at most). The model's parts join the output, each
     * {@linkplain OutOfBandRequest#mark marked} with the request, then a generation-complete and an
     * end-of-turn part, marked too; nothing reaches the live session. A failed call ends its answer with
     * {@link OutOfBandRequest#ERROR} on the generation-complete part, and the conversation goes on. At most
     * 4 calls run at once and 256 requests wait; one more fails the output. Without this model an
     * out-of-band request fails the output with an {@link UnsupportedPartException} naming this option; a
     * request with item references always does (Gemini Live has no conversation items). Default none.
     *
     * @param turnBasedModel the model of the side calls; each call applies it to a new prompt
     * @return this builder
     */
    public Builder outOfBandModel(Processor turnBasedModel) {
      s.outOfBandModel = java.util.Objects.requireNonNull(turnBasedModel, "turnBasedModel");
      return this;
    }

    /**
     * What the user heard, reported by the player: every audio part carries {@link LiveParts#ANSWER_ID}
     * ({@code turn-N}), and an {@code interrupted} part that cuts an answer carries the milliseconds of it
     * the user heard ({@link LiveParts#HEARD_MS}). Gemini Live has no truncation: the server's context keeps
     * what it sent, heard or not, so the milliseconds are for the pipeline only. Default none (no
     * {@code heard_ms}).
     *
     * @param heard the tracker the rate limiter that plays this processor's audio reports to
     * @return this builder
     */
    public Builder playback(HeardAudio heard) {
      s.playback = java.util.Objects.requireNonNull(heard, "heard");
      return this;
    }

    /**
     * Largest frame accepted, in bytes (a larger one is a {@link ModelProtocolException}, 1009); default 16 MiB.
     *
     * @param bytes the largest frame accepted, in bytes; positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxFrameBytes(int bytes) {
      s.maxFrameBytes = GeminiLiveSettings.positive(bytes, "maxFrameBytes");
      return this;
    }

    /**
     * The processor.
     *
     * @return a new processor with this builder's settings; connects nothing until subscribed
     * @throws IllegalStateException when no model is set, or no key is set or found in the environment
     */
    public GeminiLiveProcessor build() {
      return new GeminiLiveProcessor(s.validated(System::getenv));
    }

    GeminiLiveProcessor build(Function<String, @Nullable String> environment) {
      return new GeminiLiveProcessor(s.validated(environment));
    }
  }
}
