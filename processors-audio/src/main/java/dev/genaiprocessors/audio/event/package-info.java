/**
 * Event detection over streams of images, audio and text: {@link
 * dev.genaiprocessors.audio.event.EventDetection} asks a backend what it sees in the latest parts and
 * emits parts when the answer moves through a table of transitions; several named detectors can
 * share one stream.
 */
@NullMarked
package dev.genaiprocessors.audio.event;

import org.jspecify.annotations.NullMarked;
