package dev.genaiprocessors.offline.stt;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Resample;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.offline.OfflineMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;

/**
 * The state of one subscription of a {@link SpeechToText}: the utterance being fed, and the queue of
 * utterances for the recognizer.
 *
 * <p>Input parts and transcriptions meet in one merged stream, and every part is looked at as it leaves
 * it (in {@link #observe}; transcriptions are neither audio nor speech markers, so they just pass), so that an utterance's audio stream is ended only after its end-of-speech
 * part has been emitted: its final transcription can then only come after it. The merge serialises
 * {@link #observe}, so the feeding state needs no lock; {@link #cancelAll()} may come from any thread.
 */
final class TranscriptionSession {

  private static final Logger log = LoggerFactory.getLogger(SpeechToText.class);

  /** Marks the end of the input inside the merged stream; compared by identity, never emitted. */
  private static final Part INPUT_END = Part.text("");

  private final SpeechToText stt;
  private final int rate;
  private final byte[] padding;
  private final long maxPendingBytes;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final Sinks.Many<Utterance> utterances = Sinks.many().unicast().onBackpressureBuffer();
  private final Set<Utterance> live = ConcurrentHashMap.newKeySet();
  private @Nullable Utterance current;
  private int count;

  TranscriptionSession(SpeechToText stt) {
    this.stt = stt;
    this.rate = stt.recognizer.sampleRate();
    this.padding = new byte[(int) Pcm.bytes(stt.trailingSilence, rate)];
    this.maxPendingBytes = Pcm.bytes(stt.maxPendingAudio, rate);
  }

  Flux<Part> run(Flux<Part> input) {
    Flux<Part> transcripts = utterances.asFlux().concatMap(this::decode);
    return Flux.merge(input.concatWith(Mono.just(INPUT_END)), transcripts)
        .handle(this::observe)
        .doFinally(signal -> cancelAll());
  }

  private void observe(Part part, SynchronousSink<Part> out) {
    if (part == INPUT_END) {
      endUtterance();
      utterances.tryEmitComplete();
      return;
    }
    if (part.isStartOfSpeech()) {
      out.next(part);
      startUtterance();
    } else if (part.isEndOfSpeech()) {
      out.next(part);
      endUtterance();
    } else if (part.isAudio()) {
      Utterance u = current;
      if (u != null) {
        RuntimeException failure = u.feed(part);
        if (failure != null) {
          out.error(failure);
          return;
        }
      }
      if (stt.passAudio) {
        out.next(part);
      }
    } else {
      out.next(part);
    }
  }

  private void startUtterance() {
    if (current != null) {
      return;
    }
    Utterance u = new Utterance(++count);
    current = u;
    live.add(u);
    utterances.tryEmitNext(u);
  }

  private void endUtterance() {
    Utterance u = current;
    if (u != null) {
      current = null;
      u.end();
    }
  }

  private void cancelAll() {
    for (Utterance u : live) {
      u.audio.cancel();
    }
    live.clear();
  }

  private Flux<Part> decode(Utterance u) {
    return Flux.<Part>create(
            sink -> {
              sink.onDispose(u.audio::cancel);
              String[] lastInterim = {""};
              try {
                String text =
                    stt.recognizer.recognize(
                        u.audio,
                        hypothesis -> {
                          if (stt.interimResults
                              && !u.audio.cancelled()
                              && !hypothesis.isBlank()
                              && !hypothesis.equals(lastInterim[0])) {
                            lastInterim[0] = hypothesis;
                            sink.next(transcription(hypothesis, false, false));
                          }
                        });
                if (!u.audio.cancelled()) {
                  log.debug("utterance {}: '{}'", u.index, text);
                  if (u.audio.truncated()) {
                    // Logged here, on the recognition thread, where writing a log line may block.
                    log.warn(
                        "speech recognizer {} fell more than {} s behind; part of utterance {} was not transcribed",
                        stt.recognizer.metadata().get(OfflineMetadata.MODEL),
                        stt.maxPendingAudio.toSeconds(),
                        u.index);
                  }
                  sink.next(transcription(text, true, u.audio.truncated()));
                }
                sink.complete();
              } catch (IOException e) {
                failOrEnd(
                    sink,
                    u,
                    new UncheckedIOException(
                        "reading the audio of utterance " + u.index + " failed", e));
              } catch (RuntimeException | Error e) {
                failOrEnd(sink, u, e);
              } finally {
                live.remove(u);
              }
            })
        .subscribeOn(stt.scheduler);
  }

  private static void failOrEnd(FluxSink<Part> sink, Utterance u, Throwable e) {
    if (u.audio.cancelled()) {
      sink.complete();
    } else {
      sink.error(e);
    }
  }

  private Part transcription(String text, boolean isFinal, boolean truncated) {
    Map<String, Object> metadata = new HashMap<>(stt.recognizer.metadata());
    metadata.put(PartMetadata.IS_FINAL, isFinal);
    if (truncated) {
      metadata.put(OfflineMetadata.TRUNCATED, true);
    }
    return Part.inputTranscription(text, isFinal).withMetadata(metadata);
  }

  /** One utterance: its audio on the way to the recognizer, resampled to the recognizer's rate. */
  private final class Utterance {
    final int index;
    final UtteranceAudio audio = new UtteranceAudio(pendingBytes, maxPendingBytes);
    private final Sinks.Many<Part> feed = Sinks.many().unicast().onBackpressureBuffer();
    private @Nullable Throwable failure;

    Utterance(int index) {
      this.index = index;
      // Synchronous: each part emitted into the feed is resampled and offered before tryEmitNext
      // returns.
      feed.asFlux()
          .transform(Resample.to(rate))
          .subscribe(
              resampled -> audio.offer(resampled.bytes()),
              e -> failure = e,
              () -> audio.finish(padding));
    }

    /** Feeds an audio part; returns the failure that makes the transcription fail, if any. */
    @Nullable RuntimeException feed(Part part) {
      String mime = part.mimeType();
      if (!MimeTypes.isStreamingAudio(mime)) {
        return new IllegalArgumentException(
            "SpeechToText reads streaming PCM (audio/pcm;rate=N), got '"
                + mime
                + "'"
                + (MimeTypes.isWav(mime) ? "; decode WAV parts with Wav.toPcmPart first" : ""));
      }
      feed.tryEmitNext(part);
      Throwable e = failure;
      if (e != null) {
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      return null;
    }

    void end() {
      feed.tryEmitComplete();
    }
  }
}
