package dev.genaiprocessors.audio.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ImageSourceTest {

  @TempDir Path dir;

  private Path a;
  private Path b;
  private Path c;

  /** Writes a small image of one colour in this format ("png" or "jpg"). */
  static Path image(Path file, String format, Color color) throws IOException {
    BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.setRGB(x, y, color.getRGB());
      }
    }
    assertThat(ImageIO.write(image, format, file.toFile())).as("ImageIO wrote " + format).isTrue();
    return file;
  }

  @BeforeEach
  void images() throws IOException {
    b = image(dir.resolve("b.png"), "png", Color.GREEN);
    a = image(dir.resolve("a.png"), "png", Color.RED);
    c = image(dir.resolve("c.JPG"), "jpg", Color.BLUE);
    Files.writeString(dir.resolve("notes.txt"), "not an image");
    Files.createDirectory(dir.resolve("d.png")); // a folder, not an image
  }

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static void isFrameOf(Part frame, Path file, String mimeType, long captureMillis) {
    try {
      assertThat(frame.bytes()).isEqualTo(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(frame.mimeType()).isEqualTo(mimeType);
    assertThat(frame.role()).isEqualTo("user");
    assertThat(frame.substream()).isEqualTo("realtime");
    assertThat(frame.metadata(PartMetadata.CAPTURE_TIME)).isEqualTo(captureMillis);
  }

  @Test
  void aFolderPlaysItsImagesSortedByNameAtTheFrameRateThenCompletes() {
    StepVerifier.withVirtualTime(
            () -> ImageSource.builder().folder(dir).frameRate(2).build().frames())
        .expectSubscription()
        .assertNext(f -> isFrameOf(f, a, "image/png", 0))
        .expectNoEvent(Duration.ofMillis(499))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(f -> isFrameOf(f, b, "image/png", 500))
        .expectNoEvent(Duration.ofMillis(499))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(f -> isFrameOf(f, c, "image/jpeg", 1000))
        .verifyComplete();
  }

  @Test
  void filesPlayInTheOrderGivenAndLoopWhenAsked() {
    StepVerifier.withVirtualTime(
            () -> ImageSource.builder().files(c, a).loop(true).substream("camera").build().frames())
        .expectSubscription()
        .assertNext(f -> assertThat(f.mimeType()).isEqualTo("image/jpeg"))
        .expectNoEvent(Duration.ofMillis(999))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(f -> assertThat(f.mimeType()).isEqualTo("image/png"))
        .thenAwait(Duration.ofSeconds(1))
        .assertNext(
            f -> {
              assertThat(f.mimeType()).isEqualTo("image/jpeg");
              assertThat(f.substream()).isEqualTo("camera");
              assertThat(f.metadata(PartMetadata.CAPTURE_TIME)).isEqualTo(2000L);
            })
        .thenAwait(Duration.ofSeconds(1))
        .assertNext(f -> assertThat(f.mimeType()).isEqualTo("image/png"))
        .thenCancel()
        .verify();
  }

  @Test
  void aMissingFolderIsAClearError() {
    StepVerifier.create(ImageSource.builder().folder(dir.resolve("nowhere")).build().frames())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("nowhere")
                    .hasMessageContaining("image folder does not exist"))
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(ImageSource.builder().folder(a).build().frames())
        .expectError(NotDirectoryException.class)
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void aFolderWithoutImagesIsAClearError() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Files.writeString(empty.resolve("readme.md"), "no images here");
    StepVerifier.create(ImageSource.builder().folder(empty).build().frames())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("no .jpg, .jpeg or .png images"))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void aMissingFileFailsWhenItsFrameIsDue() {
    StepVerifier.withVirtualTime(
            () -> ImageSource.builder().files(a, dir.resolve("gone.png")).build().frames())
        .expectSubscription()
        .expectNextCount(1)
        .thenAwait(Duration.ofSeconds(1))
        .expectError(NoSuchFileException.class)
        .verify();
  }

  @Test
  void settingsAreCheckedWhenGiven() {
    ImageSource.Builder builder = ImageSource.builder();
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("folder(");
    assertThatThrownBy(() -> builder.files(dir.resolve("x.gif")))
        .hasMessageContaining("not a .jpg, .jpeg or .png");
    assertThatThrownBy(() -> builder.files(java.util.List.of()))
        .hasMessageContaining("no image files");
    assertThatThrownBy(() -> builder.frameRate(0)).hasMessageContaining("frameRate");
    assertThatThrownBy(() -> builder.frameRate(Double.NaN)).hasMessageContaining("frameRate");
    assertThat(ImageSource.mimeType(Path.of("photo.JPEG"))).contains("image/jpeg");
  }
}
