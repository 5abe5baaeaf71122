package dev.genaiprocessors.offline.stt;

import dev.genaiprocessors.audio.speech.SpeechRecognizer;
import dev.genaiprocessors.offline.OfflineMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A recognizer for tests: reads each utterance to its end, recording the bytes, reports the interim
 * hypotheses it is given (the same one twice, to show they are not repeated), and returns "utterance N".
 */
final class ScriptedRecognizer implements SpeechRecognizer {
  final List<byte[]> utterances = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();

  /** Counted down when a recognition has ended: it saw the end of its stream, or was interrupted. */
  final CountDownLatch ended = new CountDownLatch(1);

  /** Counted down when a recognition starts. */
  final CountDownLatch started = new CountDownLatch(1);

  /** Recognition waits for this before reading (lets a test pile up audio). */
  volatile CountDownLatch gate = new CountDownLatch(0);

  volatile @Nullable RuntimeException failure;
  private final int rate;
  private final List<String> interims;

  ScriptedRecognizer(int rate, String... interims) {
    this.rate = rate;
    this.interims = List.of(interims);
  }

  @Override
  public int sampleRate() {
    return rate;
  }

  @Override
  public Map<String, Object> metadata() {
    return Map.of(OfflineMetadata.MODEL, "scripted");
  }

  @Override
  public String recognize(InputStream pcm16le, Consumer<String> interim) throws IOException {
    threads.add(Thread.currentThread().getName());
    started.countDown();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[1000];
    int n;
    boolean first = true;
    // Ended however it ends: a cancellation may interrupt this thread before it reads (even an open
    // gate's await throws then), and that too ends the recognition.
    try {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      while ((n = pcm16le.read(buffer)) >= 0) {
        bytes.write(buffer, 0, n);
        if (first) {
          first = false;
          for (String text : interims) {
            interim.accept(text);
          }
        }
      }
    } finally {
      ended.countDown();
    }
    utterances.add(bytes.toByteArray());
    if (failure != null) {
      throw failure;
    }
    return "utterance " + utterances.size();
  }

  @Override
  public void close() {}
}
