package dev.genaiprocessors.offline.stt;

import edu.cmu.sphinx.util.SphinxLogFormatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Sphinx4 quiet: its components log through java.util.logging, at INFO and to the console,
 * several lines per utterance. Sphinx4 gives its loggers a console handler unless one of theirs already
 * has a {@link SphinxLogFormatter}; this installs such a handler, which forwards to SLF4J instead
 * (logger {@code edu.cmu.sphinx...}): SEVERE as WARN, WARNING as DEBUG (mostly notes about its own
 * models), everything else as TRACE.
 */
final class SphinxLogging {

  /**
   * The parent of Sphinx4's loggers: it names them after the configuration file, here Sphinx4's default
   * {@code default.config.xml}. Held strongly so that java.util.logging keeps the handler.
   */
  private static final java.util.logging.Logger SPHINX =
      java.util.logging.Logger.getLogger("default.config");

  private static final String PREFIX = "default.config.";
  private static final Logger log = LoggerFactory.getLogger("edu.cmu.sphinx");
  private static boolean installed;

  private SphinxLogging() {}

  /** Installs the bridge, once per JVM; call before making a Sphinx4 recognizer. */
  static synchronized void install() {
    if (!installed) {
      installed = true;
      Handler bridge = new Slf4jBridge();
      bridge.setFormatter(new SphinxLogFormatter());
      SPHINX.addHandler(bridge);
      SPHINX.setUseParentHandlers(false);
    }
    quiet();
  }

  /**
   * Lowers the level Sphinx4 sets (INFO) on every new recognizer to what SLF4J wants, so that records
   * nobody reads are not even made; call after making a recognizer.
   */
  static void quiet() {
    SPHINX.setLevel(
        log.isTraceEnabled() ? Level.ALL : log.isDebugEnabled() ? Level.WARNING : Level.SEVERE);
  }

  /** Forwards java.util.logging records to SLF4J. */
  private static final class Slf4jBridge extends Handler {
    @Override
    public void publish(LogRecord record) {
      String name = record.getLoggerName();
      Logger target =
          LoggerFactory.getLogger(
              name != null && name.startsWith(PREFIX)
                  ? name.substring(PREFIX.length())
                  : "edu.cmu.sphinx");
      int level = record.getLevel().intValue();
      if (level >= Level.SEVERE.intValue()) {
        if (target.isWarnEnabled()) {
          target.warn(getFormatter().formatMessage(record), record.getThrown());
        }
      } else if (level >= Level.WARNING.intValue()) {
        if (target.isDebugEnabled()) {
          target.debug(getFormatter().formatMessage(record), record.getThrown());
        }
      } else if (target.isTraceEnabled()) {
        target.trace(getFormatter().formatMessage(record), record.getThrown());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
