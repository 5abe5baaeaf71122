package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.SerialTasks;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * One subscription to an {@link AudioRateLimiter}: a queue and a playback clock, changed only by
 * tasks run one at a time, so input, timers and demand never race.
 *
 * <p>A task runs on the thread that brings it (the one delivering a part, asking for parts, or firing
 * a timer) when no other task is running or waiting; otherwise it waits in {@link #tasks} and the
 * thread running tasks runs it next. So an {@code interrupted} part that arrives while the session is
 * idle comes out on the caller's thread before {@code onNext} returns, with no hand-off to another
 * thread. Timers still fire on the scheduler's worker.
 */
final class RateLimiterSession {

  private static final Logger log = LoggerFactory.getLogger(AudioRateLimiter.class);

  /**
   * A queued part and its playing time (0 for non-audio); {@code continuesAnswer} for audio that
   * follows earlier audio of the same answer (only such audio can underrun).
   */
  private record Queued(Part part, long durationNanos, boolean audio, boolean continuesAnswer) {}

  private final AudioRateLimiter config;
  private final Flux<Part> input;
  private final FluxSink<Part> sink;
  private final Scheduler.Worker worker;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();

  /**
   * The session's tasks, one at a time. The waiting tasks are bounded by what is given: input is
   * requested one part at a time (at most one part, completion or error waits), a demand task is
   * queued only when none waits ({@link #demandQueued}), and at most one timer is pending (plus one
   * that fired as it was replaced). Tasks given after the worker is disposed are dropped.
   */
  private final SerialTasks tasks;

  private final AtomicBoolean demandQueued = new AtomicBoolean();
  private final Runnable demandTask =
      () -> {
        demandQueued.set(false);
        drain();
      };

  // State below is touched only by tasks given to run(), one at a time.
  private long queuedNanos;

  /** Audio of the current answer received so far, and how many chunks it was cut into. */
  private long answerNanos;

  private long answerChunks;

  /** When the audio released so far finishes playing, on the scheduler clock; none released yet: MIN. */
  private long playEnd = Long.MIN_VALUE;

  private @Nullable Disposable timer;
  private @Nullable Subscription upstream;
  private boolean requested;
  private boolean inputDone;
  private boolean terminated;

  RateLimiterSession(AudioRateLimiter config, Flux<Part> input, FluxSink<Part> sink) {
    this.config = config;
    this.input = input;
    this.sink = sink;
    this.worker = config.scheduler.createWorker();
    this.tasks = new SerialTasks(worker::isDisposed);
  }

  void start() {
    sink.onRequest(
        n -> {
          if (demandQueued.compareAndSet(false, true)) {
            run(demandTask);
          }
        });
    sink.onDispose(
        () -> {
          worker.dispose();
          Subscription s = upstream;
          if (s != null) {
            s.cancel();
          }
        });
    input.subscribe(
        new BaseSubscriber<Part>() {
          @Override
          protected void hookOnSubscribe(Subscription subscription) {
            upstream = subscription;
            run(RateLimiterSession.this::requestMore);
          }

          @Override
          protected void hookOnNext(Part part) {
            run(() -> onPart(part));
          }

          @Override
          protected void hookOnComplete() {
            run(
                () -> {
                  inputDone = true;
                  drain();
                });
          }

          @Override
          protected void hookOnError(Throwable error) {
            run(() -> fail(error));
          }
        });
  }

  /** Runs the task now on this thread if no task runs or waits, else after those (see the class comment). */
  private void run(Runnable task) {
    tasks.run(task);
  }

  private long now() {
    return config.scheduler.now(TimeUnit.NANOSECONDS);
  }

  private void onPart(Part part) {
    if (terminated) {
      return;
    }
    requested = false;
    if (part.isEndOfTurn()) {
      endAnswer();
    }
    try {
      if (config.overtakes.test(part)) {
        sink.next(part);
      } else if (part.isInterrupted()) {
        interrupt(part);
      } else if (part.isAudio()) {
        enqueueAudio(part);
      } else if (!config.delayOtherParts) {
        sink.next(part);
      } else {
        queue.add(new Queued(part, 0, false, false));
      }
    } catch (IllegalArgumentException e) {
      fail(e);
      return;
    }
    drain();
  }

  private void endAnswer() {
    answerNanos = 0;
    answerChunks = 0;
  }

  private void interrupt(Part interruption) {
    long now = now();
    boolean cut = queuedNanos > 0 || (playEnd != Long.MIN_VALUE && playEnd > now);
    endAnswer();
    List<Part> dropped = new ArrayList<>(queue.size());
    for (Queued q : queue) {
      dropped.add(q.part());
    }
    queue.clear();
    queuedNanos = 0;
    cancelTimer();
    playEnd = now;
    if (cut) {
      config.meters.interrupted();
    }
    if (!dropped.isEmpty()) {
      try {
        config.listener.dropped(dropped, TimeUnit.NANOSECONDS.toMillis(now));
      } catch (RuntimeException e) {
        log.warn("PlaybackListener.dropped threw; ignored", e);
      }
    }
    sink.next(interruption);
  }

  private void enqueueAudio(Part audio) {
    long duration = AudioRateLimiter.durationNanos(audio);
    String mime = audio.mimeType();
    int frame = AudioRateLimiter.frameBytes(mime);
    int rate = MimeTypes.sampleRate(mime).getAsInt();
    answerNanos += duration;
    long chunkNanosWanted = config.chunkNanosFor(answerNanos);
    long framesPerChunk = Math.max(1, rate * chunkNanosWanted / 1_000_000_000L);
    int chunkBytes = (int) Math.min(Integer.MAX_VALUE / 4, framesPerChunk * frame);
    int size = audio.byteSize();
    if (size <= 2 * chunkBytes) {
      queueChunk(audio.withMetadata(chunkMetadata(audio, duration)), duration);
      return;
    }
    ByteBuffer data = audio.byteBuffer();
    for (int offset = 0; offset < size; offset += chunkBytes) {
      int length = Math.min(chunkBytes, size - offset);
      byte[] bytes = new byte[length];
      data.get(offset, bytes);
      long chunkNanos = (long) (length / frame) * 1_000_000_000L / rate;
      Part chunk =
          Part.bytes(bytes, mime)
              .withRole(audio.role())
              .withSubstream(audio.substream())
              .withMetadata(chunkMetadata(audio, chunkNanos));
      queueChunk(chunk, chunkNanos);
    }
  }

  /** The metadata of the part a chunk is cut from, with the chunk's index and duration. */
  private Map<String, Object> chunkMetadata(Part source, long chunkNanos) {
    Map<String, Object> metadata = new HashMap<>(source.metadata());
    metadata.put(AudioRateLimiter.CHUNK_INDEX, answerChunks);
    metadata.put(AudioRateLimiter.CHUNK_DURATION, chunkNanos / 1e6);
    return metadata;
  }

  private void queueChunk(Part chunk, long chunkNanos) {
    queue.add(new Queued(chunk, chunkNanos, true, answerChunks > 0));
    answerChunks++;
    queuedNanos += chunkNanos;
  }

  /** Releases what is due, then reads more input if there is room. */
  private void drain() {
    releaseDue();
    requestMore();
  }

  private void releaseDue() {
    if (terminated) {
      return;
    }
    while (!queue.isEmpty()) {
      if (sink.requestedFromDownstream() == 0) {
        return;
      }
      Queued head = queue.peek();
      long now = now();
      long playStart = Math.max(now, playEnd);
      long release = head.audio() ? playStart - config.leadNanos : playStart;
      if (release > now) {
        cancelTimer();
        timer = worker.schedule(() -> run(this::drain), release - now, TimeUnit.NANOSECONDS);
        return;
      }
      queue.poll();
      if (head.audio()) {
        // Counted before the chunk is emitted, so that whoever sees the chunk sees the counts.
        config.meters.chunkPlayed();
        if (head.continuesAnswer() && playEnd != Long.MIN_VALUE && now > playEnd) {
          config.meters.underrun();
        }
      }
      sink.next(head.part());
      if (head.audio()) {
        queuedNanos -= head.durationNanos();
        playEnd = playStart + head.durationNanos();
        try {
          config.listener.released(
              head.part(), TimeUnit.NANOSECONDS.toMillis(playStart), head.durationNanos() / 1e6);
        } catch (RuntimeException e) {
          log.warn("PlaybackListener.released threw; ignored", e);
        }
      }
    }
    if (inputDone) {
      terminated = true;
      sink.complete();
      worker.dispose();
    }
  }

  private void requestMore() {
    Subscription s = upstream;
    if (terminated || inputDone || requested || s == null) {
      return;
    }
    if (queue.size() < AudioRateLimiter.MAX_QUEUED_PARTS && queuedNanos < config.maxQueuedNanos) {
      requested = true;
      s.request(1);
    }
  }

  private void cancelTimer() {
    Disposable t = timer;
    if (t != null) {
      t.dispose();
      timer = null;
    }
  }

  private void fail(Throwable error) {
    if (terminated) {
      return;
    }
    terminated = true;
    queue.clear();
    Subscription s = upstream;
    if (s != null) {
      s.cancel();
    }
    sink.error(error);
    worker.dispose();
  }
}
