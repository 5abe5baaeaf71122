/**
 * Text to speech with no network and no key: {@link dev.genaiprocessors.offline.tts.TextToSpeech}, a
 * processor that voices streamed text sentence by sentence with a {@link
 * dev.genaiprocessors.audio.speech.SpeechSynthesizer}: {@link
 * dev.genaiprocessors.offline.tts.FreeTtsSynthesizer} (pure Java, always there, the default) or, when
 * installed, flite and espeak-ng through {@link dev.genaiprocessors.offline.tts.ProcessSynthesizer}.
 *
 * <pre>{@code
 * Processor speak = TextToSpeech.builder(FreeTtsSynthesizer.kevin16()).build();
 * }</pre>
 *
 * <p>With a key, {@code GeminiSpeechSynthesizer} (processors-gemini) voices text with a Gemini
 * text-to-speech model instead, through the same interface.
 */
@NullMarked
package dev.genaiprocessors.offline.tts;

import org.jspecify.annotations.NullMarked;
