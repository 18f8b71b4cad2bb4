package dev.drover.server.git;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * An optional remote the fleet repository is pushed to (where Flux pulls from in production). When the remote
 * branch moved (someone else pushed), Drover fetches it and merges it with its own tree winning, so nothing of
 * the remote history is lost and the content stays what Drover rendered; then it pushes again.
 */
public final class FleetRemote {

    private static final int ATTEMPTS = 3;

    private final String url;
    private final CredentialsProvider credentials;

    public FleetRemote(String url, String token) {
        this.url = url;
        this.credentials = new UsernamePasswordCredentialsProvider("drover", token);
    }

    public String url() {
        return url;
    }

    /** Pushes the branch if the remote does not have its head yet; empty on success, else what went wrong. */
    public Optional<String> pushIfBehind(FleetRepository repository) {
        String branch = Constants.R_HEADS + repository.branch();
        String tracking = Constants.R_REMOTES + "fleet/" + repository.branch();
        try (Git git = Git.wrap(repository.repository())) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                Optional<ObjectId> head = repository.head();
                if (head.isEmpty() || head.equals(Optional.ofNullable(repository.repository().resolve(tracking)))) {
                    return Optional.empty();
                }
                Iterable<PushResult> results = git.push().setRemote(url).setCredentialsProvider(credentials)
                        .setRefSpecs(new RefSpec(branch + ":" + branch)).call();
                RemoteRefUpdate.Status status = RemoteRefUpdate.Status.OK;
                String message = "";
                for (PushResult result : results) {
                    RemoteRefUpdate update = result.getRemoteUpdate(branch);
                    if (update != null) {
                        status = update.getStatus();
                        message = update.getMessage() == null ? "" : update.getMessage();
                    }
                }
                switch (status) {
                    case OK, UP_TO_DATE -> {
                        moveTracking(repository, tracking, head.get());
                        return Optional.empty();
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> mergeRemote(repository, git, branch, tracking);
                    default -> {
                        return Optional.of("the remote refused the push (" + status + (message.isEmpty() ? "" : ": " + message) + ")");
                    }
                }
            }
            return Optional.of("the remote branch kept moving during " + ATTEMPTS + " attempts");
        } catch (GitAPIException | IOException | RuntimeException failed) {
            return Optional.of(failed.getMessage());
        }
    }

    /**
     * Makes the branch what the remote has, for a replica that does not commit (a standby): its git port then serves
     * the commits the leader pushed. The remote's head wins; a branch the remote lacks is left alone.
     *
     * @return empty when the branch is the remote's head (or the remote has no branch yet), else what went wrong
     */
    public Optional<String> mirror(FleetRepository repository) {
        String branch = Constants.R_HEADS + repository.branch();
        String tracking = Constants.R_REMOTES + "fleet/" + repository.branch();
        try (Git git = Git.wrap(repository.repository())) {
            // One round trip tells whether there is anything to fetch; a remote the leader has not pushed to is no fault.
            Optional<ObjectId> advertised = git.lsRemote().setRemote(url).setCredentialsProvider(credentials).setHeads(true).call()
                    .stream().filter(ref -> ref.getName().equals(branch)).map(org.eclipse.jgit.lib.Ref::getObjectId).findFirst();
            Optional<ObjectId> head = repository.head();
            if (advertised.isEmpty() || head.equals(advertised)) {
                return Optional.empty();
            }
            git.fetch().setRemote(url).setCredentialsProvider(credentials).setRefSpecs(new RefSpec("+" + branch + ":" + tracking))
                    .call();
            ObjectId remoteHead = repository.repository().resolve(tracking);
            if (remoteHead != null && !head.equals(Optional.of(remoteHead))) {
                repository.resetBranch(head, remoteHead, "mirror " + url);
            }
            return Optional.empty();
        } catch (GitAPIException | IOException | RuntimeException failed) {
            return Optional.of(String.valueOf(failed.getMessage()));
        }
    }

    /** Fetches the remote branch and records a merge whose tree is Drover's own head tree. */
    private void mergeRemote(FleetRepository repository, Git git, String branch, String tracking)
            throws GitAPIException, IOException {
        git.fetch().setRemote(url).setCredentialsProvider(credentials).setRefSpecs(new RefSpec("+" + branch + ":" + tracking)).call();
        ObjectId remoteHead = repository.repository().resolve(tracking);
        ObjectId localHead = repository.head().orElseThrow();
        try (RevWalk walk = new RevWalk(repository.repository()); ObjectInserter inserter = repository.repository().newObjectInserter()) {
            RevCommit local = walk.parseCommit(localHead);
            var merge = new CommitBuilder();
            merge.setTreeId(local.getTree());
            merge.setParentIds(localHead, remoteHead);
            PersonIdent author = FleetRepository.author(Instant.now());
            merge.setAuthor(author);
            merge.setCommitter(author);
            merge.setMessage("Merge remote changes; the fleet repository keeps Drover's rendering\n");
            ObjectId id = inserter.insert(merge);
            inserter.flush();
            repository.moveBranch(Optional.of(localHead), id, "merge remote " + url);
        }
    }

    private static void moveTracking(FleetRepository repository, String tracking, ObjectId commit) throws IOException {
        RefUpdate update = repository.repository().updateRef(tracking);
        update.setNewObjectId(commit);
        update.setForceUpdate(true);
        update.update();
    }
}
