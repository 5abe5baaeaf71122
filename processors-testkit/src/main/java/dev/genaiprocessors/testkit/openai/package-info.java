/**
 * Loopback emulators of OpenAI's APIs: {@link dev.genaiprocessors.testkit.openai.OpenAiApiEmulator} serves the
 * Chat Completions API (streamed), for tests and offline examples.
 */
@NullMarked
package dev.genaiprocessors.testkit.openai;

import org.jspecify.annotations.NullMarked;
