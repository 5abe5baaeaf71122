/**
 * OpenAI Realtime (GA) as a {@link dev.genaiprocessors.live.LiveProcessor}: {@link
 * dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor}, its builder, and the parts it adds
 * ({@link dev.genaiprocessors.openai.realtime.RealtimeParts}, {@link
 * dev.genaiprocessors.openai.realtime.OutOfBandResponse}, {@link dev.genaiprocessors.openai.realtime.HeardAudio}).
 */
@NullMarked
package dev.genaiprocessors.openai.realtime;

import org.jspecify.annotations.NullMarked;
