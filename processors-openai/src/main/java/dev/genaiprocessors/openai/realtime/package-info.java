/**
 * OpenAI Realtime (GA) as a {@link dev.genaiprocessors.live.LiveProcessor}: {@link
 * dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor}, its builder, and the parts it adds
 * ({@link dev.genaiprocessors.openai.realtime.RealtimeParts}). Out-of-band responses and barge-in truncation
 * use the provider-neutral {@link dev.genaiprocessors.live.OutOfBandRequest} and {@link
 * dev.genaiprocessors.live.HeardAudio}.
 */
@NullMarked
package dev.genaiprocessors.openai.realtime;

import org.jspecify.annotations.NullMarked;
