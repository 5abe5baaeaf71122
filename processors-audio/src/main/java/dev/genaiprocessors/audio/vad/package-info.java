/**
 * Voice activity detection: {@link dev.genaiprocessors.audio.vad.Vad} turns an audio stream into the
 * same audio plus start- and end-of-speech parts, with an {@link
 * dev.genaiprocessors.audio.vad.EnergySpeechDetector} (no dependencies) or, on the optional ONNX Runtime,
 * a {@link dev.genaiprocessors.audio.vad.SileroSpeechDetector} (Silero VAD v5, shipped in the jar).
 * {@link dev.genaiprocessors.audio.vad.LocalOnnxRuntime} is where the project starts ONNX Runtime, for
 * Silero and for the offline responder's model: offline only, with no usage telemetry.
 */
@NullMarked
package dev.genaiprocessors.audio.vad;

import org.jspecify.annotations.NullMarked;
