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
 *   <li>Keys follow {@link ObjectKeys#validateKey}: non-empty segments, no {@code .} or {@code ..};
 *       an invalid key is an {@link IllegalArgumentException}.</li>
 *   <li>Every method is safe to call from several threads; writers of different keys never see each
 *       other, and a listing never shows an object that is only partly written.</li>
 * </ul>
 */
public interface ObjectStore extends AutoCloseable {
    /**
     * Every key that starts with {@code prefix} (any string, not only whole segments; empty lists
     * everything), sorted in UTF-8 byte order.
     */
    List<String> list(String prefix) throws IOException;

    /**
     * The distinct next path segments below {@code prefix} (which ends in {@code /} or is empty),
     * like an S3 listing with delimiter {@code /}: for keys {@code a/x/1}, {@code a/y/2} and prefix
     * {@code a/} it returns {@code x}, {@code y}. Sorted. Only segments that have keys below them are
     * returned (S3's common prefixes); an object directly at {@code prefix}'s level, such as
     * {@code a/z}, is not a child. A prefix that is neither empty nor ends in {@code /} is an
     * {@link IllegalArgumentException}.
     */
    List<String> listChildren(String prefix) throws IOException;

    /** The whole object. */
    byte[] read(String key) throws IOException;

    /**
     * {@code length} bytes at {@code offset}. A range that runs past the end fails with
     * {@link java.io.EOFException}; a negative offset or length is an {@link IllegalArgumentException};
     * a zero-length range at the end is empty.
     */
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
