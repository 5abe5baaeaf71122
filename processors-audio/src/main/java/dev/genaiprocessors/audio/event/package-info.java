/**
 * Event detection over image streams: {@link dev.genaiprocessors.audio.event.EventDetection} asks a
 * backend what it sees in the latest frames and emits parts when the answer moves through a table of
 * transitions.
 */
@NullMarked
package dev.genaiprocessors.audio.event;

import org.jspecify.annotations.NullMarked;
