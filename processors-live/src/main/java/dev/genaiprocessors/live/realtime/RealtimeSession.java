package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.live.metrics.RealTimeMetrics;
import dev.genaiprocessors.live.metrics.RealTimeReport;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * A connected real-time conversation, from {@link RealtimeVoice#connect()}: send audio and text in; what
 * the model says comes to the {@link RealtimeVoice}'s callbacks.
 *
 * <pre>{@code
 * try (RealtimeSession session = voice.connect()) {
 *   session.sendText("What is 12 times 7?");
 *   ...                                   // answers arrive on the callbacks
 * }
 * }</pre>
 *
 * <p><b>Audio</b> is 16-bit little-endian mono PCM at the config's
 * {@link RealtimeConfig#inputSampleRate() input rate}. Small pieces are gathered into chunks of 100 to
 * 200 ms before they go out; up to 100 ms stay held until more audio comes or the next
 * {@link #commit()}, {@link #sendText}, {@link #interrupt()} or {@link #close()}.
 *
 * <p><b>Buffering.</b> What is sent waits in a queue of at most {@value #MAX_QUEUED_PARTS} parts for the
 * provider to take it. When it is full, audio is dropped (counted and logged: the provider has fallen
 * behind, and live audio is worth nothing late); text, commits and interruptions are never dropped: their
 * method throws an {@link IllegalStateException} instead.
 *
 * <p><b>Threads.</b> Every method may be called from any thread, including the callbacks'; none blocks.
 * Calls after {@link #close()} (or after the provider ended the session) are ignored.
 */
public final class RealtimeSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RealtimeSession.class);

  /** The most parts waiting for the provider. */
  static final int MAX_QUEUED_PARTS = 512;

  private final String provider;
  private final int inputRate;
  private final boolean manual;
  private final Sinks.Many<Part> input =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<Part>get(MAX_QUEUED_PARTS).get());
  private final AudioChunker chunker;
  private final Object lock = new Object();
  private volatile Disposable.Swap events = reactor.core.Disposables.swap();
  private boolean speechOpen;
  private boolean closed;
  private long droppedAudio;
  private final RealTimeMetrics metrics;

  RealtimeSession(String provider, int inputRate, boolean manual, RealTimeMetrics metrics) {
    this.provider = provider;
    this.inputRate = inputRate;
    this.manual = manual;
    this.metrics = metrics;
    this.chunker = new AudioChunker(inputRate);
  }

  /** The parts for the provider. */
  reactor.core.publisher.Flux<Part> input() {
    return input.asFlux();
  }

  /** The subscription to the events, disposed by {@link #close()}. */
  void events(Disposable subscription) {
    events.update(subscription);
  }

  /**
   * The provider this session talks to.
   *
   * @return {@code gemini}, {@code openai}, {@code local}, ...
   */
  public String provider() {
    return provider;
  }

  /**
   * Sends the user's audio. With {@link RealtimeConfig.VadMode#MANUAL manual} detection the first audio
   * after a commit starts the user's turn.
   *
   * @param pcm16le 16-bit little-endian mono PCM at the config's input rate
   * @throws IllegalArgumentException when the length is odd
   */
  public void sendAudio(byte[] pcm16le) {
    Objects.requireNonNull(pcm16le, "pcm16le");
    synchronized (lock) {
      if (closed) {
        return;
      }
      List<byte[]> chunks = chunker.add(pcm16le);
      if (manual && !speechOpen && !chunks.isEmpty()) {
        speechOpen = true;
        emit(Part.startOfSpeech(), false);
      }
      for (byte[] chunk : chunks) {
        emitAudio(chunk);
      }
    }
  }

  /**
   * Sends a user message; the model answers it.
   *
   * @param text the message
   * @throws IllegalStateException when the send queue is full
   */
  public void sendText(String text) {
    Objects.requireNonNull(text, "text");
    synchronized (lock) {
      if (closed) {
        return;
      }
      flushAudio();
      emit(Part.text(text).withRole("user").withMetadata(PartMetadata.TURN_COMPLETE, true), true);
    }
  }

  /**
   * Ends the user's turn: the model answers what was said. Needed with manual detection; with the
   * provider's detection it answers at once instead of waiting for silence.
   *
   * @throws IllegalStateException when the send queue is full
   */
  public void commit() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      flushAudio();
      if (manual && speechOpen) {
        speechOpen = false;
        emit(Part.endOfSpeech(), true);
      } else {
        emit(Part.endOfTurn(), true);
      }
    }
  }

  /**
   * Asks the provider to stop the answer under way (OpenAI cancels the response; the local provider
   * cuts it as if the user spoke; Gemini Live decides barge-in itself and ignores it). When it stops,
   * {@code onInterrupted} is called.
   *
   * @throws IllegalStateException when the send queue is full
   */
  public void interrupt() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      flushAudio();
      emit(Part.interrupted().withRole("user"), true);
    }
  }

  /**
   * What {@link RealtimeVoice.Builder#metrics} measured in this session so far, in the pattern's sections
   * with a verdict; a report with no stage when the voice has no registry. Still readable after
   * {@link #close()}.
   *
   * @return a snapshot
   */
  public RealTimeReport report() {
    return metrics.report();
  }

  /**
   * Ends the conversation now: the audio held is sent, the input ends, and the connection is closed at
   * once; what the model is still saying is dropped (wait for the final transcript or the final audio
   * chunk of its turn before closing to hear it all). The session's meters leave the registry
   * ({@link #report()} still reads them). Idempotent; never blocks.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      flushAudio();
      closed = true;
      input.tryEmitComplete();
    }
    events.dispose();
    metrics.close();
  }

  /** Marks the session over (the provider ended it); later sends are ignored. */
  void ended() {
    synchronized (lock) {
      closed = true;
    }
  }

  private void flushAudio() {
    byte[] rest = chunker.flush();
    if (rest.length > 0) {
      emitAudio(rest);
    }
  }

  private void emitAudio(byte[] chunk) {
    emit(Part.audio(chunk, inputRate).withRole("user"), false);
  }

  private void emit(Part part, boolean mustSend) {
    Sinks.EmitResult result = input.tryEmitNext(part);
    if (result.isSuccess()) {
      return;
    }
    if (!mustSend) {
      droppedAudio++;
      if (droppedAudio == 1 || droppedAudio % 100 == 0) {
        LOG.warn(
            "{} session: the provider has fallen behind; {} audio chunks dropped so far ({})",
            provider,
            droppedAudio,
            result);
      }
      return;
    }
    throw new IllegalStateException(
        "the "
            + provider
            + " session cannot take more input ("
            + result
            + "): the provider has fallen behind, or the session ended");
  }
}
