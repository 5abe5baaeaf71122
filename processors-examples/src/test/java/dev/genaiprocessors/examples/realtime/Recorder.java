package dev.genaiprocessors.examples.realtime;

import dev.genaiprocessors.live.realtime.RealtimeEvent.Speaker;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.scheduler.Schedulers;

/** Records what a session's callbacks receive, and waits for it (bounded waits, no sleeps). */
final class Recorder {
  final LinkedBlockingQueue<String> finals = new LinkedBlockingQueue<>();
  final List<String> deltas = new CopyOnWriteArrayList<>();
  final LinkedBlockingQueue<String> deltaQueue = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<Boolean> interruptions = new LinkedBlockingQueue<>();
  final AtomicLong audioBytes = new AtomicLong();
  final List<String> callbackThreads = new CopyOnWriteArrayList<>();

  /** The builder with every callback recording here. */
  RealtimeVoice.Builder attach(RealtimeVoice.Builder voice) {
    return voice
        .onAudio(
            pcm -> {
              note();
              audioBytes.addAndGet(pcm.length);
            })
        .onTranscript(
            (text, isFinal, speaker) -> {
              note();
              String line = (speaker == Speaker.USER ? "user: " : "assistant: ") + text;
              if (isFinal) {
                finals.add(line);
              } else {
                deltas.add(line);
                deltaQueue.add(line);
              }
            })
        .onError(errors::add)
        .onInterrupted(() -> interruptions.add(true));
  }

  private void note() {
    if (Schedulers.isInNonBlockingThread()) {
      callbackThreads.add("non-blocking: " + Thread.currentThread().getName());
    }
  }

  /** The next final transcript of the assistant, skipping the user's. */
  String nextAssistantFinal(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      String line = finals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError(
            "no final assistant transcript within " + wait + "; errors: " + errors);
      }
      if (line.startsWith("assistant: ")) {
        return line.substring("assistant: ".length());
      }
    }
  }

  void awaitDelta(Duration wait) throws InterruptedException {
    if (deltaQueue.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null) {
      throw new AssertionError("no transcript delta within " + wait + "; errors: " + errors);
    }
  }

  Throwable nextError(Duration wait) throws InterruptedException {
    Throwable error = errors.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (error == null) {
      throw new AssertionError("no error within " + wait);
    }
    return error;
  }

  void awaitInterruption(Duration wait) throws InterruptedException {
    if (interruptions.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null) {
      throw new AssertionError("no interruption within " + wait + "; errors: " + errors);
    }
  }
}
