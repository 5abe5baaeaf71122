package dev.genaiprocessors.audio.device;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes images as JPEG in memory with a chosen quality, never through ImageIO's temporary files.
 * CPU-bound; thread-safe (a writer per call).
 */
final class JpegEncoder {

  private final float quality;

  /** @param quality 0 (smallest) to 1 (best) */
  JpegEncoder(float quality) {
    if (!(quality >= 0f && quality <= 1f)) {
      throw new IllegalArgumentException("JPEG quality must be 0 to 1, was " + quality);
    }
    this.quality = quality;
  }

  byte[] encode(BufferedImage image) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IOException("this JVM has no JPEG encoder (javax.imageio)");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(rgb(image), null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** JPEG has no alpha: other image types are drawn onto an RGB image first. */
  private static BufferedImage rgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        || image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return image;
    }
    BufferedImage copy =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = copy.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return copy;
  }
}
