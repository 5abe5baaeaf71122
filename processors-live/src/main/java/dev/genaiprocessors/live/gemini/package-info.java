/**
 * The Gemini API, turn-based: {@link dev.genaiprocessors.live.gemini.GeminiModel} streams
 * {@code streamGenerateContent} answers as parts, and {@link dev.genaiprocessors.live.gemini.GeminiApiEmulator}
 * is a scriptable loopback server that speaks the same wire format, for tests and offline examples.
 * The Live API is in {@code dev.genaiprocessors.live.geminilive}.
 */
@NullMarked
package dev.genaiprocessors.live.gemini;

import org.jspecify.annotations.NullMarked;
