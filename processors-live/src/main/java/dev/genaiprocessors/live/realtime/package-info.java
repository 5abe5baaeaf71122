/**
 * {@link dev.genaiprocessors.live.realtime.RealtimeVoice}: one object for a real-time voice conversation
 * with whichever live provider is on the classpath and configured, with callbacks or a stream of
 * {@link dev.genaiprocessors.live.realtime.RealtimeEvent}s; and the
 * {@link dev.genaiprocessors.live.realtime.RealtimeProvider} service through which provider modules
 * register themselves.
 */
@NullMarked
package dev.genaiprocessors.live.realtime;

import org.jspecify.annotations.NullMarked;
