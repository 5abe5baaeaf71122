/**
 * Serve real users: a WebSocket server on Reactor Netty where each connection is one conversation
 * run through the application's {@link dev.genaiprocessors.core.Processor}, for browsers and for
 * phone calls arriving as Twilio Media Streams.
 */
@NullMarked
package dev.genaiprocessors.server;

import org.jspecify.annotations.NullMarked;
