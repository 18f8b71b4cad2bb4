package dev.drover.server.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet repository: a bare Git repository under the data directory that only Drover writes. A commit is
 * built from the branch head's tree plus a set of file changes, written as objects first and then published by
 * one compare-and-set of the branch ref, so a reader (or a crash) sees the old commit or the new one, never
 * a half-written tree.
 */
public final class FleetRepository implements AutoCloseable {

    private static final int PACK_THRESHOLD = 100;
    private static final PersonIdent AUTHOR_TEMPLATE = new PersonIdent("Drover", "drover@drover.invalid");
    /**
     * A ref lock this old is stale: Drover holds one for milliseconds while it moves the branch, and only Drover writes
     * the repository, so an older one is what a process killed during a ref update left behind.
     */
    static final Duration STALE_LOCK = Duration.ofSeconds(10);
    /** How often (in commits) whether the repository needs compacting is looked at. */
    static final int COMPACTION_CHECK_EVERY = 50;
    /** More pack files or loose objects than these make reads slow: the repository is compacted in the background. */
    static final int MAX_PACKS = 20;
    static final int MAX_LOOSE_OBJECTS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(FleetRepository.class);

    private final Repository repository;
    private final String branch;
    private final Object refUpdates = new Object();
    private final ExecutorService compactor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fleet-repository-compaction");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });
    private final AtomicBoolean compacting = new AtomicBoolean();
    private int commitsSinceCheck;

    private FleetRepository(Repository repository, String branch) {
        this.repository = repository;
        this.branch = branch;
    }

    /** Opens the bare repository at the directory, creating it (with HEAD on the branch) if it does not exist. */
    public static FleetRepository open(Path directory, String branch) {
        try {
            boolean exists = Files.exists(directory.resolve("HEAD"));
            Repository repository = new FileRepository(directory.toFile());
            if (!exists) {
                repository.create(true);
                RefUpdate head = repository.getRefDatabase().newUpdate(Constants.HEAD, false);
                head.disableRefLog();
                head.link(Constants.R_HEADS + branch);
            }
            var fleet = new FleetRepository(repository, branch);
            // A repository a crash left with many packs is compacted soon after the start, not after many commits.
            fleet.compactIfNeeded();
            return fleet;
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot open the fleet repository at " + directory, failed);
        }
    }

    Repository repository() {
        return repository;
    }

    public String branch() {
        return branch;
    }

