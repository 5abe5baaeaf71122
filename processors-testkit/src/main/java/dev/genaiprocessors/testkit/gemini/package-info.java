/**
 * Local emulators of live model APIs, for tests and offline examples:
 * {@link dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator} speaks the Gemini Live wire protocol on
 * 127.0.0.1 and plays a {@link dev.genaiprocessors.testkit.gemini.Script} of
 * {@link dev.genaiprocessors.testkit.gemini.Reply replies} and {@link dev.genaiprocessors.testkit.gemini.Fault faults}.
 */
@NullMarked
package dev.genaiprocessors.testkit.gemini;

import org.jspecify.annotations.NullMarked;
