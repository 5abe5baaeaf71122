/**
 * Loopback emulators of OpenAI's APIs, for tests and offline examples, written from the protocols'
 * documentation only (they share no code with any client they test):
 * {@link dev.genaiprocessors.testkit.openai.OpenAiApiEmulator} serves the Chat Completions API (streamed), and
 * {@link dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator} the Realtime API (GA shape), playing a
 * {@link dev.genaiprocessors.testkit.openai.Script} of {@link dev.genaiprocessors.testkit.openai.Step steps},
 * each waiting for a client event and then playing {@link dev.genaiprocessors.testkit.openai.Reply replies}
 * and {@link dev.genaiprocessors.testkit.openai.Fault faults}.
 */
@NullMarked
package dev.genaiprocessors.testkit.openai;

import org.jspecify.annotations.NullMarked;
