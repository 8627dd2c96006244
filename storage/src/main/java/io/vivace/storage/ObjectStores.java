package io.vivace.storage;

import io.vivace.storage.object.CachingObjectStore;
import io.vivace.storage.object.LocalObjectStore;
import io.vivace.storage.object.ObjectStore;
import io.vivace.storage.object.S3ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** Opens the object store that {@code storage.trace.backend} names. */
public final class ObjectStores {
    private ObjectStores() {}

    /**
     * The block store's object store: a {@link LocalObjectStore} under {@code storage.trace.local.path}
     * for backend {@code local}, an {@link S3ObjectStore} on {@code storage.trace.s3} for {@code s3}
 * (behind a {@link CachingObjectStore} unless {@code cache_size_bytes} is 0).
     * The configuration is expected to be {@linkplain StorageConfig#validate() valid}.
     *
     * @throws IOException when the store cannot be used (directory not writable, bucket missing,
     *     access denied, endpoint unreachable), the message starting with the configuration key at fault
     */
    public static ObjectStore open(StorageConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        StorageConfig.Trace trace = config.trace();
        switch (trace.backend()) {
            case StorageConfig.LOCAL -> {
                String path = trace.local().path();
                try {
                    return new LocalObjectStore(Path.of(path));
                } catch (IOException | RuntimeException e) {
                    throw new IOException("storage.trace.local.path: " + path + " cannot be used: " + e.getMessage(), e);
                }
            }
            case StorageConfig.S3 -> {
                try {
                    ObjectStore s3 = S3ObjectStore.open(trace.s3());
                    return trace.s3().cacheSizeBytes() > 0 ? new CachingObjectStore(s3, trace.s3().cacheSizeBytes()) : s3;
                } catch (IOException | RuntimeException e) {
                    throw new IOException("storage.trace.s3: " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("storage.trace.backend: " + trace.backend() + " (expected: local or s3)");
        }
    }
}
