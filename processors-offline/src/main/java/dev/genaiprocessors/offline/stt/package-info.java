/**
 * Speech to text with no network and no key: {@link dev.genaiprocessors.offline.stt.SpeechToText}, a
 * processor that cuts audio into utterances on a VAD's start- and end-of-speech parts and transcribes
 * them with a {@link dev.genaiprocessors.audio.speech.SpeechRecognizer}; {@link
 * dev.genaiprocessors.offline.stt.SphinxRecognizer} is the engine here (CMU Sphinx4, pure Java): exact
 * on a given list of phrases, demo quality on open speech. With a key, {@code GeminiSpeechRecognizer} (processors-gemini) transcribes with a Gemini model instead,
 * through the same interface.
 *
 * <pre>{@code
 * Processor listen = Vad.builder().build()
 *     .then(SpeechToText.builder(SphinxRecognizer.grammar(phrases)).build());
 * }</pre>
 */
@NullMarked
package dev.genaiprocessors.offline.stt;

import org.jspecify.annotations.NullMarked;
