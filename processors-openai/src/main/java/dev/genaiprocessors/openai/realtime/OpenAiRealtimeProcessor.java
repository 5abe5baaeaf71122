package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.audio.Resample;
import dev.genaiprocessors.client.internal.ApiKey;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.live.metrics.MediaDrops;
import java.net.URI;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * OpenAI Realtime (GA) as a {@link LiveProcessor}: one conversation per subscription over a Reactor Netty
 * WebSocket to {@code wss://api.openai.com/v1/realtime?model=...}, with {@code Authorization: Bearer}.
 *
 * <pre>{@code
 * HeardAudio heard = new HeardAudio(); // the player's clock: Schedulers.parallel(), the limiter's default
 * OpenAiRealtimeProcessor model = OpenAiRealtimeProcessor.builder()
 *     .model("gpt-realtime").instructions("You are terse.").voice("marin")
 *     .inputTranscription("gpt-4o-mini-transcribe", "en", null)
 *     .playback(heard)
 *     .build();
 * Flux<Part> out = microphone
 *     .transform(model)
 *     .transform(AudioRateLimiter.builder().listener(heard).build());
 * }</pre>
 *
 * <p><b>Parts in and out</b> follow the {@link LiveProcessor} table (OpenAI Realtime column). Audio at any
 * rate is resampled to {@link #inputSampleRate()} with the audio module's resampler (and encoded as G.711 for
 * those formats); output audio is PCM at {@link #outputSampleRate()}, with {@link RealtimeParts#ITEM_ID},
 * {@link LiveParts#ANSWER_ID} (the same item id) and {@link RealtimeParts#RESPONSE_ID}. Output transcripts come as deltas, then the whole transcript as the final
 * part. Each {@code response.done} gives a generation-complete part with {@link RealtimeParts#RESPONSE_STATUS},
 * a {@link dev.genaiprocessors.live.LiveParts#usage usage} part and an end-of-turn part; {@code rate_limits.updated}
 * gives a {@link RealtimeParts#rateLimits rate-limits part}.
 *
 * <p><b>Responses.</b> Never two responses write to the default conversation: a {@code response.create} (for a
 * text part, after function results, after a manual end of turn) waits until the response in flight is done,
 * and requests made meanwhile become one response. After function calls, the next response is created only
 * once every call of that response has its result. Should the server still refuse with
 * {@code conversation_already_has_active_response} (server VAD started its own response at the same moment),
 * the request is retried after that response. Out-of-band responses run beside it: an {@link OutOfBandRequest} part becomes a {@code response.create} with
 * {@code conversation: "none"}, its instructions, its input (item references first, as {@code item_reference}
 * items, then its text and image parts as user messages; none for the whole conversation),
 * {@code output_modalities: ["text"]} when text only, and its metadata plus {@code out_of_band_id}
 * (the request's id, which the server echoes on {@code response.created}), sent with {@code event_id}
 * {@code out_of_band_<request id>}; every part of the answer is {@linkplain OutOfBandRequest#mark marked} with
 * the request, its end of turn included.
 *
 * <p><b>Out-of-band failures.</b> As the {@link LiveProcessor} contract says, an out-of-band answer that fails
 * ends with a marked generation-complete part carrying {@link OutOfBandRequest#ERROR} (what went wrong: the
 * status or the refusal, and the server's error type, code and redacted message), then a marked end of turn;
 * the conversation goes on. That is: a {@code response.done} with status {@code failed} (its
 * {@code status_details.error}), or an {@code error} event whose {@code event_id} names the request's
 * {@code response.create} (the server refused it, so no response comes). An answer that ends
 * {@code incomplete} ({@code max_output_tokens}, {@code content_filter}) or {@code cancelled} is not a failure:
 * what came is the answer, and {@link RealtimeParts#RESPONSE_STATUS} and
 * {@link RealtimeParts#RESPONSE_STATUS_REASON} say why it stopped; no {@code ERROR} is set. A response of the
 * default conversation that fails gives its generation-complete part with status {@code failed} only.
 *
 * <p><b>Barge-in.</b> When the server hears the user start speaking during an answer (server or semantic VAD
 * with {@code interrupt_response}, the default), or the input carries {@code Part.interrupted()} (which sends
 * {@code response.cancel}), the output gets {@code Part.interrupted()}, later audio of that answer is dropped,
 * and, when a {@link HeardAudio} is connected with {@link OpenAiRealtimeBuilder#playback}, the interrupted part
 * carries the milliseconds the user heard ({@link LiveParts#HEARD_MS}, at most what arrived) and the answer's
 * item is truncated ({@code conversation.item.truncate}) to exactly them, so the model's memory matches what
 * was played. Without one the item is not truncated. A response the server cancels by itself (a
 * {@code response.done} with status {@code cancelled} and no barge-in seen) is handled the same way.
 *
 * <p><b>Session limit.</b> The server ends a session after 60 minutes ({@code error session_expired}, then
 * close 1001). The output gets a {@code LiveParts.sessionEvent(EXPIRED)} part; then, with
 * {@link OpenAiRealtimeBuilder#continueOnExpiry}, a new session is opened with the same settings, seeded with the transcript
 * so far as text items (the last {@code historyItems} messages: user text and final input transcriptions,
 * the model's final transcripts and text; no audio, no function calls), and a {@code CONTINUED} session-event
 * part follows. Audio queued meanwhile is sent to the new session. An answer of the conversation in flight at
 * the expiry (created, its {@code response.done} not come, some of it perhaps out already) is cut: before the
 * {@code CONTINUED} part the output gets {@code Part.interrupted()} (unless a barge-in already interrupted it)
 * and a model end of turn, both with {@link RealtimeParts#INTERRUPTION_REASON}
 * {@value RealtimeParts#EXPIRED_AND_CONTINUED}, as Gemini Live ends a turn cut by a lost connection; the new
 * session does not answer it again. OpenAI Realtime has no tool-call cancellation: a function call that answer
 * made stays the application's; a result given for it later goes to the new session, which knows no such
 * call. A response of the conversation asked for and not created at the expiry
 * (its {@code response.create} sent or queued, its {@code response.created} not come) is not lost: the new
 * session is asked for it ({@code response.create}) after the settings and the history, so the user's last
 * turn is answered there, once, after the {@code CONTINUED} part. That answer knows the turn only from the
 * history: a text turn is in it (when {@code historyItems} is not 0); a spoken turn only when its input
 * transcription ({@link OpenAiRealtimeBuilder#inputTranscription}) completed before the expiry, else the new
 * session answers from the history without it.
 * An out-of-band request in flight at the expiry (sent or queued, its answer not ended) ends with a marked
 * generation-complete part carrying {@link OutOfBandRequest#ERROR} (the session expired before it was
 * answered) and a marked end of turn, before the {@code CONTINUED} part; it is not sent again, since its item
 * references name items of the old session: send it again for an answer. Without continuation the output ends with a {@link dev.genaiprocessors.core.error.ModelConnectionException}.
 *
 * <p><b>Errors.</b> Server {@code error} events map as {@link RealtimeErrors} documents: {@code invalid_api_key}
 * to authentication, rate limits to rate limit, {@code server_error} to server, other
 * {@code invalid_request_error}s to request; the output ends with that {@link ModelException} after the parts
 * before it, except for an error about an out-of-band request's {@code response.create}, which ends only that
 * answer (above). A close the processor did not ask for ends it too (1011 server, 4000 and 3000 request, else
 * connection); a refused upgrade by its HTTP status; a frame over {@link OpenAiRealtimeBuilder#maxFrameBytes} a
 * {@link dev.genaiprocessors.core.error.ModelProtocolException} naming the limit, never retried. A part the
 * provider cannot take fails the output with an {@link IllegalArgumentException}. The key is sent in the
 * header only and never appears in a message, a log line or {@link #toString()}.
 *
 * <p><b>Bounds and threads.</b> The send queue holds {@link OpenAiRealtimeBuilder#sendQueueCapacity} events (audio dropped
 * oldest first when full; other events never dropped, the input is not read while they fill it). Inbound frames
 * are read only as the output is requested. Keep-alive pings go every {@link OpenAiRealtimeBuilder#keepAlive} period; two
 * periods with nothing from the server end the session with a connection error. Timers run on the
 * {@link OpenAiRealtimeBuilder#scheduler}. When the input completes, the processor waits for the responses in flight
 * (out-of-band ones included, from their {@code response.create} to their {@code response.done}) and the answers
 * to open function calls (at most {@link OpenAiRealtimeBuilder#drainTimeout}), then closes and completes; an
 * out-of-band answer the timeout cuts off ends with a marked generation-complete part carrying
 * {@link OutOfBandRequest#ERROR} (not answered before the session ended) and a marked end of turn. So every
 * out-of-band request gets its end while the output goes on, except when the output fails or is cancelled.
 * Cancelling the output closes the connection.
 */
public final class OpenAiRealtimeProcessor implements LiveProcessor {

  /** The GA endpoint, without the model. */
  public static final URI DEFAULT_URI = URI.create("wss://api.openai.com/v1/realtime");

  /** The environment variable the key is read from when the builder sets none. */
  public static final String API_KEY_VARIABLE = "OPENAI_API_KEY";

  final RealtimeSettings settings;

  OpenAiRealtimeProcessor(RealtimeSettings settings) {
    this.settings = settings;
  }

  /**
   * A builder with the defaults: {@link #DEFAULT_URI}, model {@code gpt-realtime}, key from
   * {@value #API_KEY_VARIABLE}, PCM 24 kHz in and out, the server's defaults for every other session field,
   * send queue 256, keep-alive 30 s, frames up to 16 MiB, drain timeout 10 s, no continuation,
   * {@code Schedulers.parallel()}.
   *
   * @return a new builder
   */
  public static OpenAiRealtimeBuilder builder() {
    return new OpenAiRealtimeBuilder(new RealtimeSettings());
  }

  /**
   * A builder holding this processor's configuration, to derive a variant.
   *
   * @return a new builder
   */
  public OpenAiRealtimeBuilder toBuilder() {
    return new OpenAiRealtimeBuilder(settings.copy());
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code openai}
   */
  @Override
  public String provider() {
    return "openai";
  }

  /**
   * {@inheritDoc}
   *
   * @return 24000 for PCM, 8000 for the G.711 input formats
   */
  @Override
  public int inputSampleRate() {
    return settings.inputFormat.sampleRate();
  }

  /**
   * {@inheritDoc}
   *
   * @return 24000 for PCM, 8000 for the G.711 output formats
   */
  @Override
  public int outputSampleRate() {
    return settings.outputFormat.sampleRate();
  }

  /**
   * The model asked for in the URI.
   *
   * @return the model name
   */
  public String model() {
    return settings.model;
  }

  /**
   * Holds one conversation for the subscription, as the class comment says.
   *
   * @param input the user's parts
   * @return the model's parts; fails with a {@link ModelException} (an authentication error when no key is
   *     set), or an {@link IllegalArgumentException} for a part the provider cannot take
   */
  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.deferContextual(
        context -> {
          ApiKey key =
              settings.apiKey != null
                  ? settings.apiKey
                  : ApiKey.fromEnvironment(System::getenv, List.of(API_KEY_VARIABLE));
          if (key == null) {
            return Flux.error(
                ModelException.builder(
                        ModelException.Kind.AUTHENTICATION,
                        RealtimeSettings.PROVIDER,
                        "no OpenAI API key: set " + API_KEY_VARIABLE + " or the builder's apiKey")
                    .build());
          }
          Flux<Part> atRate = input.transform(Resample.to(inputSampleRate()));
          RealtimeSession session = new RealtimeSession(settings, key.redactor(), atRate);
          session.reportDropsTo(MediaDrops.in(context));
          return session.run(new RealtimeLink(settings, key.value(), key.redactor()));
        });
  }

  @Override
  public String toString() {
    return "OpenAiRealtimeProcessor{model="
        + settings.model
        + ", uri="
        + ApiKey.redact(settings.apiKey, settings.uri.toString())
        + ", apiKey=***}";
  }
}
