package dev.genaiprocessors.audio.device;

import java.io.IOException;

/**
 * A device that a source or sink needs is not there or cannot be opened: no microphone, no speaker,
 * no display (a headless JVM), or a device held by another program. The message names the device,
 * says what was found, and how to list the devices or work without one.
 *
 * <p>It is an {@link IOException}: an absent device is a condition of the machine, not a programming
 * error, and a caller may recover from it (fall back to a file, run without audio). {@link Microphone},
 * {@link Speaker} and {@link ScreenCapture} fail their stream with it when subscribed (or, for the
 * speaker, when the first audio arrives); none of them waits for a device to appear.
 */
public final class DeviceUnavailableException extends IOException {

  DeviceUnavailableException(String message) {
    super(message);
  }

  DeviceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
