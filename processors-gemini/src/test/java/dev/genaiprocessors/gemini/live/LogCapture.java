package dev.genaiprocessors.gemini.live;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what a logger and its children log, at a given level, until closed. */
final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level before;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture(String name, Level level) {
    logger = (Logger) LoggerFactory.getLogger(name);
    before = logger.getLevel();
    logger.setLevel(level);
    appender.start();
    logger.addAppender(appender);
  }

  /** Every captured line: its level, formatted message and the messages of its throwable chain. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      StringBuilder line = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
      }
      lines.add(line.toString());
    }
    return lines;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(before);
  }
}
