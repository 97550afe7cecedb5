package io.lakeshare.server.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lakeshare.server.http.RequestCounter;
import io.lakeshare.server.http.RequestRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.appender.rolling.CompositeTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.DefaultRolloverStrategy;
import org.apache.logging.log4j.core.appender.rolling.SizeBasedTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.TimeBasedTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.action.Action;
import org.apache.logging.log4j.core.appender.rolling.action.DeleteAction;
import org.apache.logging.log4j.core.appender.rolling.action.IfAccumulatedFileCount;
import org.apache.logging.log4j.core.appender.rolling.action.IfFileName;
import org.apache.logging.log4j.core.appender.rolling.action.PathCondition;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * The audit log: one JSON line per request (protocol calls and local file downloads) with who
 * asked, from where, for what, what was answered and how it ended. Never a token, secret or signed
 * URL: the record holds none. Written through Log4j's rolling-file appender, which rolls the file
 * daily and at a size and keeps a bounded number of rolled files; each line is flushed as it is
 * written. {@code spark.read.json} reads the files as they are.
 */
public final class AuditLog implements RequestCounter.Listener, AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_TEXT = 256;

  private final RollingFileAppender appender;

  private AuditLog(RollingFileAppender appender) {
    this.appender = appender;
  }

  /**
   * Opens (appending to) {@code file}; rolled files are named {@code <name>-<day>-<n>.json} beside
   * it, at most {@code maxFiles} of them kept.
   */
  public static AuditLog open(Path file, int maxFileSizeMb, int maxFiles) {
    Path abs = file.toAbsolutePath().normalize();
    String name = abs.getFileName().toString();
    String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    String pattern = abs.resolveSibling(stem + "-%d{yyyy-MM-dd}-%i.json").toString();
    Configuration config = ((LoggerContext) LogManager.getContext(false)).getConfiguration();
    PathCondition[] keep = {
      IfFileName.createNameCondition(
          stem + "-*.json", null, IfAccumulatedFileCount.createFileCountCondition(maxFiles))
    };
    Action delete =
        DeleteAction.createDeleteAction(
            abs.getParent().toString(), false, 1, false, null, keep, null, config);
    RollingFileAppender appender =
        RollingFileAppender.newBuilder()
            .setName("lakeshare-audit-" + abs)
            .withFileName(abs.toString())
            .withFilePattern(pattern)
            .withAppend(true)
            .setImmediateFlush(true)
            .withPolicy(
                CompositeTriggeringPolicy.createPolicy(
                    TimeBasedTriggeringPolicy.newBuilder().build(),
                    SizeBasedTriggeringPolicy.createPolicy(maxFileSizeMb + " MB")))
            .withStrategy(
                DefaultRolloverStrategy.newBuilder()
                    .withMax(Integer.toString(Math.max(maxFiles, 1)))
                    .withCustomActions(new Action[] {delete})
                    .withConfig(config)
                    .build())
            .setLayout(
                PatternLayout.newBuilder()
                    .withPattern("%m%n")
                    .withCharset(StandardCharsets.UTF_8)
                    .withConfiguration(config)
                    .build())
            .setConfiguration(config)
            .build();
    if (appender == null) {
      throw new IllegalStateException("cannot open the audit log " + abs);
    }
    appender.start();
    return new AuditLog(appender);
  }

  @Override
  public void completed(RequestCounter.Completed c) {
    appender.append(
        Log4jLogEvent.newBuilder()
            .setLoggerName("io.lakeshare.audit")
            .setLevel(Level.INFO)
            .setTimeMillis(System.currentTimeMillis())
            .setMessage(new SimpleMessage(line(c)))
            .build());
  }

  /** The JSON line of a completed request. */
  static String line(RequestCounter.Completed c) {
    RequestRecord r = c.record();
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", Instant.ofEpochMilli(r.startMillis()).toString());
      g.writeStringField("requestId", r.id());
      field(g, "recipient", r.recipient());
      field(g, "sourceIp", c.peer());
      field(g, "forwardedFor", c.forwardedFor());
      field(g, "userAgent", c.userAgent());
      g.writeStringField("method", c.method());
      g.writeStringField("endpoint", c.endpoint().substring(c.endpoint().indexOf(' ') + 1));
      field(g, "share", r.share());
      field(g, "schema", r.schema());
      field(g, "table", r.table());
      field(g, "versions", r.versions());
      if (r.tableVersion() != null) {
        g.writeNumberField("tableVersion", r.tableVersion());
      }
      field(g, "responseFormat", r.responseFormat());
      if (r.responseFormat() != null) {
        g.writeNumberField("files", r.files());
        g.writeNumberField("fileBytes", r.fileBytes());
      }
      if (r.bytesSent() >= 0) {
        g.writeNumberField("bytesSent", r.bytesSent());
      }
      g.writeNumberField("status", c.status());
      field(g, "errorCode", r.errorCode());
      if (c.aborted()) {
        g.writeBooleanField("aborted", true);
      }
      g.writeNumberField("durationMs", c.durationNanos() / 1_000_000.0);
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static void field(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) : value);
    }
  }

  @Override
  public void close() {
    appender.stop();
  }
}
