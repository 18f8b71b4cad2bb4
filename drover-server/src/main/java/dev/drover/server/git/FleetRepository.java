package dev.drover.server.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.internal.storage.file.FileRepository;
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

/**
 * The fleet repository: a bare Git repository under the data directory that only Drover writes. A commit is
 * built from the branch head's tree plus a set of file changes, written as objects first and then published by
 * one compare-and-set of the branch ref, so a reader (or a crash) sees the old commit or the new one, never
 * a half-written tree.
 */
public final class FleetRepository implements AutoCloseable {

    private static final int PACK_THRESHOLD = 100;
    private static final PersonIdent AUTHOR_TEMPLATE = new PersonIdent("Drover", "drover@drover.invalid");

    private final Repository repository;
    private final String branch;

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
            return new FleetRepository(repository, branch);
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

    /** Points the branch at the commit if it still points at the expected one. */
    void moveBranch(Optional<ObjectId> expected, ObjectId commit, String message) throws IOException {
        RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
        update.setExpectedOldObjectId(expected.orElse(ObjectId.zeroId()));
        update.setNewObjectId(commit);
        update.setRefLogMessage(firstLine(message), false);
        RefUpdate.Result result = update.update();
        switch (result) {
            case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> {
            }
            case LOCK_FAILURE, REJECTED -> throw new ConcurrentUpdateException("branch " + branch + " moved while a commit was built ("
                    + result + ")");
            default -> throw new IOException("cannot move branch " + branch + " to " + commit.name() + ": " + result);
        }
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    @Override
    public void close() {
        repository.close();
    }

    /** The branch moved under a writer; the writer should rebuild from the new head. */
    public static final class ConcurrentUpdateException extends IllegalStateException {
        ConcurrentUpdateException(String message) {
            super(message);
        }
    }
}
