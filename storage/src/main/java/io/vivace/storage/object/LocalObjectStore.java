package io.vivace.storage.object;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} on local disk: key {@code a/b/c} is the file {@code <root>/a/b/c}.
 *
 * <p>{@link #write} is atomic and durable the way databases do it on POSIX file systems: the bytes
 * go to a temporary file in the target's directory, which is fsynced and then renamed over the
 * target (a rename within one directory is atomic), and the directory is fsynced so that the rename
 * itself survives a power loss. Temporary files carry {@value ObjectKeys#TEMP_MARKER} in their name
 * and never appear in listings; a crash can leave one behind, harmlessly.
 *
 * <p>Directories are created on write and removed when their last object is deleted, so that
 * {@link #listChildren} sees only directories that hold objects. Unlike S3, a key can't be both an
 * object and a directory ({@code a} and {@code a/b}); the block layout never needs that.
 */
public final class LocalObjectStore implements ObjectStore {
    private static final int WRITE_ATTEMPTS = 5;

    private final Path root;

    /** Creates a store rooted at {@code root}, creating the directory if needed. */
    public LocalObjectStore(Path root) throws IOException {
        Objects.requireNonNull(root, "root");
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Objects.requireNonNull(prefix, "prefix");
        // Walk only the deepest directory the prefix names completely.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash)).normalize();
        if (!start.startsWith(root) || !Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.forEach(p -> {
                if (isObjectFile(p)) {
                    String key = toKey(p);
                    if (key.startsWith(prefix)) {
                        keys.add(key);
                    }
                }
            });
        } catch (java.io.UncheckedIOException e) {
            // A directory removed by a concurrent delete while walking is not an error.
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
            return list(prefix);
        }
        keys.sort(ObjectKeys.UTF8_ORDER);
        return keys;
    }

    @Override
    public List<String> listChildren(String prefix) throws IOException {
        ObjectKeys.validateDirectoryPrefix(prefix);
        Path dir = prefix.isEmpty() ? root : root.resolve(prefix.substring(0, prefix.length() - 1));
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && holdsObject(entry)) {
                    children.add(entry.getFileName().toString());
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        children.sort(ObjectKeys.UTF8_ORDER);
        return children;
    }

    @Override
    public byte[] read(String key) throws IOException {
        Path file = objectFile(key);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        InMemoryObjectStore.checkRange(offset, length);
        Path file = objectFile(key);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset + length > size) {
                throw new EOFException("readRange " + key + ": offset + length = " + (offset + length)
                        + " (expected: <= object size " + size + ")");
            }
            ByteBuffer buf = ByteBuffer.allocate(length);
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException("readRange " + key + ": object shrank while reading at " + pos);
                }
                pos += n;
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public long size(String key) throws IOException {
        Path file = objectFile(key);
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        ObjectKeys.validateKey(key);
        Objects.requireNonNull(data, "data");
        Path target = root.resolve(key);
        Path dir = target.getParent();
        for (int attempt = 1; ; attempt++) {
            try {
                writeOnce(target, dir, data);
                return;
            } catch (NoSuchFileException e) {
                // A concurrent delete pruned the (momentarily empty) directory: create it again.
                if (attempt == WRITE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void writeOnce(Path target, Path dir, byte[] data) throws IOException {
        boolean created = createDirectories(dir);
        String tempName = target.getFileName() + ObjectKeys.TEMP_MARKER
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path temp = dir.resolve(tempName);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString(), null,
                        "a directory of objects exists at this key; the local store can't hold both");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        fsyncDirectory(dir);
        if (created) {
            // New directories must reach disk too, or the durable file could be unreachable after a crash.
            for (Path p = dir.getParent(); p != null && p.startsWith(root); p = p.getParent()) {
                fsyncDirectory(p);
            }
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = root.resolve(ObjectKeys.validateKey(key));
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.deleteIfExists(file);
        Path dir = file.getParent();
        fsyncDirectory(dir);
        // Prune directories left empty, so listChildren never reports a directory without objects.
        while (!dir.equals(root)) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                break;
            }
            dir = dir.getParent();
        }
    }

    private Path objectFile(String key) throws ObjectNotFoundException {
        Path file = root.resolve(ObjectKeys.validateKey(key));
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ObjectNotFoundException(key);
        }
        return file;
    }

    private boolean createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        Files.createDirectories(dir);
        return true;
    }

    private static boolean isObjectFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().contains(ObjectKeys.TEMP_MARKER);
    }

    private static boolean holdsObject(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(LocalObjectStore::isObjectFile);
        } catch (java.io.UncheckedIOException | NoSuchFileException e) {
            return false; // removed concurrently: holds nothing
        }
    }

    private String toKey(Path file) {
        Path rel = root.relativize(file);
        if (rel.getNameCount() == 1) {
            return rel.toString();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rel.getNameCount(); i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(rel.getName(i));
        }
        return sb.toString();
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            // Pruned concurrently by a delete: nothing left to make durable.
        }
    }
}
