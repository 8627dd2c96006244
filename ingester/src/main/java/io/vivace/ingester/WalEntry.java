package io.vivace.ingester;

import java.util.Objects;

/**
 * One entry of the {@link RocksDbWal}, as replay hands it out.
 *
 * @param sequence the entry's sequence number; entries replay in increasing order
 * @param tenant the tenant that pushed the spans
 * @param tracesData the spans in OTLP {@code TracesData} wire form, exactly as appended
 */
public record WalEntry(long sequence, String tenant, byte[] tracesData) {
    /** Checks the components. */
    public WalEntry {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(tracesData, "tracesData");
    }
}
