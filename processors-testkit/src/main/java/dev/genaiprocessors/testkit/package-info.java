/**
 * What a user's tests need: loopback emulators of the providers' APIs (in
 * {@code dev.genaiprocessors.testkit.gemini} and {@code dev.genaiprocessors.testkit.openai}), the
 * {@link dev.genaiprocessors.testkit.ScriptedResponse scripted replies} and
 * {@link dev.genaiprocessors.testkit.RecordedRequest recorded requests} of the HTTP emulators. Use this
 * module in test scope. Every emulator is written from the provider's protocol documentation and shares no
 * wire code with the clients it tests, so that it can catch their mistakes.
 */
@NullMarked
package dev.genaiprocessors.testkit;

import org.jspecify.annotations.NullMarked;
