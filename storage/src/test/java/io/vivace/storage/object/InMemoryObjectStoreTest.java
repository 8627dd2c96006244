package io.vivace.storage.object;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryObjectStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }

    @Test
    void countsBytesServed() throws Exception {
        InMemoryObjectStore s = new InMemoryObjectStore();
        s.write("k", new byte[100]);
        s.read("k");
        s.readRange("k", 10, 20);
        assertThat(s.bytesServed()).isEqualTo(120);
    }
}
