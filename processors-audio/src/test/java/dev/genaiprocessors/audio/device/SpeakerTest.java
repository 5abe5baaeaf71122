package dev.genaiprocessors.audio.device;

import static dev.genaiprocessors.audio.device.MicrophoneTest.await;
import static dev.genaiprocessors.audio.device.MicrophoneTest.sine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.Part;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.sound.sampled.AudioFormat;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class SpeakerTest {

  /** A playback line that records what happens to it; its first write can block until a flush or close. */
  static final class FakePlaybackLine implements PlaybackLine {
    final AudioFormat format;
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<byte[]> writes = new CopyOnWriteArrayList<>();
    final List<String> writeThreads = new CopyOnWriteArrayList<>();
    final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    private final boolean blockFirstWrite;

    FakePlaybackLine(AudioFormat format, boolean blockFirstWrite) {
      this.format = format;
      this.blockFirstWrite = blockFirstWrite;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
      writes.add(Arrays.copyOfRange(buffer, offset, offset + length));
      writeThreads.add(Thread.currentThread().getName());
      events.add("write " + length);
      firstWriteStarted.countDown();
      if (blockFirstWrite && writes.size() == 1) {
        try {
          released.await(); // like a full device buffer: a flush or a close ends the wait
        } catch (InterruptedException e) {
          events.add(
              "interrupted"); // a disposed worker interrupts its thread; a real write ignores it
        }
      }
    }

    @Override
    public void flush() {
      events.add("flush");
      released.countDown();
    }

    @Override
    public void drain() {
      events.add("drain");
    }

    @Override
    public void close() {
      events.add("close");
      released.countDown();
      closed.countDown();
    }

    byte[] written() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writes.forEach(out::writeBytes);
      return out.toByteArray();
    }
  }

  /** Opens fake lines and keeps them. */
  static final class FakeDevice implements PlaybackLine.Opener {
    final List<FakePlaybackLine> lines = new CopyOnWriteArrayList<>();
    final CountDownLatch opened = new CountDownLatch(1);
    private final boolean blockFirstWrite;

    FakeDevice(boolean blockFirstWrite) {
      this.blockFirstWrite = blockFirstWrite;
    }

    @Override
    public PlaybackLine open(AudioFormat format) {
      FakePlaybackLine line = new FakePlaybackLine(format, blockFirstWrite && lines.isEmpty());
      lines.add(line);
      opened.countDown();
      return line;
    }
  }

  static Part pcm(int ms, int rate, int seed) {
    return Part.audio(sine(300 + seed, rate, rate * ms / 1000), rate).withRole("model");
  }

  @Test
  void playsAudioInOrderInPiecesAndPassesEveryPartOnAfterItsAudioWasWritten() {
    FakeDevice device = new FakeDevice(false);
    Part audio = pcm(100, 16000, 0);
    List<String> emitThreads = new CopyOnWriteArrayList<>();
    StepVerifier.create(
            Flux.just(Part.text("hi"), audio, Part.endOfTurn())
                .transform(Speaker.builder().opener(device).build())
                .doOnNext(p -> emitThreads.add(Thread.currentThread().getName())))
        .expectNext(Part.text("hi"), audio, Part.endOfTurn())
        .verifyComplete();

    FakePlaybackLine line = device.lines.get(0);
    assertThat(device.lines).hasSize(1);
    assertThat(line.format.getSampleRate()).isEqualTo(16000f);
    assertThat(line.format.getChannels()).isEqualTo(1);
    assertThat(line.format.isBigEndian()).isFalse();
    assertThat(line.written()).isEqualTo(audio.bytes());
    assertThat(line.writes).extracting(w -> w.length).containsOnly(640); // 20 ms pieces
    assertThat(line.events.subList(line.events.size() - 2, line.events.size()))
        .containsExactly("drain", "close");
    assertThat(line.writeThreads).allSatisfy(t -> assertThat(t).contains("boundedElastic"));
    assertThat(emitThreads).allSatisfy(t -> assertThat(t).contains("boundedElastic"));
  }

  @Test
  void aNewFormatReopensTheLineAfterTheOldOneHasPlayedOut() {
    FakeDevice device = new FakeDevice(false);
    Part first = pcm(40, 24000, 1);
    Part second = pcm(40, 24000, 2);
    Part wav = Part.bytes(Wav.encode(pcm(40, 16000, 3).bytes(), 16000), "audio/wav");
    Part stereo = Part.bytes(new byte[48 * 4 * 10], "audio/l16;rate=48000;channels=2");
    StepVerifier.create(
            Flux.just(first, second, wav, stereo)
                .transform(Speaker.builder().opener(device).build()))
        .expectNext(first, second, wav, stereo)
        .verifyComplete();

    assertThat(device.lines)
        .extracting(l -> l.format.getSampleRate())
        .containsExactly(24000f, 16000f, 48000f);
    assertThat(device.lines).extracting(l -> l.format.getChannels()).containsExactly(1, 1, 2);
    assertThat(device.lines.get(0).written()).hasSize(first.byteSize() + second.byteSize());
    assertThat(device.lines.get(0).events).endsWith("drain", "close");
    assertThat(device.lines.get(1).written()).isEqualTo(pcm(40, 16000, 3).bytes());
    assertThat(device.lines.get(2).written()).hasSize(stereo.byteSize());
  }

  @Test
  void audioIsNotPassedOnWhenConfiguredSo() {
    FakeDevice device = new FakeDevice(false);
    StepVerifier.create(
            Flux.just(pcm(20, 16000, 0), Part.text("after"))
                .transform(Speaker.builder().forwardAudio(false).opener(device).build()))
        .expectNext(Part.text("after"))
        .verifyComplete();
    assertThat(device.lines.get(0).writes).hasSize(1);
  }

  @Test
  void anInterruptionFlushesTheLineAtOnceAndSkipsTheAudioQueuedBeforeIt() {
    FakeDevice device = new FakeDevice(true);
    Part playing = pcm(10, 16000, 1); // one piece; its write blocks like a full device buffer
    Part queued = pcm(10, 16000, 2);
    Part after = pcm(10, 16000, 3);
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(input.asFlux().transform(Speaker.builder().opener(device).build()))
        .then(() -> input.tryEmitNext(playing))
        .then(
            () -> {
              await(device.opened);
              await(device.lines.get(0).firstWriteStarted);
              input.tryEmitNext(queued);
              input.tryEmitNext(Part.interrupted());
              input.tryEmitNext(after);
              input.tryEmitComplete();
            })
        .expectNext(playing, queued, Part.interrupted(), after)
        .verifyComplete();

    FakePlaybackLine line = device.lines.get(0);
    assertThat(line.writes).containsExactly(playing.bytes(), after.bytes());
    List<String> events = line.events;
    assertThat(events.get(0)).isEqualTo("write 320");
    assertThat(events.get(1)).isEqualTo("flush"); // the flush that released the blocked write
    assertThat(events.indexOf("flush")).isLessThan(events.lastIndexOf("write 320"));
  }

  @Test
  void cancellingClosesTheLineAtOnce() {
    FakeDevice device = new FakeDevice(true);
    StepVerifier.create(
            Flux.just(pcm(10, 16000, 0))
                .concatWith(Flux.never())
                .transform(Speaker.builder().opener(device).build()))
        .then(
            () -> {
              await(device.opened);
              await(device.lines.get(0).firstWriteStarted);
            })
        .thenCancel()
        .verify(Duration.ofSeconds(10));
    await(device.lines.get(0).closed);
  }

  @Test
  void inputFromNonBlockingThreadsNeverBlocksThem() {
    // BlockHound fails any blocking call on a parallel thread; the input arrives on one.
    FakeDevice device = new FakeDevice(false);
    Flux<Part> input =
        Flux.just(pcm(20, 16000, 0), Part.interrupted(), pcm(20, 16000, 1), Part.text("end"))
            .publishOn(Schedulers.parallel());
    StepVerifier.create(
            input
                .transform(Speaker.builder().opener(device).build())
                .subscribeOn(Schedulers.parallel()))
        .expectNextCount(4)
        .verifyComplete();
  }

  @Test
  void audioItCannotPlayIsAClearError() {
    FakeDevice device = new FakeDevice(false);
    StepVerifier.create(
            Flux.just(Part.text("a"), Part.bytes(new byte[10], "audio/mpeg"))
                .transform(Speaker.builder().opener(device).build()))
        .expectNext(Part.text("a"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("audio/mpeg")
                    .hasMessageContaining("Decode it"))
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(
            Flux.just(Part.bytes(new byte[6], "audio/pcm;rate=16000;channels=2"))
                .transform(Speaker.builder().opener(device).build()))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("partial frame"))
        .verify(Duration.ofSeconds(10));
    assertThat(device.lines).isEmpty();
  }

  @Test
  void withoutASpeakerTheFirstAudioFailsTheOutputWithAClearError() {
    assumeTrue(AudioDevices.speakers().isEmpty(), "this machine has a speaker");
    StepVerifier.create(
            Flux.just(Part.text("before"), pcm(20, 24000, 0)).transform(Speaker.builder().build()))
        .expectNext(Part.text("before"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(DeviceUnavailableException.class)
                    .hasMessageContaining("No speaker found")
                    .hasMessageContaining("24000.0 Hz")
                    .hasMessageContaining("AudioDevices.speakers()"))
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void aPlaybackSchedulerThatMustNotBlockIsRefused() {
    FakeDevice device = new FakeDevice(false);
    StepVerifier.create(
            Flux.just(pcm(20, 16000, 0))
                .transform(
                    Speaker.builder()
                        .playbackScheduler(Schedulers.parallel())
                        .opener(device)
                        .build()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("non-blocking"))
        .verify(Duration.ofSeconds(10));
    assertThat(device.lines).isEmpty();
  }

  @Test
  void settingsAreCheckedWhenGiven() {
    Speaker.Builder builder = Speaker.builder();
    assertThatThrownBy(() -> builder.maxQueuedParts(0)).hasMessageContaining("maxQueuedParts");
    assertThatThrownBy(() -> builder.lineBuffer(Duration.ofMillis(5)))
        .hasMessageContaining("20 ms to 2 s");
    assertThatThrownBy(() -> builder.device("")).hasMessageContaining("blank");
  }
}