    /** The commit the branch points at, if there is one yet. */
    public Optional<ObjectId> head() {
        try {
            return Optional.ofNullable(repository.resolve(Constants.R_HEADS + branch));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /**
     * Whether a commit is the other or one of its ancestors: whether a revision Flux applied holds a commit Drover made.
     * Commits the repository does not have (a mistyped or foreign id) hold nothing.
     */
    public boolean holds(String revision, String commit) {
        try (RevWalk walk = new RevWalk(repository)) {
            ObjectId later = ObjectId.fromString(revision);
            ObjectId earlier = ObjectId.fromString(commit);
            return walk.isMergedInto(walk.parseCommit(earlier), walk.parseCommit(later));
        } catch (IllegalArgumentException | org.eclipse.jgit.errors.MissingObjectException unknown) {
            return false;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** The blob id of every file of the head commit, by path: enough to tell whether new content differs. */
    public SortedMap<String, ObjectId> files() {
        SortedMap<String, ObjectId> files = new TreeMap<>();
        Optional<ObjectId> head = head();
        if (head.isEmpty()) {
            return files;
        }
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(walk.parseCommit(head.get()).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                files.put(tree.getPathString(), tree.getObjectId(0));
            }
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        return files;
    }

    /** The id Git gives a file with this content. */
    public static ObjectId blobId(String content) {
        return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Commits the changes on top of the branch head in one step.
     *
     * @param changes new content by path, or empty to delete the path
     * @return the new commit, or empty when the changes leave the tree as it was
     * @throws ConcurrentUpdateException when the branch moved while the commit was built
     */
    public Optional<ObjectId> commit(Map<String, Optional<String>> changes, String message, Instant when) {
        Optional<ObjectId> parent = head();
        try (RevWalk walk = new RevWalk(repository); ObjectInserter inserter = inserter(changes.size())) {
            ObjectId parentTree = null;
            if (parent.isPresent()) {
                parentTree = walk.parseCommit(parent.get()).getTree();
            }
            SortedMap<String, Optional<ObjectId>> blobs = new TreeMap<>();
            for (Map.Entry<String, Optional<String>> change : changes.entrySet()) {
                blobs.put(change.getKey(), change.getValue().isEmpty() ? Optional.empty()
                        : Optional.of(inserter.insert(Constants.OBJ_BLOB, change.getValue().get().getBytes(StandardCharsets.UTF_8))));
            }
            Optional<ObjectId> written = writeTree(walk.getObjectReader(), inserter, Optional.ofNullable(parentTree), blobs);
            ObjectId tree = written.isPresent() ? written.get() : inserter.insert(new TreeFormatter());
            if (tree.equals(parentTree) || parent.isEmpty() && written.isEmpty()) {
                return Optional.empty();
            }
            var commit = new CommitBuilder();
            commit.setTreeId(tree);
            parent.ifPresent(commit::setParentId);
            PersonIdent author = author(when);
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            moveBranch(parent, id, message);
            if (++commitsSinceCheck >= COMPACTION_CHECK_EVERY) {
                commitsSinceCheck = 0;
                compactIfNeeded();
            }
            return Optional.of(id);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot commit to the fleet repository", failed);
        }
    }

    /**
     * Writes the tree that results from applying the changes (paths relative to it) to an existing tree, reusing
     * every unchanged subtree: a commit costs what it changes, not the size of the repository.
     *
     * @return the new tree, or empty when nothing is left in it
     */
    private static Optional<ObjectId> writeTree(ObjectReader reader, ObjectInserter inserter, Optional<ObjectId> tree,
                                                SortedMap<String, Optional<ObjectId>> changes) throws IOException {
        Map<String, TreeEntry> entries = new HashMap<>();
        if (tree.isPresent()) {
            for (var parser = new CanonicalTreeParser(null, reader, tree.get()); !parser.eof(); parser.next()) {
                entries.put(parser.getEntryPathString(), new TreeEntry(parser.getEntryFileMode(), parser.getEntryObjectId()));
            }
        }
        Map<String, SortedMap<String, Optional<ObjectId>>> bySubtree = new TreeMap<>();
        changes.forEach((path, blob) -> {
            int slash = path.indexOf('/');
            if (slash < 0) {
                blob.ifPresentOrElse(id -> entries.put(path, new TreeEntry(FileMode.REGULAR_FILE, id)), () -> entries.remove(path));
                return;
            }
            bySubtree.computeIfAbsent(path.substring(0, slash), name -> new TreeMap<>()).put(path.substring(slash + 1), blob);
        });
        for (Map.Entry<String, SortedMap<String, Optional<ObjectId>>> subtree : bySubtree.entrySet()) {
            TreeEntry existing = entries.get(subtree.getKey());
            Optional<ObjectId> base = existing != null && existing.mode() == FileMode.TREE ? Optional.of(existing.id()) : Optional.empty();
            writeTree(reader, inserter, base, subtree.getValue()).ifPresentOrElse(
                    id -> entries.put(subtree.getKey(), new TreeEntry(FileMode.TREE, id)), () -> entries.remove(subtree.getKey()));
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        var formatter = new TreeFormatter();
        entries.entrySet().stream().sorted(Comparator.comparing(entry -> gitOrderName(entry.getKey(), entry.getValue())))
                .forEach(entry -> formatter.append(entry.getKey(), entry.getValue().mode(), entry.getValue().id()));
        return Optional.of(inserter.insert(formatter));
    }

    /** Git sorts tree entries by name bytes, a subtree as if its name ended in '/'. */
    private static String gitOrderName(String name, TreeEntry entry) {
        return entry.mode() == FileMode.TREE ? name + "/" : name;
    }

    private record TreeEntry(FileMode mode, ObjectId id) {
    }

    /**
     * Many new files go into one pack file: writing thousands of loose objects (a file and a rename each) is what
     * made a large first commit slow. Small commits stay loose objects, as git itself writes them.
     */
    private ObjectInserter inserter(int files) {
        if (files > PACK_THRESHOLD && repository.getObjectDatabase() instanceof ObjectDirectory directory) {
            return directory.newPackInserter();
        }
        return repository.newObjectInserter();
    }

    /** Drover as author and committer of what it writes. */
    static PersonIdent author(Instant when) {
        return new PersonIdent(AUTHOR_TEMPLATE, when, ZoneOffset.UTC);
    }

    /**
     * Points the branch at the commit if it still points at the expected one. A stale lock of the branch (see
     * {@link #STALE_LOCK}) is removed, with a log line, and the update tried once more.
     */
    void moveBranch(Optional<ObjectId> expected, ObjectId commit, String message) throws IOException {
        moveBranch(expected, commit, message, false);
    }

    /** @param force whether the commit may be one the branch's commit is not an ancestor of */
    private void moveBranch(Optional<ObjectId> expected, ObjectId commit, String message, boolean force) throws IOException {
        synchronized (refUpdates) {
            RefUpdate.Result result = updateBranch(expected, commit, message, force);
            if (result == RefUpdate.Result.LOCK_FAILURE && removeStaleLock()) {
                result = updateBranch(expected, commit, message, force);
            }
            switch (result) {
                case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> {
                }
                case LOCK_FAILURE -> throw new ConcurrentUpdateException(lockFile().toFile().exists()
                        ? "branch " + branch + " is locked by " + lockFile() + " (since " + Instant.ofEpochMilli(
                        lockFile().toFile().lastModified()) + "): another git process is updating it, or one stopped while "
                        + "doing so; Drover removes the lock once it is older than " + STALE_LOCK.toSeconds() + " s"
                        : "branch " + branch + " moved while a commit was built (" + result + ")");
                case REJECTED -> throw new ConcurrentUpdateException("branch " + branch + " moved while a commit was built ("
                        + result + ")");
                default -> throw new IOException("cannot move branch " + branch + " to " + commit.name() + ": " + result);
            }
        }
    }

    /**
     * Points the branch at a commit fetched from the remote, forward or not (a standby's copy follows the leader's),
     * unless it moved since it was read: a replica elected meanwhile may have committed on it.
     */
    void resetBranch(Optional<ObjectId> expected, ObjectId commit, String message) throws IOException {
        moveBranch(expected, commit, message, true);
    }

    private RefUpdate.Result updateBranch(Optional<ObjectId> expected, ObjectId commit, String message, boolean force)
            throws IOException {
        RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
        update.setExpectedOldObjectId(expected.orElse(ObjectId.zeroId()));
        update.setNewObjectId(commit);
        update.setForceUpdate(force);
        update.setRefLogMessage(firstLine(message), false);
        return update.update();
    }

    private Path lockFile() {
        return repository.getDirectory().toPath().resolve(Constants.R_HEADS + branch + ".lock");
    }

    /** Removes the branch's lock file if it is stale; whether it did. */
    private boolean removeStaleLock() throws IOException {
        Path lock = lockFile();
        if (!Files.exists(lock)) {
            return false;
        }
        Instant since = Files.getLastModifiedTime(lock).toInstant();
        if (since.plus(STALE_LOCK).isAfter(Instant.now())) {
            return false;
        }
        Files.deleteIfExists(lock);
        LOG.warn("removed the stale lock {} of branch {} (left at {} by a process that stopped while it updated the branch)",
                lock, branch, since);
        return true;
    }

    /**
     * Compacts the repository in the background when it has many pack files or loose objects (every large commit
     * writes a pack): one new pack of everything reachable, then the old packs and the loose objects it holds are
     * removed. Safe while Drover commits and serves: objects written meanwhile are in packs or loose files it does
     * not remove, and the refs are not touched.
     */
    void compactIfNeeded() {
        if (!(repository instanceof FileRepository files) || !compacting.compareAndSet(false, true)) {
            return;
        }
        compactor.execute(() -> {
            try {
                var gc = new GC(files);
                GC.RepoStatistics before = gc.getStatistics();
                if (before.numberOfPackFiles <= MAX_PACKS && before.numberOfLooseObjects <= MAX_LOOSE_OBJECTS) {
                    return;
                }
                long started = System.nanoTime();
                // The packs there are now all go into the new one, so none of them needs to stay after it is written.
                gc.setPackExpire(Instant.now());
                gc.repack();
                gc.prunePacked();
                GC.RepoStatistics after = gc.getStatistics();
                LOG.info("compacted the fleet repository: {} pack files and {} loose objects before, {} and {} after, in {} ms",
                        before.numberOfPackFiles, before.numberOfLooseObjects, after.numberOfPackFiles,
                        after.numberOfLooseObjects, (System.nanoTime() - started) / 1_000_000);
            } catch (IOException | RuntimeException failed) {
                LOG.warn("compacting the fleet repository failed; it keeps working uncompacted and is tried again later", failed);
            } finally {
                compacting.set(false);
            }
        });
    }

    /** Whether a compaction runs now. */
    boolean compacting() {
        return compacting.get();
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    @Override
    public void close() {
        compactor.shutdown();
        try {
            // A compaction in flight finishes its pack before the repository closes under it.
            compactor.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        repository.close();
    }

    /** The branch moved under a writer; the writer should rebuild from the new head. */
    public static final class ConcurrentUpdateException extends IllegalStateException {
        ConcurrentUpdateException(String message) {
            super(message);
        }
    }
}
