package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class WavFileTest {

  @TempDir Path dir;

  @Test
  void writtenAudioReadsBackInChunksOfAtMostTheDuration() throws IOException {
    byte[] pcm = Signals.sine(440, 16000, 16000, 12000); // 1 s
    Path file = dir.resolve("tone.wav");
    Flux<Part> parts = Flux.fromIterable(Pcm.split(Part.audio(pcm, 16000), Duration.ofMillis(33)));

    StepVerifier.create(Wav.write(parts, file)).verifyComplete();
    assertThat(Files.readAllBytes(file)).isEqualTo(Wav.encode(pcm, 16000));

    List<Part> read = new ArrayList<>();
    StepVerifier.create(Wav.read(file, Duration.ofMillis(300)))
        .recordWith(() -> read)
        .expectNextCount(4)
        .verifyComplete();
    assertThat(read).extracting(Part::byteSize).containsExactly(9600, 9600, 9600, 3200);
    assertThat(read).allSatisfy(p -> assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=16000"));
    assertThat(Pcm.concat(read).bytes()).isEqualTo(pcm);
  }

  @Test
  void readingIsLazyOneChunkPerRequestOnABlockingScheduler() throws IOException {
    Path file = dir.resolve("long.wav");
    Files.write(file, Wav.encode(new byte[2 * 48000 * 10], 48000)); // 10 s

    StepVerifier.create(Wav.read(file, Duration.ofMillis(20)), 0)
        .thenRequest(1)
        .assertNext(
            part -> {
              assertThat(part.byteSize()).isEqualTo(1920);
              assertThat(Thread.currentThread().getName()).contains("boundedElastic");
            })
        .thenRequest(2)
        .expectNextCount(2)
        .thenCancel()
        .verify();
  }

  @Test
  void readingAndWritingFromNonBlockingThreadsDoNotBlockThem() throws IOException {
    // BlockHound fails any blocking call made on the parallel scheduler's threads.
    Path file = dir.resolve("parallel.wav");
    byte[] pcm = Signals.sine(1000, 24000, 2400, 8000);
    Flux<Part> parts =
        Flux.fromIterable(Pcm.split(Part.audio(pcm, 24000), Duration.ofMillis(10)))
            .publishOn(Schedulers.parallel());

    StepVerifier.create(Wav.write(parts, file).subscribeOn(Schedulers.parallel())).verifyComplete();
    StepVerifier.create(
            Wav.read(file, Duration.ofMillis(40))
                .subscribeOn(Schedulers.parallel())
                .publishOn(Schedulers.parallel())
                .map(Part::byteSize))
        .expectNext(1920, 1920, 960)
        .verifyComplete();
    StepVerifier.create(
            Wav.read(file, Duration.ofMillis(10)).publishOn(Schedulers.parallel(), 1).take(2))
        .expectNextCount(2)
        .verifyComplete();
  }

  @Test
  void readSkipsUnknownChunksAndMixesStereoDown() throws IOException {
    byte[] frames =
        Signals.pcm((short) 100, (short) 300, (short) -8, (short) -2, (short) 7, (short) 9);
    byte[] wav =
        WavFiles.riff()
            .fmt(1, 2, 8000, 16)
            .chunk("LIST", new byte[] {1, 2, 3, 4, 5})
            .chunk("data", frames)
            .build();
    Path file = dir.resolve("stereo.wav");
    Files.write(file, wav);

    StepVerifier.create(
            Wav.read(file, Duration.ofNanos(250_000)).map(p -> Signals.shorts(p.bytes())))
        .assertNext(s -> assertThat(s).containsExactly(200, -5))
        .assertNext(s -> assertThat(s).containsExactly(8))
        .verifyComplete();
  }

  @Test
  void aPlaceholderDataSizeIsReadToTheEndOfTheFile() throws IOException {
    byte[] pcm = Signals.sine(500, 8000, 801, 3000);
    Path file = dir.resolve("streamed.wav");
    Files.write(
        file,
        WavFiles.riff().fmt(1, 1, 8000, 16).chunkDeclaring("data", 0xFFFF_FFFFL, pcm).build());
    List<Part> read =
        Objects.requireNonNull(
            Wav.read(file, Duration.ofMillis(50)).collectList().block(Duration.ofSeconds(10)));
    assertThat(read).hasSize(3);
    assertThat(Pcm.concat(read).bytes()).isEqualTo(pcm);
  }

  @Test
  void readErrorsArriveOnSubscription() throws IOException {
    StepVerifier.create(Wav.read(dir.resolve("missing.wav"), Duration.ofMillis(20)))
        .verifyError(NoSuchFileException.class);

    Path float32 = dir.resolve("float.wav");
    Files.write(float32, WavFiles.riff().fmt(3, 1, 16000, 32).chunk("data", new byte[16]).build());
    StepVerifier.create(Wav.read(float32, Duration.ofMillis(20)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(UnsupportedAudioException.class)
                    .hasMessageContaining("32-bit IEEE float"))
        .verify();

    Path tiny = dir.resolve("tiny.wav");
    Files.write(tiny, Wav.encode(new byte[8], 8000));
    StepVerifier.create(Wav.read(tiny, Duration.ofNanos(100_000)))
        .expectErrorMessage("chunk of PT0.0001S is shorter than one sample at 8000 Hz")
        .verify();

    assertThatThrownBy(() -> Wav.read(tiny, Duration.ZERO))
        .hasMessageContaining("chunk must be positive");
  }

  @Test
  void writeSkipsPartsThatAreNotAudio() throws IOException {
    Path file = dir.resolve("mixed.wav");
    Flux<Part> parts =
        Flux.just(
            Part.audio(Signals.pcm((short) 1, (short) 2), 16000),
            Part.text("hello"),
            Part.endOfTurn(),
            Part.bytes(Signals.pcm((short) 3), "audio/l16; rate=16000"));
    StepVerifier.create(Wav.write(parts, file)).verifyComplete();
    WavAudio audio = Wav.decode(Files.readAllBytes(file));
    assertThat(audio.sampleRate()).isEqualTo(16000);
    assertThat(Signals.shorts(audio.pcm16le())).containsExactly(1, 2, 3);
  }

  @Test
  void writeRejectsASecondRateAndLeavesAValidFileOfWhatCameBefore() throws IOException {
    Path file = dir.resolve("rates.wav");
    Flux<Part> parts =
        Flux.just(
            Part.audio(Signals.pcm((short) 5, (short) 6), 24000),
            Part.audio(Signals.pcm((short) 7), 16000));
    StepVerifier.create(Wav.write(parts, file))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("16000 Hz")
                    .hasMessageContaining("24000 Hz"))
        .verify();
    assertThat(Wav.decode(Files.readAllBytes(file)))
        .isEqualTo(new WavAudio(24000, Signals.pcm((short) 5, (short) 6)));
  }

  @Test
  void writeRejectsAudioThatIsNotStreamingAudio() {
    Path file = dir.resolve("wav-in-wav.wav");
    Flux<Part> parts = Flux.just(Part.bytes(Wav.encode(new byte[4], 16000), "audio/wav"));
    StepVerifier.create(Wav.write(parts, file))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("Wav.toPcmPart"))
        .verify();
  }

  @Test
  void anUpstreamErrorStillFixesTheHeaderBeforeItIsSignalled() throws IOException {
    Path file = dir.resolve("failed.wav");
    byte[] first = Signals.pcm((short) 21, (short) 22);
    Flux<Part> failing =
        Flux.concat(Flux.just(Part.audio(first, 8000)), Flux.error(new IOException("mic gone")));
    StepVerifier.create(Wav.write(failing, file)).verifyErrorMessage("mic gone");
    assertThat(Wav.decode(Files.readAllBytes(file))).isEqualTo(new WavAudio(8000, first));
  }

  @Test
  void cancellingAWriteStillFixesTheHeader() throws IOException {
    Path file = dir.resolve("cancelled.wav");
    byte[] first = Signals.pcm((short) 11, (short) 12, (short) 13);
    Flux<Part> endless = Flux.concat(Flux.just(Part.audio(first, 8000)), Flux.never());
    StepVerifier.create(Wav.write(endless, file))
        .expectSubscription()
        .then(() -> awaitSize(file, 44 + first.length))
        .thenCancel()
        .verify();
    // The header is fixed on a bounded-elastic thread after the cancel; wait for it without
    // sleeping.
    WavAudio audio =
        Mono.fromCallable(() -> Wav.decode(readQuietly(file)))
            .filter(a -> a.pcm16le().length == first.length)
            .repeatWhenEmpty(Integer.MAX_VALUE, f -> f)
            .block(Duration.ofSeconds(10));
    assertThat(audio).isEqualTo(new WavAudio(8000, first));
  }

  @Test
  void anEmptyStreamGivesAnEmptyWavFile() throws IOException {
    Path file = dir.resolve("empty.wav");
    StepVerifier.create(Wav.write(Flux.just(Part.text("no audio")), file)).verifyComplete();
    assertThat(Wav.decode(Files.readAllBytes(file))).isEqualTo(new WavAudio(16000, new byte[0]));
    StepVerifier.create(Wav.read(file, Duration.ofMillis(20))).verifyComplete();
  }

  private static void awaitSize(Path file, long size) {
    Mono.fromCallable(() -> sizeQuietly(file))
        .filter(s -> s >= size)
        .repeatWhenEmpty(Integer.MAX_VALUE, f -> f)
        .block(Duration.ofSeconds(10));
  }

  private static long sizeQuietly(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private static byte[] readQuietly(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
