/**
 * The caller's side of Twilio Media Streams, for testing a phone agent: {@link
 * dev.genaiprocessors.testkit.twilio.TwilioCaller} connects to a server as Twilio does, speaks a WAV as
 * μ-law at 8 kHz in 20 ms frames, plays what it is sent at the speed a phone would (sending marks back as
 * their audio plays, and all of them at once on a {@code clear}), and records the call in a {@link
 * dev.genaiprocessors.testkit.twilio.TwilioCallRecord}. Written from Twilio's "Media Streams - WebSocket
 * Messages" page; it shares no code with the server it tests.
 */
@NullMarked
package dev.genaiprocessors.testkit.twilio;

import org.jspecify.annotations.NullMarked;
