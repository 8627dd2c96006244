package io.vivace.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary directory for a benchmark's files, deleted with everything in it on {@link #close()}. */
final class TempDirectory implements AutoCloseable {
    private final Path path;

    private TempDirectory(Path path) {
        this.path = path;
    }

    /** Creates {@code vivace-bench-<prefix>-*} under {@code java.io.tmpdir}. */
    static TempDirectory create(String prefix) {
        try {
            return new TempDirectory(Files.createTempDirectory("vivace-bench-" + prefix + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory under " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    Path path() {
        return path;
    }

    /** Bytes of every regular file under the directory. */
    long size() {
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // deleted concurrently (RocksDB removes obsolete files)
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + path, e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
