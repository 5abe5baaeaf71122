package dev.genaiprocessors.offline.tts;

import dev.genaiprocessors.audio.speech.SpeechSynthesizer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A synthesizer for tests: voices a text as {@code pieces} pieces of 10 samples at 8 kHz each (so the
 * audio of a text is recognisable by its count), after waiting at a gate; records what it was asked.
 */
final class ScriptedSynthesizer implements SpeechSynthesizer {
  final List<String> texts = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();
  final CountDownLatch stopped = new CountDownLatch(1);
  final CountDownLatch started = new CountDownLatch(1);
  volatile CountDownLatch gate = new CountDownLatch(0);
  volatile int pieces = 2;
  volatile @Nullable RuntimeException failure;

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public void synthesize(String text, PcmSink sink) {
    texts.add(text);
    threads.add(Thread.currentThread().getName());
    started.countDown();
    try {
      if (!gate.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (failure != null) {
      throw failure;
    }
    for (int i = 0; i < pieces; i++) {
      if (!sink.accept(new byte[20], 8000)) {
        stopped.countDown();
        return;
      }
    }
  }

  @Override
  public void close() {}
}
