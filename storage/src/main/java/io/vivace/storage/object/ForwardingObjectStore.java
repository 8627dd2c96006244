package io.vivace.storage.object;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * An {@link ObjectStore} that passes every call to another one; subclasses override what they watch
 * or change (a cache, request counting in tools and tests, injected failures).
 */
public abstract class ForwardingObjectStore implements ObjectStore {
    /** The store calls go to. */
    protected final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public List<String> listChildren(String prefix) throws IOException {
        return delegate.listChildren(prefix);
    }

    @Override
    public byte[] read(String key) throws IOException {
        return delegate.read(key);
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        return delegate.readRange(key, offset, length);
    }

    @Override
    public long size(String key) throws IOException {
        return delegate.size(key);
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        delegate.write(key, data);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
