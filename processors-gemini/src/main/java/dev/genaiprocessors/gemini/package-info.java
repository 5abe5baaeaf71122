/**
 * The Gemini API, turn-based: {@link dev.genaiprocessors.gemini.GeminiModel} streams
 * {@code streamGenerateContent} answers as parts, and {@code GeminiApiEmulator} (processors-testkit)
 * is a scriptable loopback server that speaks the same wire format, for tests and offline examples.
 * The Live API is in {@code dev.genaiprocessors.gemini.live}.
 */
@NullMarked
package dev.genaiprocessors.gemini;

import org.jspecify.annotations.NullMarked;
