/**
 * Audio for tests: deterministic signals ({@link dev.genaiprocessors.testkit.audio.TestSignals tones,
 * silence, seeded noise, chirps, speech-like sound}) as 16-bit little-endian PCM or audio parts, and
 * {@link dev.genaiprocessors.testkit.audio.AudioMeasures measurements} of such audio. Pure Java; no
 * audio device, model or network.
 */
@NullMarked
package dev.genaiprocessors.testkit.audio;

import org.jspecify.annotations.NullMarked;
