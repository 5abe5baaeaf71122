/**
 * Devices and stand-ins for them at the edges of a pipeline: recording from a microphone ({@link
 * dev.genaiprocessors.audio.device.Microphone}), playing on a speaker ({@link
 * dev.genaiprocessors.audio.device.Speaker}), capturing the screen ({@link
 * dev.genaiprocessors.audio.device.ScreenCapture}) and playing image files as a camera would ({@link
 * dev.genaiprocessors.audio.device.ImageSource}).
 *
 * <p>Device I/O blocks, so it runs on {@code Schedulers.boundedElastic()}, never on a Reactor parallel
 * thread. Where a device is missing (a container, CI, a headless JVM) the streams fail with a {@link
 * dev.genaiprocessors.audio.device.DeviceUnavailableException} that says what to do; they never wait for
 * one. Sources follow the buffering policies of the project: audio in drops the oldest and counts;
 * video frames are latest-only.
 */
@NullMarked
package dev.genaiprocessors.audio.device;

import org.jspecify.annotations.NullMarked;
