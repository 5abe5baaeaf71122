package dev.genaiprocessors.server;

import dev.genaiprocessors.core.Processor;

/**
 * Makes the pipeline of each conversation: the application's {@link Processor}, which gets the client's
 * parts (decoded by the connection's codec) and whose output goes back to the client. It is subscribed
 * once, when the connection opens, and cancelled when the connection closes.
 *
 * <p>Called on the event loop: it must not block (a processor that loads models should do so when
 * subscribed, on a scheduler meant for blocking work).
 */
@FunctionalInterface
public interface ConversationFactory {

  /**
   * The pipeline of a new conversation.
   *
   * @param connection the connection
   * @param codec the connection's codec (a phone codec may offer a playback listener, for example)
   * @return a processor for this conversation only
   */
  Processor create(ConnectionInfo connection, ConnectionCodec codec);

  /**
   * One processor shared by every conversation: right when each subscription to it is its own
   * conversation (as for every {@code LiveProcessor}).
   *
   * @param processor the processor
   * @return a factory that always gives it
   */
  static ConversationFactory of(Processor processor) {
    return (connection, codec) -> processor;
  }
}
