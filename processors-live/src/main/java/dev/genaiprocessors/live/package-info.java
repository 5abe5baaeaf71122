/**
 * Models, turn-based and live: clients of model APIs, {@link dev.genaiprocessors.live.LiveModelProcessor}
 * (any turn-based model made live over a {@link dev.genaiprocessors.live.RollingPrompt}), and local
 * emulators of the APIs for tests and offline examples.
 */
@NullMarked
package dev.genaiprocessors.live;

import org.jspecify.annotations.NullMarked;
