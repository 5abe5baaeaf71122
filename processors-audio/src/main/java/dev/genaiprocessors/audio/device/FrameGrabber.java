package dev.genaiprocessors.audio.device;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** Takes one picture of something (the screen, a fake in tests); may block. */
@FunctionalInterface
interface FrameGrabber {

  BufferedImage grab() throws IOException;

  /** Makes a grabber for one subscription; {@link DeviceUnavailableException} when there is nothing to grab. */
  @FunctionalInterface
  interface Opener {
    FrameGrabber open() throws IOException;
  }
}
