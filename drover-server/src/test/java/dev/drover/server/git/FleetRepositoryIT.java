package dev.drover.server.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.server.testing.GitCli;
import dev.drover.server.testing.TemporaryDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fleet repository against the git CLI: commits, no-op commits, and pushing to a remote that moves or is gone. */
class FleetRepositoryIT {

    private final TemporaryDirectory directory = new TemporaryDirectory("drover-fleet-repository-");

    @AfterEach
    void removeDirectory() {
        directory.close();
    }

    @Test
    void commitsWholeChangesAndNothingWhenNothingChanged() {
        try (FleetRepository repository = FleetRepository.open(directory.path().resolve("fleet.git"), "main")) {
            ObjectId first = repository.commit(Map.of("a/one.yaml", Optional.of("one\n"), "b/two.yaml", Optional.of("two\n")),
                    "first\n", Instant.parse("2026-01-01T00:00:00Z")).orElseThrow();
            assertThat(repository.commit(Map.of("a/one.yaml", Optional.of("one\n")), "again\n", Instant.now())).isEmpty();
            ObjectId second = repository.commit(Map.of("a/one.yaml", Optional.empty(), "b/two.yaml", Optional.of("2\n")),
                    "second\n", Instant.now()).orElseThrow();
            assertThat(repository.files()).containsExactly(Map.entry("b/two.yaml", FleetRepository.blobId("2\n")));
            assertThat(GitCli.run(directory.path().resolve("fleet.git"), "show", "main:b/two.yaml").succeeded().output()).isEqualTo("2\n");
            assertThat(GitCli.run(directory.path().resolve("fleet.git"), "rev-parse", second.name() + "^").succeeded().output().trim())
                    .isEqualTo(first.name());
            GitCli.run(directory.path().resolve("fleet.git"), "fsck", "--strict").succeeded();
        }
    }

    @Test
    void pushesToARemoteAndMergesWhenItMovedKeepingDroversTree() throws Exception {
        Path remote = directory.path().resolve("remote.git");
        GitCli.run(directory.path(), "init", "--bare", "--quiet", remote.toString()).succeeded();
        try (FleetRepository repository = FleetRepository.open(directory.path().resolve("fleet.git"), "main")) {
            var push = new FleetRemote(remote.toUri().toString(), "unused");
            repository.commit(Map.of("management/kustomization.yaml", Optional.of("resources: []\n")), "first\n", Instant.now());
            assertThat(push.pushIfBehind(repository)).isEmpty();

            Path other = directory.path().resolve("other");
            GitCli.run(directory.path(), "clone", "--quiet", remote.toString(), other.toString()).succeeded();
            Files.writeString(other.resolve("README.md"), "hand edit\n");
            GitCli.run(other, "add", "README.md").succeeded();
            GitCli.run(other, "commit", "--quiet", "-m", "someone else").succeeded();
            GitCli.run(other, "push", "--quiet", "origin", "HEAD:main").succeeded();

            ObjectId ours = repository.commit(Map.of("management/kustomization.yaml", Optional.of("resources: [teams]\n")),
                    "second\n", Instant.now()).orElseThrow();
            assertThat(push.pushIfBehind(repository)).isEmpty();
            GitCli.run(other, "pull", "--quiet", "origin", "main").succeeded();
            assertThat(other.resolve("README.md")).as("Drover's tree wins").doesNotExist();
            assertThat(Files.readString(other.resolve("management/kustomization.yaml"))).isEqualTo("resources: [teams]\n");
            String parents = GitCli.run(other, "log", "-1", "--format=%P").succeeded().output();
            assertThat(parents).contains(ours.name());
            assertThat(GitCli.run(other, "log", "--format=%s").succeeded().output()).contains("someone else");
        }
    }

    @Test
    void aRemoteThatIsGoneIsReportedNotThrown() {
        try (FleetRepository repository = FleetRepository.open(directory.path().resolve("fleet.git"), "main")) {
            repository.commit(Map.of("x.yaml", Optional.of("x\n")), "first\n", Instant.now());
            Optional<String> problem = new FleetRemote("http://127.0.0.1:1/fleet.git", "token").pushIfBehind(repository);
            assertThat(problem).isPresent();
            assertThat(problem.get()).isNotBlank();
        }
    }

    @Test
    void aStaleBranchLockThatAKillLeftIsRemovedAndAFreshOneIsNamed() throws Exception {
        Path bare = directory.path().resolve("fleet.git");
        try (FleetRepository repository = FleetRepository.open(bare, "main")) {
            repository.commit(Map.of("a.yaml", Optional.of("1\n")), "first\n", Instant.now()).orElseThrow();
            // What `kill -9` during a ref update leaves: the lock file, with the new id half-written or not at all.
            Path lock = bare.resolve("refs/heads/main.lock");
            Files.writeString(lock, "");
            Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
            ObjectId second = repository.commit(Map.of("a.yaml", Optional.of("2\n")), "second\n", Instant.now()).orElseThrow();
            assertThat(repository.head()).contains(second);
            assertThat(lock).doesNotExist();

            Files.writeString(lock, "");
            assertThatThrownBy(() -> repository.commit(Map.of("a.yaml", Optional.of("3\n")), "third\n", Instant.now()))
                    .isInstanceOf(FleetRepository.ConcurrentUpdateException.class)
                    .hasMessageContaining("branch main is locked by ").hasMessageContaining("main.lock (since ")
                    .hasMessageContaining("another git process is updating it, or one stopped while doing so");
            Files.delete(lock);
            GitCli.run(bare, "fsck", "--strict").succeeded();
        }
    }

    @Test
    void manyPacksAreCompactedInTheBackgroundWhileCommitsGoOn() throws Exception {
        Path bare = directory.path().resolve("fleet.git");
        try (FleetRepository repository = FleetRepository.open(bare, "main")) {
            // Each commit of more than 100 files writes a pack of its own, as a crash-looping fleet reconciler would.
            for (int commit = 0; commit < FleetRepository.MAX_PACKS + 5; commit++) {
                Map<String, Optional<String>> files = new java.util.HashMap<>();
                for (int file = 0; file < 101; file++) {
                    files.put("clusters/c" + file + "/cluster.yaml", Optional.of("revision: " + commit + "\n"));
                }
                repository.commit(files, "commit " + commit + "\n", Instant.now()).orElseThrow();
            }
            assertThat(packs(bare)).isGreaterThan(FleetRepository.MAX_PACKS);
            repository.compactIfNeeded();
            // Commits keep going while it runs.
            for (int commit = 0; commit < 5; commit++) {
                repository.commit(Map.of("during.yaml", Optional.of(commit + "\n")), "during\n", Instant.now()).orElseThrow();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (repository.compacting() || packs(bare) > 3) {
                assertThat(System.nanoTime()).as("compacted within 30 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            GitCli.run(bare, "fsck", "--strict").succeeded();
            assertThat(GitCli.run(bare, "show", "main:during.yaml").succeeded().output()).isEqualTo("4\n");
            assertThat(GitCli.run(bare, "rev-list", "--count", "main").succeeded().output().trim())
                    .isEqualTo(Integer.toString(FleetRepository.MAX_PACKS + 10));
        }
    }

    private static long packs(Path bare) throws java.io.IOException {
        try (var files = Files.list(bare.resolve("objects/pack"))) {
            return files.filter(file -> file.toString().endsWith(".pack")).count();
        }
    }
}
