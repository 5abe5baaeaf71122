package dev.genaiprocessors.audio.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ScreenCaptureTest {

  private final AtomicInteger grabs = new AtomicInteger();

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  /** A fake screen: 32x24 with transparency (which JPEG cannot hold), counting its grabs. */
  private FrameGrabber fakeScreen() {
    return () -> {
      grabs.incrementAndGet();
      BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_ARGB);
      image.setRGB(1, 1, new Color(10, 200, 30, 128).getRGB());
      return image;
    };
  }

  /** Grabs run on the virtual clock's thread, so each grab happens exactly at its tick. */
  private ScreenCapture.Builder onVirtualTime() {
    return ScreenCapture.builder().opener(this::fakeScreen).grabScheduler(Schedulers.immediate());
  }

  private static BufferedImage decode(Part frame) {
    try {
      return ImageIO.read(new ByteArrayInputStream(frame.bytes()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void inAHeadlessJvmSubscribingFailsWithAClearError() {
    assumeTrue(GraphicsEnvironment.isHeadless(), "this JVM has a display");
    StepVerifier.create(ScreenCapture.builder().build().frames())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(DeviceUnavailableException.class)
                    .hasMessageContaining("No display")
                    .hasMessageContaining("headless"))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void framesAreJpegsGrabbedAtTheFrameRate() {
    StepVerifier.withVirtualTime(() -> onVirtualTime().frameRate(2).build().frames().take(3))
        .assertNext(
            f -> {
              assertThat(f.mimeType()).isEqualTo("image/jpeg");
              assertThat(f.role()).isEqualTo("user");
              assertThat(f.substream()).isEqualTo("realtime");
              assertThat(f.metadata(PartMetadata.CAPTURE_TIME)).isEqualTo(0L);
              BufferedImage image = decode(f);
              assertThat(image.getWidth()).isEqualTo(32);
              assertThat(image.getHeight()).isEqualTo(24);
            })
        .expectNoEvent(Duration.ofMillis(499))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(f -> assertThat(f.metadata(PartMetadata.CAPTURE_TIME)).isEqualTo(500L))
        .thenAwait(Duration.ofMillis(500))
        .assertNext(f -> assertThat(f.metadata(PartMetadata.CAPTURE_TIME)).isEqualTo(1000L))
        .verifyComplete();
  }

  @Test
  void aSlowConsumerGetsTheLatestFrameNeverAQueueOfStaleOnes() {
    StepVerifier.withVirtualTime(() -> onVirtualTime().build().frames(), 0)
        .expectSubscription()
        .thenRequest(1)
        .assertNext(f -> assertThat(f.metadata(PartMetadata.CAPTURE_TIME)).isEqualTo(0L))
        .thenAwait(Duration.ofSeconds(5))
        .thenRequest(1)
        .assertNext(f -> assertThat(f.metadata(PartMetadata.CAPTURE_TIME)).isEqualTo(5000L))
        .thenRequest(1)
        .expectNoEvent(Duration.ofMillis(999))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(f -> assertThat(f.metadata(PartMetadata.CAPTURE_TIME)).isEqualTo(6000L))
        .thenCancel()
        .verify();
    assertThat(grabs).hasValue(7);
  }

  @Test
  void aFailedGrabFailsTheStream() {
    IOException gone = new IOException("display went away");
    StepVerifier.withVirtualTime(
            () ->
                ScreenCapture.builder()
                    .grabScheduler(Schedulers.immediate())
                    .opener(
                        () ->
                            () -> {
                              throw gone;
                            })
                    .build()
                    .frames())
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(gone))
        .verify();
  }

  @Test
  void settingsAreCheckedWhenGiven() {
    ScreenCapture.Builder builder = ScreenCapture.builder();
    assertThatThrownBy(() -> builder.frameRate(0)).hasMessageContaining("frameRate");
    assertThatThrownBy(() -> builder.frameRate(61)).hasMessageContaining("at most 60");
    assertThatThrownBy(() -> builder.quality(1.5f)).hasMessageContaining("quality");
    assertThatThrownBy(() -> builder.region(new Rectangle(0, 0, 0, 10)))
        .hasMessageContaining("region");
  }
}
