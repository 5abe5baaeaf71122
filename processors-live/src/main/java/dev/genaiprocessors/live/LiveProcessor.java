package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Processor;

/**
 * A live provider: a {@link Processor} that holds one real-time conversation with a model, with the same
 * parts in and out whatever the provider. A pipeline built for one provider runs on another by changing
 * the line that builds it.
 *
 * <p><b>Parts in.</b>
 *
 * <table>
 *   <caption>Parts a live provider takes</caption>
 *   <tr><th>part</th><th>meaning</th><th>Gemini Live</th><th>OpenAI Realtime</th></tr>
 *   <tr><td>{@code Part.audio(pcm, rate)}, any rate</td><td>the user's audio; resampled to
 *       {@link #inputSampleRate()} first</td><td>{@code realtimeInput.audio}, 16 kHz</td>
 *       <td>{@code input_audio_buffer.append}, 24 kHz</td></tr>
 *   <tr><td>{@code Part.text(...)}, role {@code user}</td><td>a user message; a response follows</td>
 *       <td>{@code clientContent} turn (2.5) or {@code realtimeInput.text} (3.1)</td>
 *       <td>a user item, then {@code response.create}</td></tr>
 *   <tr><td>the same, with metadata {@code turn_complete=false}</td><td>context only: no response (a
 *       background agent's result, say)</td><td>{@code clientContent} with {@code turnComplete: false} (3.1:
 *       held until a text completes the turn)</td><td>a user item, no {@code response.create}</td></tr>
 *   <tr><td>{@code Part.image(...)}</td><td>an image the model sees</td><td>{@code realtimeInput.video}</td>
 *       <td>a user item with an image</td></tr>
 *   <tr><td>{@code Part.functionResult(...)} / {@code functionError(...)}</td><td>the answer to a function
 *       call, by its id</td><td>{@code toolResponse}</td><td>a {@code function_call_output} item; the
 *       response follows once every call of the response is answered</td></tr>
 *   <tr><td>{@code Part.startOfSpeech()} / {@code endOfSpeech()}</td><td>the user starts or stops
 *       speaking, with the provider's voice detection off (manual mode)</td><td>{@code activityStart} /
 *       {@code activityEnd}</td><td>{@code input_audio_buffer.clear} / {@code commit}</td></tr>
 *   <tr><td>{@code Part.endOfTurn()}</td><td>the user's turn is over: answer now</td><td>{@code turnComplete}
 *       (or {@code activityEnd} in manual mode)</td><td>{@code commit} then {@code response.create}
 *       (manual mode)</td></tr>
 *   <tr><td>{@code Part.audioStreamEnd()}</td><td>the microphone paused</td><td>{@code audioStreamEnd}</td>
 *       <td>no equivalent: ignored</td></tr>
 *   <tr><td>{@code Part.interrupted()}</td><td>stop the answer in flight (barge-in decided by the
 *       application)</td><td>no equivalent: the server detects barge-in itself; ignored</td>
 *       <td>{@code response.cancel}, then the item is truncated to what was heard</td></tr>
 *   <tr><td>{@link OutOfBandRequest#toPart()}</td><td>an answer beside the conversation, which adds nothing
 *       to it (instructions, metadata, its own input or the conversation so far)</td><td>no equivalent in
 *       the API: a call of the turn-based {@code outOfBandModel} beside the session, given the request's
 *       input or a bounded client-side log of the conversation's text; item references refused; without
 *       that model the output fails naming it</td><td>{@code response.create} with
 *       {@code conversation: "none"}; item references allowed</td></tr>
 * </table>
 *
 * <p><b>Parts out.</b>
 *
 * <table>
 *   <caption>Parts a live provider emits</caption>
 *   <tr><th>part</th><th>meaning</th><th>Gemini Live</th><th>OpenAI Realtime</th></tr>
 *   <tr><td>{@code Part.audio(pcm, }{@link #outputSampleRate()}{@code )}, role {@code model}</td><td>the
 *       model's speech, with {@link LiveParts#ANSWER_ID} (for a {@link HeardAudio})</td><td>{@code modelTurn}
 *       inline audio, 24 kHz; answer {@code turn-N}</td>
 *       <td>{@code response.output_audio.delta}, 24 kHz; answer = the item id</td></tr>
 *   <tr><td>{@code Part.text(...)}, role {@code model}</td><td>the model's text</td><td>{@code modelTurn}
 *       text</td><td>{@code response.output_text.delta}</td></tr>
 *   <tr><td>{@code Part.outputTranscription(text, final)}</td><td>what the model said, as text: deltas, then
 *       a final one</td><td>{@code outputTranscription}</td>
 *       <td>{@code response.output_audio_transcript.delta} / {@code .done}</td></tr>
 *   <tr><td>{@code Part.inputTranscription(text, final)}</td><td>what the user said, as text; may come
 *       after the answer started</td><td>{@code inputTranscription}</td>
 *       <td>{@code conversation.item.input_audio_transcription.delta} / {@code .completed}</td></tr>
 *   <tr><td>{@code Part.functionCall(id, name, args)}</td><td>the model calls a function; answer with a
 *       function result of the same id</td><td>{@code toolCall}</td>
 *       <td>{@code response.function_call_arguments.done}</td></tr>
 *   <tr><td>{@code Part.startOfSpeech()} / {@code endOfSpeech()}, role {@code user}</td><td>the provider
 *       heard the user start or stop speaking</td><td>{@code voiceActivity} (when enabled)</td>
 *       <td>{@code input_audio_buffer.speech_started} / {@code speech_stopped}</td></tr>
 *   <tr><td>{@code Part.interrupted()}</td><td>the answer in flight was cut (barge-in): flush what is queued
 *       for playback. With a {@link HeardAudio} ({@code playback(heard)} on the builder) it carries
 *       {@link LiveParts#HEARD_MS}, the milliseconds of the answer the user heard</td>
 *       <td>{@code serverContent.interrupted}; {@code heard_ms} for the pipeline only: Gemini has no
 *       truncation, its context keeps what the server sent, heard or not</td><td>{@code speech_started}
 *       during a response, or {@code response.done} with status {@code cancelled}; the item is truncated
 *       ({@code conversation.item.truncate}) to exactly {@code heard_ms}, so the model remembers what was
 *       played</td></tr>
 *   <tr><td>{@code Part.generationComplete()}</td><td>the model finished generating (playback may go
 *       on)</td><td>{@code generationComplete}</td><td>{@code response.done}</td></tr>
 *   <tr><td>{@code Part.endOfTurn()}</td><td>the model's turn is over</td><td>{@code turnComplete}</td>
 *       <td>{@code response.done}, after the generation-complete part</td></tr>
 *   <tr><td>{@link LiveParts#usage usage}</td><td>tokens used</td><td>{@code usageMetadata}</td>
 *       <td>{@code response.done} usage</td></tr>
 *   <tr><td>{@link LiveParts#sessionEvent session event} {@code started}</td><td>the session is set up and
 *       takes input</td><td>the first {@code setupComplete}</td><td>{@code session.updated} answering the
 *       first {@code session.update}</td></tr>
 *   <tr><td>{@link LiveParts#sessionEvent session event} {@code going_away}</td><td>the server will close
 *       the connection soon</td><td>{@code goAway}</td><td>no equivalent</td></tr>
 *   <tr><td>session event {@code resumed}</td><td>the conversation goes on over a new connection</td>
 *       <td>{@code setupComplete} on a new connection (goAway or a drop, with the resumption handle)</td><td>no equivalent (no resumption)</td></tr>
 *   <tr><td>parts marked {@link OutOfBandRequest#OUT_OF_BAND} and {@link OutOfBandRequest#REQUEST_METADATA}
 *       </td><td>the answer to an out-of-band request, ending with a marked generation-complete and end of
 *       turn; never mixed with the conversation's answer</td><td>the {@code outOfBandModel}'s parts; a failed
 *       call ends with {@link OutOfBandRequest#ERROR}, the conversation goes on</td><td>the
 *       {@code conversation: "none"} response's parts, found by the request id the metadata carries; a
 *       {@code failed} response, or an {@code error} refusing its {@code response.create}, ends with
 *       {@link OutOfBandRequest#ERROR}, the conversation goes on; so does one still in flight when the drain
 *       timeout ends the session or the session expires</td></tr>
 *   <tr><td>session event {@code expired} / {@code continued}</td><td>the session hit its time limit / a new
 *       session seeded with the conversation took over</td><td>no equivalent (Gemini rotates by
 *       {@code goAway})</td><td>{@code session_expired}; continuation when enabled, and then an answer in
 *       flight ends with {@code interrupted} and an end of turn (with {@link LiveParts#INTERRUPTION_REASON})
 *       before {@code continued}; a turn asked for and not yet answered is answered once in the new
 *       session</td></tr>
 * </table>
 *
 * <p>A provider's further parts (such as Gemini's grounding metadata or OpenAI's rate limits) carry its own
 * metadata keys, documented by the provider; a pipeline that ignores unknown parts runs on every provider.
 *
 * <p><b>Errors.</b> The output fails with a {@link dev.genaiprocessors.core.error.ModelException} whose
 * subtype says what to do (connection, authentication, rate limit, request, protocol, server), after the
 * parts received before it. A part a provider cannot take fails the output with an
 * {@link IllegalArgumentException} that names it.
 *
 * <p><b>Concurrency and cancellation.</b> Each subscription to {@link #apply} is one conversation with its
 * own connection; cancelling the output closes it. Input is read with backpressure; every buffer is
 * bounded, as each provider documents.
 */
public interface LiveProcessor extends Processor {

  /**
   * The provider's name, as {@code RealtimeVoice} and logs name it: {@code gemini}, {@code openai} or
   * {@code local}.
   *
   * @return the provider's name, lower case
   */
  String provider();

  /**
   * The sample rate the provider takes audio at; audio parts at other rates are resampled to it.
   *
   * @return samples per second
   */
  int inputSampleRate();

  /**
   * The sample rate of the audio parts the provider emits.
   *
   * @return samples per second
   */
  int outputSampleRate();
}
