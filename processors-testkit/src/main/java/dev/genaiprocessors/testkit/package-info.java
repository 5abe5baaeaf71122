/**
 * What a user's tests need: loopback emulators of the providers' APIs (in
 * {@code dev.genaiprocessors.testkit.gemini} and {@code dev.genaiprocessors.testkit.openai}), all of one
 * shape ({@link dev.genaiprocessors.testkit.Emulator}), the
 * {@link dev.genaiprocessors.testkit.ScriptedResponse scripted replies} and
 * {@link dev.genaiprocessors.testkit.RecordedRequest recorded requests} of the HTTP emulators, the JUnit 5
 * {@link dev.genaiprocessors.testkit.EmulatorExtension} that starts an emulator per test and checks its
 * script was used up, a {@link dev.genaiprocessors.testkit.ScriptedModel} for pipelines that take a model
 * processor, and audio generators in {@code dev.genaiprocessors.testkit.audio}. Use this
 * module in test scope. Every emulator is written from the provider's protocol documentation and shares no
 * wire code with the clients it tests, so that it can catch their mistakes.
 */
@NullMarked
package dev.genaiprocessors.testkit;

import org.jspecify.annotations.NullMarked;
