package io.ferry.storage.file;

import io.ferry.checksum.Checksum;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectKeys;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsDurableNames;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.Written;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory tree as an object store. Whole-object writes and multipart uploads go to a hidden
 * temp file beside the target ({@value #UPLOAD_PREFIX}...) and are renamed into place
 * atomically, so an upload never completed leaves no visible object. The upload's temp path is
 * derived from key and upload id, so parts may be written by any process that mounts the tree.
 * Of an object's attributes only the modification time is kept; an upload carries it in its id
 * ({@code <32 hex>} or {@code <32 hex>.<epoch nanos>}) so the process completing it can set it.
 */
public final class FileObjectStore implements ObjectStore, SupportsMultipartUpload, SupportsDurableNames {
    static final String UPLOAD_PREFIX = ".ferry-upload-";
    private static final Pattern UPLOAD_ID = Pattern.compile("([0-9a-f]{32})(?:\\.(-?[0-9]{1,19}))?");
    private static final int COPY_BUFFER = 256 * 1024;

    private final Path root;
    private volatile Path realRoot;
    /**
     * Names a whole put's hidden temp file: random per store, then counted. A random UUID per put
     * drew on SecureRandom for each object, a twentieth of a worker's copy threads on small files
     * (JFR); the random half still keeps two processes writing one tree apart.
     */
    private final long tempNamesRandom = UUID.randomUUID().getLeastSignificantBits();
    private final AtomicLong tempNamesTaken = new AtomicLong();

    public FileObjectStore(Path root) {
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("file store root must be absolute: " + root);
        }
        this.root = root.normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) throws StorageException {
        if (!Files.isDirectory(root)) {
            throw new StorageException(Files.exists(root) ? "not a directory: " + root : "no such directory: " + root, false);
        }
        Stream<FileTreeListing.Entry> files;
        try {
            Path start = walkStart(prefix);
            if (start == null) {
                return Stream.empty();
            }
            try {
                files = FileTreeListing.of(start);
            } catch (NoSuchFileException e) {
                if (start.equals(root)) {
                    throw e; // a root gone is a failed listing, never an empty one
                }
                return Stream.empty(); // the prefix's directory went away after it was found
            }
        } catch (AccessDeniedException e) {
            throw new StorageException("permission denied listing " + root, false, e);
        } catch (IOException e) {
            throw new StorageException("cannot list " + root + ": " + e.getMessage(), true, e);
        }
        return files.filter(f -> !f.path().getFileName().toString().startsWith(UPLOAD_PREFIX))
                .map(f -> info(f.path(), f.attributes()))
                .filter(info -> info.key().startsWith(prefix));
    }

    /**
     * Where a listing of {@code prefix} starts walking: the directory its keys are all under (its
     * names up to the last '/'), so a trigger's prefix walks its part of the tree, not all of it.
     * The root for a prefix that is no plain path (empty names, '.', '..', a name the file system
     * refuses): the whole walk's keys, filtered, are then the answer. Null when that directory is
     * missing, or is (or lies below) a symbolic link or something else: the whole walk, which
     * follows no link, would list nothing under it.
     */
    private Path walkStart(String prefix) throws IOException {
        int slash = prefix.lastIndexOf('/');
        if (slash <= 0) {
            return root;
        }
        Path dir = root;
        for (String name : prefix.substring(0, slash).split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                return root;
            }
            try {
                dir = dir.resolve(name);
                if (!Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                    return null;
                }
            } catch (InvalidPathException e) {
                return root;
            } catch (NoSuchFileException e) {
                return null;
            }
        }
        return dir;
    }

    private ObjectInfo info(Path p, BasicFileAttributes a) {
        return info(root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"), a);
    }

    private static ObjectInfo info(String key, BasicFileAttributes a) {
        return new ObjectInfo(key, a.size(), version(a), a.lastModifiedTime().toInstant());
    }

    /** Size, modification time in nanoseconds and the file's identity: an atomic replace changes it. */
    private static String version(BasicFileAttributes a) {
        Object id = a.fileKey();
        return "s" + a.size() + "-m" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                + (id == null ? "" : "-i" + Integer.toHexString(id.hashCode()));
    }

    Path pathOf(String key) {
        ObjectKeys.requireSafe(key);
        // a safe key has no '.', '..' or empty name, so resolving it needs no normalizing; the
        // check below stays, in case a key this store was given got past that
        Path p = root.resolve(key);
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("object key escapes the store root: " + key);
        }
        return p;
    }

    /**
     * The root as the file system resolves it, remembered once resolved; NoSuchFileException while
     * it is not there (a write creates it first).
     */
    private Path realRoot() throws IOException {
        Path resolved = realRoot;
        if (resolved == null) {
            resolved = root.toRealPath();
            realRoot = resolved;
        }
        return resolved;
    }

    /**
     * Where {@code key} can be read, or empty when nothing there is the store's. A symbolic link
     * among the key's directories may lead out of the root: the listing never follows one, but a
     * trigger may name any key, so the parent directory is resolved first and must be under the
     * root (the root itself may be a link). Without this a key through a link to, say, the pod's
     * secrets would be read and copied.
     */
    private Optional<Path> readablePath(String key) throws IOException {
        Path target = pathOf(key);
        Path parent = target.getParent();
        if (parent.equals(root)) {
            return Optional.of(target);
        }
        try {
            return parent.toRealPath().startsWith(realRoot()) ? Optional.of(target) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The path to write {@code key} to, its directories created. A symbolic link inside the root
     * may lead anywhere, so the nearest existing directory is resolved before anything is created:
     * a key that would land outside the root is refused (IllegalArgumentException).
     */
    private Path writablePath(String key) throws IOException {
        Path target = pathOf(key);
        if (realRoot == null) {
            Files.createDirectories(root);
        }
        Path resolvedRoot = realRoot();
        // Resolved first and walked up only when missing: the parent usually exists, and a file
        // costs one resolution rather than an existence probe and then a resolution.
        Path existing = target.getParent();
        Path resolved;
        while (true) {
            try {
                resolved = existing.toRealPath();
                break;
            } catch (NoSuchFileException e) {
                existing = existing.getParent();
            }
        }
        if (!resolved.startsWith(resolvedRoot)) {
            throw new IllegalArgumentException("object key leads outside the store root through a symbolic link: " + key);
        }
        if (!existing.equals(target.getParent())) {
            Files.createDirectories(target.getParent());
        }
        return target;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws StorageException {
        Optional<Path> p = readable(key, "stat");
        return p.isEmpty() ? Optional.empty() : statAt(p.get(), key);
    }

    /** {@link #readablePath}, a failure to resolve reported as a StorageException saying what it was for. */
    private Optional<Path> readable(String key, String doing) throws StorageException {
        try {
            return readablePath(key);
        } catch (IOException e) {
            throw new StorageException("cannot " + doing + " " + key + ": " + e.getMessage(), !(e instanceof AccessDeniedException), e);
        }
    }

    /**
     * The regular file at {@code p}, a path already found to be the store's: its directories are
     * not resolved again. A read's end and a write's result stat the path they just checked, and
     * resolving a path costs a readlink per directory: 36 of a worker's 67 system calls per object
     * in a copy of small files, before these two stopped resolving.
     */
    private Optional<ObjectInfo> statAt(Path p, String key) throws StorageException {
        // the key is the one p was made of (pathOf): no relativizing it back, nearly a tenth of
        // a worker's copy threads on small files
        return regularFileAt(p, key).map(a -> info(key, a));
    }

    /** {@link #statAt}'s attributes, for the caller that needs the file key too. */
    private static Optional<BasicFileAttributes> regularFileAt(Path p, String key) throws StorageException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? Optional.of(a) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot stat " + key + ": " + e.getMessage(), !(e instanceof AccessDeniedException), e);
        }
    }

    @Override
    public ObjectStream open(String key, String version, long offset, long length) throws StorageException {
        Path p = readable(key, "open").orElseThrow(() -> new ObjectNotFoundException(key));
        ObjectInfo now = statAt(p, key).orElseThrow(() -> new ObjectNotFoundException(key));
        if (!now.version().equals(version)) {
            throw new SourceChangedException(key, version, now.version());
        }
        if (offset + length > now.size()) {
            throw new StorageException("range " + offset + "+" + length + " is past the end of " + key, false);
        }
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
            var pinned = new PinnedRangeStream(ch, offset, length, () -> {
                String after = statAt(p, key).map(ObjectInfo::version).orElse("(deleted)");
                if (!after.equals(version)) {
                    throw new SourceChangedException(key, version, after);
                }
            });
            return new ObjectStream(pinned, new ObjectAttributes(null, Map.of(), now.lastModified()));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("cannot open " + key + ": " + e.getMessage(), true, e);
        }
    }

    /**
     * Writes the object to a hidden temp file, forces it to disk and renames it under the key. The
     * bytes are then read back through the descriptor they were written with: the same pages a
     * fresh open of the key would read, without resolving its directories again (a readlink each)
     * or opening and checking the file once more, most of a read-back's system calls on a small
     * file. That read stands for the key's content only if the key now names the very file
     * written, which its file key (device and inode) shows; where it does not, or the file system
     * gives none, no read-back is reported and the caller reads the key itself.
     */
    @Override
    public Written put(String key, InputStream data, long size, ObjectAttributes attributes) throws IOException {
        Path target = writablePath(key);
        Path temp = tempPath(target,
                HexFormat.of().toHexDigits(tempNamesRandom) + HexFormat.of().toHexDigits(tempNamesTaken.incrementAndGet()));
        boolean moved = false;
        Checksum readBack;
        Object writtenFile;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                long written = writeAt(ch, 0, data, size);
                if (written != size) {
                    throw new StorageException("expected " + size + " bytes for " + key + ", got " + written, false);
                }
                ch.force(false);
                readBack = digestOf(ch, size, key);
            }
            keepModified(temp, attributes.modified());
            writtenFile = Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
        BasicFileAttributes now = regularFileAt(target, key)
                .orElseThrow(() -> new StorageException("vanished right after write: " + key, true));
        boolean sameFile = writtenFile != null && writtenFile.equals(now.fileKey());
        return new Written(info(key, now), List.of(), false, sameFile ? readBack : null);
    }

    /** The SHA-256 of the first {@code size} bytes of {@code ch}, which must hold exactly that many. */
    private static Checksum digestOf(FileChannel ch, long size, String key) throws IOException {
        MessageDigest md = Checksum.newSha256();
        byte[] buf = new byte[(int) Math.min(COPY_BUFFER, Math.max(size, 1))];
        long position = 0;
        while (true) {
            // one byte past the size is asked for too: a file longer than written is no copy of it
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, size - position + 1));
            int n = ch.read(bb, position);
            if (n <= 0) {
                break;
            }
            md.update(buf, 0, n);
            position += n;
            if (position > size) {
                throw new StorageException("read back more than the " + size + " bytes written to " + key, true);
            }
        }
        if (position != size) {
            throw new StorageException("read back " + position + " of the " + size + " bytes written to " + key, true);
        }
        return Checksum.sha256(md.digest());
    }

    @Override
    public void delete(String key) throws StorageException {
        try {
            Files.deleteIfExists(pathOf(key));
        } catch (IOException e) {
            throw new StorageException("cannot delete " + key + ": " + e.getMessage(), true, e);
        }
    }


    /**
     * Not a file system limit: kept at the object-store value so a plan is the same whatever the
     * destination, and per-object verifier state stays bounded.
     */
    @Override
    public int maxParts() {
        return 10_000;
    }

    @Override
    public String startUpload(String key, ObjectAttributes attributes) throws StorageException {
        String uploadId = UUID.randomUUID().toString().replace("-", "");
        if (attributes.modified() != null) {
            Instant m = attributes.modified();
            uploadId += "." + (m.getEpochSecond() * 1_000_000_000L + m.getNano());
        }
        try {
            Files.createFile(tempPath(writablePath(key), uploadId));
        } catch (IOException e) {
            throw new StorageException("cannot start upload of " + key + ": " + e.getMessage(), !(e instanceof AccessDeniedException), e);
        }
        return uploadId;
    }

    @Override
    public void writePart(String key, String uploadId, int partNumber, long offset, InputStream data, long length)
            throws IOException {
        Path temp = uploadPath(key, uploadId);
        // No CREATE: a part arriving after complete or abort must fail, not resurrect the upload.
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            long written = writeAt(ch, offset, data, length);
            if (written != length) {
                throw new StorageException("part " + partNumber + " of " + key + ": expected " + length + " bytes, got " + written, false);
            }
            ch.force(false);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key + " (upload " + uploadId + ")");
        }
    }

    @Override
    public Written completeUpload(String key, String uploadId, int partCount, long size) throws StorageException {
        Path temp = uploadPath(key, uploadId);
        try {
            long actual = Files.size(temp);
            if (actual != size) {
                throw new StorageException("upload of " + key + " has " + actual + " bytes, expected " + size, false);
            }
            keepModified(temp, modifiedIn(uploadId));
            Files.move(temp, writablePath(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key + " (upload " + uploadId + ")");
        } catch (StorageException | IllegalArgumentException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException("cannot complete upload of " + key + ": " + e.getMessage(), true, e);
        }
        syncNames(List.of(key));
        return Written.unconfirmed(stat(key).orElseThrow(() -> new StorageException("vanished right after complete: " + key, true)));
    }

    @Override
    public void syncNames(Collection<String> keys) throws StorageException {
        Set<Path> directories = new LinkedHashSet<>();
        for (String key : keys) {
            Path dir = pathOf(key).getParent();
            // up to the root; a directory already taken took its parents with it
            while (dir != null && dir.startsWith(root) && directories.add(dir)) {
                dir = dir.getParent();
            }
        }
        for (Path dir : directories) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                if (!cannotSyncDirectories(e)) {
                    throw new StorageException("cannot sync directory " + root.relativize(dir) + " of the store: " + e.getMessage(),
                            true, e);
                }
            }
        }
    }

    /**
     * Whether {@code e} says this file system syncs no directory at all (EINVAL, EBADF: some FUSE
     * and network file systems), rather than that this one failed. There is nothing to wait for
     * then, as PostgreSQL decides for its own directory syncs; failing every batch would stop
     * every copy to such a mount. Java gives no errno, only its text: under a locale whose
     * messages are translated, such a mount fails its batches, saying why.
     */
    static boolean cannotSyncDirectories(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Invalid argument") || message.contains("Bad file descriptor");
    }

    @Override
    public void abortUpload(String key, String uploadId) throws StorageException {
        try {
            Files.deleteIfExists(uploadPath(key, uploadId));
        } catch (IOException e) {
            throw new StorageException("cannot abort upload of " + key + ": " + e.getMessage(), true, e);
        }
    }

    private static void keepModified(Path file, Instant modified) throws IOException {
        if (modified != null) {
            Files.setLastModifiedTime(file, FileTime.from(modified));
        }
    }

    private static Instant modifiedIn(String uploadId) {
        var m = UPLOAD_ID.matcher(uploadId);
        if (!m.matches() || m.group(2) == null) {
            return null;
        }
        long nanos = Long.parseLong(m.group(2));
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private Path uploadPath(String key, String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("not an upload id of this store: " + uploadId);
        }
        return tempPath(pathOf(key), uploadId);
    }

    private static Path tempPath(Path target, String uploadId) {
        return target.resolveSibling(UPLOAD_PREFIX + uploadId + "-" + target.getFileName());
    }

    private static long writeAt(FileChannel ch, long position, InputStream data, long limit) throws IOException {
        byte[] buf = new byte[(int) Math.min(COPY_BUFFER, Math.max(limit, 1))];
        long total = 0;
        int n;
        while ((n = data.read(buf)) > 0) {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
                total += ch.write(bb, position + total);
            }
            if (total > limit) {
                throw new StorageException("more than the expected " + limit + " bytes", false);
            }
        }
        return total;
    }
}
