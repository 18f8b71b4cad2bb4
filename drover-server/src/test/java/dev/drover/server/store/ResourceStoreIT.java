package dev.drover.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.selector.LabelSelector;
import dev.drover.server.testing.TestStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store on a real embedded PostgreSQL: versions, batching, the change feed and compaction. */
class ResourceStoreIT {

    private static TestStore testStore;
    private static Database database;
    private static ResourceStore store;

    @BeforeAll
    static void startStore() throws Exception {
        testStore = TestStore.start("drover-store-", Duration.ZERO);
        database = testStore.database();
        store = testStore.store();
    }

    @AfterAll
    static void stopStore() {
        testStore.close();
    }

    private static Mutation<StoredObject> put(String kind, String namespace, String name) {
        return transaction -> {
            ObjectNode object = Json.MAPPER.createObjectNode();
            object.putObject("metadata").put("name", name);
            return transaction.put(kind, namespace, name, Map.of("app", name), Map.of(), object);
        };
    }

    @Test
    void concurrentWritesGetDistinctIncreasingVersionsInCommitOrder() throws Exception {
        long before = store.revision();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        List<Future<StoredObject>> results = new ArrayList<>();
        for (int index = 0; index < 400; index++) {
            results.add(writers.submit(() -> store.write(put("Concurrent", "ns", "object-" + Thread.currentThread().threadId()
                    + "-" + System.nanoTime()))));
        }
        List<Long> versions = new ArrayList<>();
        for (Future<StoredObject> result : results) {
            versions.add(result.get().resourceVersion());
        }
        writers.shutdown();
        assertThat(versions).doesNotHaveDuplicates().allMatch(version -> version > before);
        assertThat(store.revision()).isEqualTo(before + 400);
        try (WatchStream changes = store.watch("Concurrent", before)) {
            long previous = before;
            for (int index = 0; index < 400; index++) {
                Change change = changes.next(5_000).orElseThrow();
                assertThat(change.resourceVersion()).isEqualTo(previous + 1);
                previous = change.resourceVersion();
            }
        }
        ListPage page = store.list(ListQuery.all("Concurrent"));
        assertThat(page.items()).hasSize(400);
        assertThat(page.revision()).isGreaterThanOrEqualTo(before + 400);
    }

