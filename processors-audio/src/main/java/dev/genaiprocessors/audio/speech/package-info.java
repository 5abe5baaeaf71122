/**
 * The engine interfaces of speech to text and text to speech,
 * {@link dev.genaiprocessors.audio.speech.SpeechRecognizer} and
 * {@link dev.genaiprocessors.audio.speech.SpeechSynthesizer}, shared by the local engines (processors-offline)
 * and the cloud ones (processors-gemini), and {@link dev.genaiprocessors.audio.speech.SpeechMetadata} for the
 * keys they put on parts.
 */
@NullMarked
package dev.genaiprocessors.audio.speech;

import org.jspecify.annotations.NullMarked;
