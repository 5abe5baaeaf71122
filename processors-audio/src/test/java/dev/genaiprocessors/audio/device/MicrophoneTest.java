package dev.genaiprocessors.audio.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class MicrophoneTest {

  /**
   * A capture line that hands out the given bytes, at most {@code maxRead} per read, then ends; or, when
   * endless, blocks like a real line until it is closed.
   */
  static final class FakeCaptureLine implements CaptureLine {
    final CountDownLatch ended = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final CountDownLatch blocked = new CountDownLatch(1);
    final List<String> readThreads = new CopyOnWriteArrayList<>();
    private final byte[] audio;
    private final int maxRead;
    private final boolean endless;
    private int position;

    FakeCaptureLine(byte[] audio, int maxRead, boolean endless) {
      this.audio = audio;
      this.maxRead = maxRead;
      this.endless = endless;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
      readThreads.add(Thread.currentThread().getName());
      if (position < audio.length) {
        int n = Math.min(Math.min(maxRead, length), audio.length - position);
        System.arraycopy(audio, position, buffer, offset, n);
        position += n;
        return n;
      }
      if (endless) {
        blocked.countDown();
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ended.countDown();
      return -1;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  /** {@code chunks} chunks of {@code chunkBytes}, every byte of chunk {@code k} holding {@code k}. */
  static byte[] numberedChunks(int chunks, int chunkBytes) {
    byte[] audio = new byte[chunks * chunkBytes];
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (byte) (i / chunkBytes);
    }
    return audio;
  }

  /** {@code samples} samples of a sine at half scale, 16-bit little-endian. */
  static byte[] sine(double frequency, int rate, int samples) {
    byte[] pcm = new byte[2 * samples];
    for (int n = 0; n < samples; n++) {
      short value = (short) Math.round(16000 * Math.sin(2 * Math.PI * frequency * n / rate));
      pcm[2 * n] = (byte) value;
      pcm[2 * n + 1] = (byte) (value >> 8);
    }
    return pcm;
  }

  static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released in time").isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void recordsWholeChunksOfTheConfiguredDurationInOrderOnABlockingThread() {
    byte[] audio = sine(440, 16000, 1120); // 70 ms at 16 kHz: 3 chunks of 20 ms and a half
    FakeCaptureLine line = new FakeCaptureLine(audio, 300, false);
    List<AudioFormat> opened = new CopyOnWriteArrayList<>();
    Microphone microphone =
        Microphone.builder()
            .chunk(Duration.ofMillis(20))
            .opener(
                (format, bufferBytes) -> {
                  opened.add(format);
                  return line;
                })
            .build();
    List<Part> parts = new ArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    StepVerifier.create(
            microphone.capture().doOnNext(p -> threads.add(Thread.currentThread().getName())))
        .recordWith(() -> parts)
        .expectNextCount(4)
        .verifyComplete();

    assertThat(parts).extracting(Part::byteSize).containsExactly(640, 640, 640, 320);
    assertThat(Pcm.concat(parts).bytes()).isEqualTo(audio);
    assertThat(parts)
        .allSatisfy(
            p -> {
              assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=16000");
              assertThat(p.role()).isEqualTo("user");
              assertThat(p.substream()).isEqualTo("realtime");
              assertThat(p.metadata(PartMetadata.CAPTURE_TIME)).isInstanceOf(Long.class);
            });
    assertThat(opened)
        .singleElement()
        .satisfies(f -> assertThat(f.matches(microphone.format())).isTrue());
    assertThat(threads).allSatisfy(t -> assertThat(t).contains("boundedElastic"));
    assertThat(line.readThreads).allSatisfy(t -> assertThat(t).contains("boundedElastic"));
    await(line.closed);
  }

  @Test
  void aSlowConsumerLosesTheOldestChunksAndTheyAreCounted() {
    int chunkBytes = 320; // 10 ms at 16 kHz
    FakeCaptureLine line = new FakeCaptureLine(numberedChunks(10, chunkBytes), chunkBytes, false);
    Microphone microphone =
        Microphone.builder()
            .chunk(Duration.ofMillis(10))
            .maxBuffered(Duration.ofMillis(30))
            .opener((format, bufferBytes) -> line)
            .build();
    StepVerifier.create(microphone.capture(), 0)
        .expectSubscription()
        .then(() -> await(line.ended)) // all ten chunks were recorded while nobody asked
        .thenRequest(Long.MAX_VALUE)
        .assertNext(p -> assertThat(p.bytes()[0]).isEqualTo((byte) 7))
        .assertNext(p -> assertThat(p.bytes()[0]).isEqualTo((byte) 8))
        .assertNext(p -> assertThat(p.bytes()[0]).isEqualTo((byte) 9))
        .verifyComplete();
    assertThat(microphone.droppedChunks()).isEqualTo(7);
  }

  @Test
  void cancellingClosesTheLineAndEndsABlockedRead() {
    FakeCaptureLine line = new FakeCaptureLine(new byte[640], 640, true);
    Microphone microphone =
        Microphone.builder()
            .chunk(Duration.ofMillis(20))
            .opener((format, bufferBytes) -> line)
            .build();
    StepVerifier.create(microphone.capture())
        .expectNextCount(1)
        .then(() -> await(line.blocked)) // the capture thread waits in read() for audio
        .thenCancel()
        .verify(Duration.ofSeconds(10));
    await(line.closed);
    await(line.ended); // the read that was blocked returned
  }

  @Test
  void withoutAMicrophoneSubscribingFailsAtOnceWithAClearError() {
    assumeTrue(AudioDevices.microphones().isEmpty(), "this machine has a microphone");
    StepVerifier.create(Microphone.builder().build().capture())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(DeviceUnavailableException.class)
                    .hasMessageContaining("No microphone found")
                    .hasMessageContaining("16000.0 Hz")
                    .hasMessageContaining("AudioDevices.microphones()"))
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void aCaptureSchedulerThatMustNotBlockIsRefusedBeforeOpeningTheLine() {
    AtomicInteger opened = new AtomicInteger();
    Microphone microphone =
        Microphone.builder()
            .captureScheduler(Schedulers.parallel())
            .opener(
                (format, bufferBytes) -> {
                  opened.incrementAndGet();
                  return new FakeCaptureLine(new byte[0], 1, false);
                })
            .build();
    StepVerifier.create(microphone.capture())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("non-blocking")
                    .hasMessageContaining("boundedElastic"))
        .verify(Duration.ofSeconds(10));
    assertThat(opened).hasValue(0);
  }

  @Test
  void settingsAreCheckedWhenGiven() {
    Microphone.Builder builder = Microphone.builder();
    assertThatThrownBy(() -> builder.sampleRate(4000)).hasMessageContaining("8000 to 192000");
    assertThatThrownBy(() -> builder.chunk(Duration.ofMillis(5)))
        .hasMessageContaining("10 ms to 1 s");
    assertThatThrownBy(() -> builder.maxBuffered(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> builder.device(" ")).hasMessageContaining("blank");
    assertThat(Microphone.builder().sampleRate(24000).build().format().getSampleRate())
        .isEqualTo(24000f);
  }
}
