/**
 * Phone calls as Twilio Media Streams: the protocol's messages ({@link
 * dev.genaiprocessors.server.twilio.TwilioEvent} in, {@link dev.genaiprocessors.server.twilio.TwilioWire}
 * out), and one call's conversion between those messages and parts ({@link
 * dev.genaiprocessors.server.twilio.TwilioCall}): base64 μ-law at 8 kHz to and from PCM, {@code clear} on
 * an interruption, and marks that tell which audio the caller heard.
 */
@NullMarked
package dev.genaiprocessors.server.twilio;

import org.jspecify.annotations.NullMarked;
