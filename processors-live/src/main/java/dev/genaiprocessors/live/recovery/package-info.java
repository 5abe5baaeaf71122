/**
 * Recovery when a live session cannot be resumed: a client-side log of completed turns
 * ({@link dev.genaiprocessors.live.recovery.TurnLog}) and a provider-neutral wrapper that starts a new
 * session seeded from it and tells the user ({@link dev.genaiprocessors.live.recovery.SessionRecovery}).
 */
@NullMarked
package dev.genaiprocessors.live.recovery;

import org.jspecify.annotations.NullMarked;
