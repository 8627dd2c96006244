package io.vivace.storage.object;

import java.io.IOException;
import java.util.List;

/**
 * A flat key space of immutable objects, as S3 offers it. Keys are {@code /}-separated paths such
 * as {@code single-tenant/<block-id>/meta.json}.
 *
 * <p>Semantics every implementation keeps (checked by the contract test suite):
 * <ul>
 *   <li>{@link #write} is atomic: a reader sees the whole new object or nothing (no partial object),
 *       and once it returns the object is durable.</li>
 *   <li>{@link #list} returns keys in lexicographic (UTF-8 byte) order.</li>
 *   <li>Reading a missing key throws {@link ObjectNotFoundException}; deleting one is a no-op.</li>
 * </ul>
 */
public interface ObjectStore extends AutoCloseable {
    /** Every key that starts with {@code prefix}, sorted. */
    List<String> list(String prefix) throws IOException;

    /**
     * The distinct next path segments below {@code prefix} (which ends in {@code /} or is empty),
     * like an S3 listing with delimiter {@code /}: for keys {@code a/x/1}, {@code a/y/2} and prefix
     * {@code a/} it returns {@code x}, {@code y}. Sorted.
     */
    List<String> listChildren(String prefix) throws IOException;

    /** The whole object. */
    byte[] read(String key) throws IOException;

    /** {@code length} bytes at {@code offset}; fails if the range runs past the end. */
    byte[] readRange(String key, long offset, int length) throws IOException;

    /** The object's size in bytes. */
    long size(String key) throws IOException;

    /** Writes {@code data} under {@code key}, replacing any object there; atomic and durable. */
    void write(String key, byte[] data) throws IOException;

    /** Deletes {@code key} if present. */
    void delete(String key) throws IOException;

    @Override
    default void close() throws IOException {}
}
