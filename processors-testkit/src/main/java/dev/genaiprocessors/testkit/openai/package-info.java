/**
 * A loopback emulator of the OpenAI Realtime API (GA shape) for tests:
 * {@link dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator} speaks the wire protocol on 127.0.0.1 and
 * plays a {@link dev.genaiprocessors.testkit.openai.Script} of {@link dev.genaiprocessors.testkit.openai.Step steps},
 * each waiting for a client event and then playing {@link dev.genaiprocessors.testkit.openai.Reply replies} and
 * {@link dev.genaiprocessors.testkit.openai.Fault faults}. Written from the protocol's documentation only: it shares
 * no code with any client it tests.
 */
@NullMarked
package dev.genaiprocessors.testkit.openai;

import org.jspecify.annotations.NullMarked;
