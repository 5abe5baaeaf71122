/**
 * Audio for pipelines: 16-bit little-endian mono PCM as the working format ({@link
 * dev.genaiprocessors.audio.Pcm}), WAV files ({@link dev.genaiprocessors.audio.Wav}), band-limited
 * streaming resampling ({@link dev.genaiprocessors.audio.Resampler}, {@link
 * dev.genaiprocessors.audio.Resample}), joining streamed audio into WAV parts ({@link
 * dev.genaiprocessors.audio.AudioToWav}) and releasing audio at playback speed ({@link
 * dev.genaiprocessors.audio.AudioRateLimiter}).
 *
 * <p>Sub-packages: {@code .vad} (voice activity detection, energy or Silero), {@code .event} (event
 * detection over image streams), {@code .device} (microphone, speaker, image and screen sources).
 *
 * <p>Streaming audio parts are {@code audio/pcm;rate=N} (or {@code audio/l16;rate=N}, which
 * providers use for the same little-endian samples); every class here reads and writes that format.
 */
@NullMarked
package dev.genaiprocessors.audio;

import org.jspecify.annotations.NullMarked;
