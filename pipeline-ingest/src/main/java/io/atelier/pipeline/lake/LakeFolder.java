package io.atelier.pipeline.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The lake's folder: partitions {@code date=YYYY-MM-DD/type=<type>/<name>.parquet}, and {@code _tmp/} for files not yet
 * published (hive readers skip names that start with {@code _}). Paths in the manifest are relative to the folder.
 */
public final class LakeFolder {

    /** What a data file's relative path looks like; anything else is never inlined into SQL or deleted as data. */
    public static final Pattern DATA_FILE = Pattern.compile(
            "date=\\d{4}-\\d{2}-\\d{2}/type=[A-Za-z0-9][A-Za-z0-9._-]{0,127}/[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.parquet");

    public static final String TEMP = "_tmp";

    private final Path root;

    public LakeFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path temp() {
        return root.resolve(TEMP);
    }

    public static String partition(LocalDate day, String type) {
        return "date=" + day + "/type=" + type;
    }

    public Path resolve(String relative) {
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("outside the lake: " + relative);
        }
        return path;
    }

    public String relative(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /**
     * Moves a file into place atomically (readers see all of it or nothing). Idempotent for roll-forward: when the
     * source is gone and the target exists, someone already moved it.
     */
    public void publish(String tempRelative, String finalRelative) {
        Path from = resolve(tempRelative);
        Path to = resolve(finalRelative);
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | FileAlreadyExistsException e) {
            if (!Files.exists(to)) {
                throw new UncheckedIOException("neither " + from + " nor " + to + " exists", e);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("the lake's folder must support atomic rename (one file system)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left for the next clean-up
        }
    }

    /** Every data file under the partitions, as relative paths. */
    public List<String> dataFiles() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.find(root, 3, (p, a) -> a.isRegularFile() && p.toString().endsWith(".parquet"))) {
            return files.map(this::relative).filter(r -> DATA_FILE.matcher(r).matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes empty partition folders (after retention or compaction). */
    public void pruneEmptyFolders() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.find(root, 2, (p, a) -> a.isDirectory() && !p.equals(root)
                && !root.relativize(p).toString().startsWith(TEMP))) {
            List<Path> deepestFirst = new ArrayList<>(dirs.toList());
            deepestFirst.sort((a, b) -> b.getNameCount() - a.getNameCount());
            for (Path dir : deepestFirst) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(dir);
                    }
                } catch (IOException e) {
                    // a file arrived meanwhile, or it is gone already
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the folder can take a new file now (readiness). */
    public boolean writable() {
        try {
            Files.createDirectories(temp());
            Path probe = Files.createTempFile(temp(), "probe-", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A string literal for DuckDB; paths are the server's own (never a client's text), quoted all the same. */
    public static String sqlLiteral(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }
}