    @Test
    void aRefusedMutationLeavesNoTraceWhileItsBatchCommits() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<?>> results = new ArrayList<>();
        for (int index = 0; index < 40; index++) {
            int number = index;
            results.add(writers.submit(() -> store.write(transaction -> {
                StoredObject written = put("Mixed", "", "object-" + number).apply(transaction);
                if (number % 2 == 1) {
                    throw ApiException.badRequest("odd objects are refused after writing");
                }
                return written;
            })));
        }
        int refused = 0;
        for (Future<?> result : results) {
            try {
                result.get();
            } catch (java.util.concurrent.ExecutionException failure) {
                assertThat(failure.getCause()).isInstanceOf(ApiException.class);
                refused++;
            }
        }
        writers.shutdown();
        assertThat(refused).isEqualTo(20);
        assertThat(store.list(ListQuery.all("Mixed")).items()).extracting(ListedObject::name)
                .allMatch(name -> Integer.parseInt(name.substring("object-".length())) % 2 == 0).hasSize(20);
    }

    @Test
    void aWatcherResumingFromAnyVersionMissesNothingAndCompactionEndsWithGone() throws Exception {
        StoredObject first = store.write(put("Feed", "team", "a"));
        store.write(put("Feed", "team", "b"));
        store.write(transaction -> transaction.delete(transaction.get(first.key()).orElseThrow(),
                Json.parseObject(first.json())));
        try (WatchStream resumed = store.watch("Feed", first.resourceVersion())) {
            assertThat(resumed.next(1_000).map(change -> change.type() + " " + change.object().name())).contains("ADDED b");
            assertThat(resumed.next(1_000).map(change -> change.type() + " " + change.object().name())).contains("DELETED a");
            store.write(put("Feed", "team", "c"));
            assertThat(resumed.next(5_000).map(change -> change.object().name())).contains("c");
            assertThat(resumed.next(100)).isEmpty();
        }
        Thread.sleep(20);
        store.write(put("Feed", "team", "d"));
        store.compact();
        assertThatThrownBy(() -> store.watch("Feed", first.resourceVersion()))
                .isInstanceOfSatisfying(ApiException.class, gone -> {
                    assertThat(gone.reason()).isEqualTo(ApiException.Reason.GONE);
                    assertThat(gone.getMessage()).contains("too old resource version");
                });
        try (WatchStream current = store.watch("Feed", store.revision())) {
            store.write(put("Feed", "team", "e"));
            assertThat(current.next(5_000).map(change -> change.object().name())).contains("e");
        }
    }

    private static Mutation<StoredObject> putSized(String name, long nodes) {
        return transaction -> {
            ObjectNode object = Json.MAPPER.createObjectNode();
            object.putObject("metadata").put("name", name);
            return transaction.put("Sized", "team", name, Map.of(), Map.of("nodes", nodes), object);
        };
    }

    private static WriteTransaction.Usage usageWithout(String name) {
        return store.write(transaction -> transaction.usage(new UsageScope("Sized", "team", "nodes"), name));
    }

    @Test
    void keepsUsageTotalsThroughCreatesUpdatesDeletesAndRefusals() {
        store.write(putSized("a", 3));
        store.write(putSized("b", 5));
        assertThat(usageWithout("none")).isEqualTo(new WriteTransaction.Usage(2, 8));
        store.write(putSized("b", 7));
        assertThat(usageWithout("a")).isEqualTo(new WriteTransaction.Usage(1, 7));
        assertThatThrownBy(() -> store.write(transaction -> {
            putSized("c", 100).apply(transaction);
            throw ApiException.badRequest("refused after writing");
        })).isInstanceOf(ApiException.class);
        WriteTransaction.Usage withinBatch = store.write(transaction -> {
            putSized("d", 2).apply(transaction);
            StoredObject a = transaction.get(new ObjectKey("Sized", "team", "a")).orElseThrow();
            transaction.delete(a, Json.parseObject(a.json()));
            return transaction.usage(new UsageScope("Sized", "team", "nodes"), "none");
        });
        assertThat(withinBatch).isEqualTo(new WriteTransaction.Usage(2, 9));
        assertThat(usageWithout("none")).isEqualTo(new WriteTransaction.Usage(2, 9));
    }

    @Test
    void aWatcherOnOneReplicaSeesEveryReplicasWritesInOrder() throws Exception {
        try (ResourceStore replica = new ResourceStore(database.dataSource(), Duration.ofHours(1), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
             WatchStream watched = replica.watch("Replicated", replica.revision())) {
            store.write(put("Replicated", "team", "from-first"));
            replica.write(put("Replicated", "team", "from-second"));
            store.write(put("Replicated", "team", "from-first-again"));
            List<String> seen = new ArrayList<>();
            long previous = 0;
            for (int index = 0; index < 3; index++) {
                Change change = watched.next(10_000).orElseThrow(() -> new AssertionError("missing change, saw " + seen));
                assertThat(change.resourceVersion()).isGreaterThan(previous);
                previous = change.resourceVersion();
                seen.add(change.object().name());
            }
            assertThat(seen).containsExactly("from-first", "from-second", "from-first-again");
        }
    }

    @Test
    void listsServeTheStoredJsonUnchangedIncludingNonAscii() {
        StoredObject stored = store.write(transaction -> {
            ObjectNode object = Json.MAPPER.createObjectNode();
            object.putObject("metadata").put("name", "unicode");
            object.putObject("spec").put("displayName", "Données & Zürich — 東京");
            return transaction.put("Unicode", "", "unicode", Map.of(), Map.of(), object);
        });
        ListedObject listed = store.list(ListQuery.all("Unicode")).items().getFirst();
        assertThat(listed.json()).isEqualTo(stored.json()).contains("Données & Zürich — 東京");
    }

    @Test
    void listsPageByPageInKeyOrder() {
        for (String name : List.of("p1", "p2", "p3", "p4", "p5")) {
            store.write(put("Paged", "team", name));
        }
        ListPage first = store.list(new ListQuery("Paged", Optional.of("team"), key -> true, LabelSelector.EVERYTHING, 2, Optional.empty()));
        assertThat(first.items()).extracting(ListedObject::name).containsExactly("p1", "p2");
        ListPage second = store.list(new ListQuery("Paged", Optional.of("team"), key -> true, LabelSelector.EVERYTHING, 2, first.lastKey()));
        assertThat(second.items()).extracting(ListedObject::name).containsExactly("p3", "p4");
        ListPage last = store.list(new ListQuery("Paged", Optional.of("team"),
                key -> !key.name().equals("p5"), LabelSelector.EVERYTHING, 2, second.lastKey()));
        assertThat(last.items()).isEmpty();
        assertThat(last.lastKey()).isEmpty();
    }
}
