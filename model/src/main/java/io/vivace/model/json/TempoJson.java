package io.vivace.model.json;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.vivace.model.tempopb.Trace;

/**
 * Tempo's API JSON: protobuf JSON with proto field names in lowerCamel, bytes as standard base64,
 * enums by name, 64-bit integers as strings, zero values omitted.
 */
public final class TempoJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private TempoJson() {}

    /** Prints {@code message} as Tempo's API JSON. */
    public static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * The v1 trace-by-ID JSON: the trace JSON with its top-level {@code resourceSpans} key renamed to
     * {@code batches}.
     */
    public static String traceV1(Trace trace) {
        String json = print(trace);
        // The printer writes the only field of Trace first, so the key can only be at the very start;
        // matching there (not the first occurrence anywhere) keeps span text like "resourceSpans" intact.
        String key = "{\"resourceSpans\":";
        return json.startsWith(key) ? "{\"batches\":" + json.substring(key.length()) : json;
    }
}
