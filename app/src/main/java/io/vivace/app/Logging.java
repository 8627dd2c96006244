package io.vivace.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * Structured logs, one line per event, quiet by default: our own loggers at the configured level,
 * libraries (Armeria, Netty, RocksDB, Arrow) at WARN.
 */
final class Logging {
    private Logging() {}

    static void configure(String level, String format) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Encoder<ILoggingEvent> encoder;
        if ("json".equals(format)) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(ctx);
            json.start();
            encoder = json;
        } else {
            PatternLayoutEncoder p = new PatternLayoutEncoder();
            p.setContext(ctx);
            p.setPattern("ts=%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} level=%level{} component=%logger{0} %msg%n%ex{short}");
            p.start();
            encoder = p;
        }
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setName("stderr");
        out.setTarget("System.err");
        out.setEncoder(encoder);
        out.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(out);
        ctx.getLogger("io.vivace").setLevel(Level.toLevel(level, Level.INFO));
    }
}
