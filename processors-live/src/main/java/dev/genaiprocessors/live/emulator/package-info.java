/**
 * Local emulators of live model APIs, for tests and offline examples:
 * {@link dev.genaiprocessors.live.emulator.GeminiLiveEmulator} speaks the Gemini Live wire protocol on
 * 127.0.0.1 and plays a {@link dev.genaiprocessors.live.emulator.Script} of
 * {@link dev.genaiprocessors.live.emulator.Reply replies} and {@link dev.genaiprocessors.live.emulator.Fault faults}.
 */
@NullMarked
package dev.genaiprocessors.live.emulator;

import org.jspecify.annotations.NullMarked;
