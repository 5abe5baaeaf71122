/**
 * Audio for pipelines: PCM and WAV, resampling, pacing audio at playback speed, voice activity
 * detection and event detection.
 */
@NullMarked
package dev.genaiprocessors.audio;

import org.jspecify.annotations.NullMarked;
