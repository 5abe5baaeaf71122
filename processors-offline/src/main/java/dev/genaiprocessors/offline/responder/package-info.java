/**
 * A stand-in for a language model that runs with no network and no key: {@link
 * dev.genaiprocessors.offline.responder.OfflineResponder} matches a user turn to a small table of
 * intents ({@link dev.genaiprocessors.offline.responder.IntentTable}) with the all-MiniLM-L6-v2
 * embedding model and streams a canned reply word by word. It is not a language model, and its output
 * says so. For a real local language model, point the project's {@code OpenAiChatModel} at a local
 * server that speaks the OpenAI chat API (Ollama, llama.cpp's {@code llama-server}).
 */
@NullMarked
package dev.genaiprocessors.offline.responder;

import org.jspecify.annotations.NullMarked;
