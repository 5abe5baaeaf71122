package dev.genaiprocessors.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Resampler;
import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Both detectors behind the {@link Vad} on real recorded speech ({@link JfkSpeech}, 11 s). What they
 * found when these tests were written, with the default settings:
 * <ul>
 *   <li>energy: 0.26-2.38, 3.22-3.96, 3.96-4.56, 5.36-7.80, 8.12-10.64, 10.68-11.00 s (8.7 s of speech);
 *   <li>Silero: 0.29-2.43, 4.00-4.58, 5.38-7.87, 8.16-10.78 s (7.8 s; the short "ask not" at 3.3 s
 *       scores too low for 80% of a 300 ms window);
 *   <li>Silero on the same audio at 48 kHz: the same segments within 0.03 s.
 * </ul>
 * The assertions are broad: speech early, the long pause after "Americans" (2.4 to 3.2 s) found,
 * a plausible total.
 */
class VadSpeechTest {

  private static List<Part> run(Vad vad, byte[] pcm, int rate, Duration chunk) {
    List<Part> input = Pcm.split(Part.audio(pcm, rate), chunk);
    List<Part> out = new ArrayList<>();
    StepVerifier.create(vad.apply(Flux.fromIterable(input)))
        .recordWith(() -> out)
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    assertThat(VadOutput.audio(out)).isEqualTo(pcm);
    return out;
  }

  private static void assertPlausible(
      List<VadOutput.Segment> segments, double minTotal, double maxTotal) {
    assertThat(segments).hasSizeGreaterThanOrEqualTo(2);
    assertThat(segments.get(0).start()).as("speech starts at 0.3 s").isBetween(0.0, 0.5);
    double total = segments.stream().mapToDouble(VadOutput.Segment::duration).sum();
    assertThat(total).as("seconds of speech in %s", segments).isBetween(minTotal, maxTotal);
    assertThat(segments)
        .as("the pause after 'fellow Americans'")
        .noneMatch(s -> s.start() < 3.0 && s.end() > 2.7);
    for (double spoken : new double[] {1.0, 6.0, 9.0}) {
      assertThat(segments)
          .as("speech at %.1f s", spoken)
          .anyMatch(s -> s.start() <= spoken && s.end() >= spoken);
    }
  }

  @Test
  void theEnergyDetectorFindsThePhrases() {
    List<VadOutput.Segment> segments =
        VadOutput.segments(
            run(Vad.builder().build(), JfkSpeech.pcm(), 16_000, Duration.ofMillis(20)));

    assertPlausible(segments, 6.0, 10.0);
  }

  @Test
  void sileroFindsThePhrasesAndThePausesBetweenThem() {
    Vad vad = Vad.builder().detector(SileroSpeechDetector.factory()).build();

    List<VadOutput.Segment> segments =
        VadOutput.segments(run(vad, JfkSpeech.pcm(), 16_000, Duration.ofMillis(100)));

    assertPlausible(segments, 5.0, 10.0);
    assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void sileroOn48KilohertzAudioFindsTheSameSegmentsAndPassesTheAudioThrough() {
    Vad vad = Vad.builder().detector(SileroSpeechDetector.factory()).build();
    byte[] at16 = JfkSpeech.pcm();
    byte[] at48 = upsample(at16, 16_000, 48_000);

    List<VadOutput.Segment> reference =
        VadOutput.segments(run(vad, at16, 16_000, Duration.ofMillis(32)));
    List<Part> out = run(vad, at48, 48_000, Duration.ofMillis(10));
    List<VadOutput.Segment> segments = VadOutput.segments(out);

    assertThat(out)
        .filteredOn(Part::isAudio)
        .allSatisfy(p -> assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=48000"));
    assertThat(segments).hasSameSizeAs(reference);
    for (int i = 0; i < segments.size(); i++) {
      assertThat(Math.abs(segments.get(i).start() - reference.get(i).start()))
          .as("start %d", i)
          .isLessThan(0.07);
      assertThat(Math.abs(segments.get(i).end() - reference.get(i).end()))
          .as("end %d", i)
          .isLessThan(0.07);
    }
  }

  @Test
  void sileroOnANonBlockingThreadBlocksNothingAndFindsTheSameSegments() {
    // BlockHound is installed in this JVM: a blocking call on a parallel thread fails the stream.
    Vad vad = Vad.builder().detector(SileroSpeechDetector.factory()).build();
    byte[] pcm = JfkSpeech.pcm();
    List<VadOutput.Segment> reference =
        VadOutput.segments(run(vad, pcm, 16_000, Duration.ofMillis(32)));
    List<Part> input = Pcm.split(Part.audio(pcm, 16_000), Duration.ofMillis(32));
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Part> out = new ArrayList<>();

    StepVerifier.create(
            // hide(): without it the VAD would fuse with publishOn and drain it on the caller's
            // thread.
            vad.apply(Flux.fromIterable(input).publishOn(Schedulers.parallel()).hide())
                .doOnNext(p -> threads.add(Thread.currentThread().getName())))
        .recordWith(() -> out)
        .thenConsumeWhile(p -> true)
        .expectComplete()
        .verify(Duration.ofSeconds(30));

    assertThat(threads).isNotEmpty().allMatch(name -> name.startsWith("parallel-"));
    assertThat(Schedulers.isNonBlockingThread(Thread.currentThread())).isFalse();
    assertThat(VadOutput.audio(out)).isEqualTo(pcm);
    assertThat(VadOutput.segments(out)).isEqualTo(reference);
  }

  private static byte[] upsample(byte[] pcm, int from, int to) {
    Resampler resampler = new Resampler(from, to);
    byte[] body = resampler.process(ByteBuffer.wrap(pcm));
    byte[] tail = resampler.flush();
    byte[] out = new byte[body.length + tail.length];
    System.arraycopy(body, 0, out, 0, body.length);
    System.arraycopy(tail, 0, out, body.length, tail.length);
    return out;
  }
}
