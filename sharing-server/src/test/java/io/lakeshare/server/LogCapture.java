package io.lakeshare.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the formatted messages logged while it is open, optionally opening one logger to a lower
 * level than the tests' default (ERROR); closing removes both again.
 */
public final class LogCapture implements AutoCloseable {
  /** The messages logged so far, in order. */
  public final List<String> lines = new CopyOnWriteArrayList<>();

  private final AbstractAppender appender;
  private final String logger;

  private LogCapture(String logger, Level level) {
    this.logger = logger;
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    appender =
        new AbstractAppender(
            "capture-" + System.identityHashCode(this), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
          }
        };
    appender.start();
    ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    if (logger != null) {
      ctx.getConfiguration().addLogger(logger, new LoggerConfig(logger, level, true));
    }
    ctx.updateLoggers();
  }

  /** Captures what reaches the root logger at the default levels. */
  public static LogCapture start() {
    return new LogCapture(null, null);
  }

  /** Captures, with {@code logger} (a class or package name) logging from {@code level} on. */
  public static LogCapture start(String logger, Level level) {
    return new LogCapture(logger, level);
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
    if (logger != null) {
      ctx.getConfiguration().removeLogger(logger);
    }
    ctx.updateLoggers();
    appender.stop();
  }
}
