/**
 * For internal use only: the machinery the model clients and emulators share (API keys, server-sent
 * events, the streamed call with its retries, the scripted loopback server). It can change or be
 * removed at any time.
 */
@NullMarked
package dev.genaiprocessors.live.internal;

import org.jspecify.annotations.NullMarked;
