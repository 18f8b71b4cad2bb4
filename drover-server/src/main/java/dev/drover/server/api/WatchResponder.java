package dev.drover.server.api;

import dev.drover.model.error.ApiException;
import dev.drover.model.error.FieldError;
import dev.drover.model.error.ResourceType;
import dev.drover.model.selector.LabelSelector;
import dev.drover.server.auth.Principal;
import dev.drover.server.store.Change;
import dev.drover.server.store.ListPage;
import dev.drover.server.store.ListQuery;
import dev.drover.server.store.ListedObject;
import dev.drover.server.store.ObjectKey;
import dev.drover.server.store.ResourceStore;
import dev.drover.server.store.StoredObject;
import dev.drover.server.store.WatchStream;
import dev.drover.server.store.WatcherFellBehind;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Answers a watch request as kube-apiserver does: the initial objects when no resourceVersion is given (or a watch-list
 * asks for them), then the store's changes as JSON lines, with bookmarks when asked for, until the timeout. What each
 * event carries is the {@link View}'s: the kind's own objects in the form asked for, or a view such as a Team's
 * Namespace.
 */
final class WatchResponder {

    /** How the watched objects appear in events. */
    interface View {
        /** The kind and apiVersion bookmarks name. */
        String kind();

        String apiVersion();

        /** The event's object from the stored JSON. */
        String object(String storedJson, long resourceVersion);
    }

    private final ResourceStore store;
    private final Duration bookmarkInterval;
    private final RequestLimits limits;

    WatchResponder(ResourceStore store, Duration bookmarkInterval, RequestLimits limits) {
        this.store = store;
        this.bookmarkInterval = bookmarkInterval;
        this.limits = limits;
    }

    /**
     * @param kind the stored kind watched
     * @param keys which objects the caller may see and asked for, by key
     * @param visible the same for a changed object, labels included
     */
    void respond(Context context, Principal principal, ResourceType kind, Optional<String> namespace, Predicate<ObjectKey> keys, LabelSelector labels,
                 Predicate<StoredObject> visible, View view) {
        boolean bookmarks = "true".equals(context.queryParam("allowWatchBookmarks"));
        long timeoutMillis = ResourceRoutes.parseTimeout(context.queryParam("timeoutSeconds"));
        String version = Optional.ofNullable(context.queryParam("resourceVersion")).orElse("");
        boolean sendInitialEvents = "true".equals(context.queryParam("sendInitialEvents"));
        if (sendInitialEvents && (!bookmarks || !"NotOlderThan".equals(context.queryParam("resourceVersionMatch")))) {
            throw ApiException.invalid(kind, "", List.of(FieldError.forbidden("sendInitialEvents",
                    "sendInitialEvents=true needs allowWatchBookmarks=true and resourceVersionMatch=NotOlderThan")));
        }
        List<ListedObject> initial = new ArrayList<>();
        long from;
        if (sendInitialEvents || version.isEmpty() || version.equals("0")) {
            if (sendInitialEvents && !version.isEmpty()) {
                ResourceRoutes.awaitRevision(store, ResourceRoutes.parseVersion(version));
            }
            ListPage snapshot = store.list(new ListQuery(kind.kind(), namespace, keys, labels, 0, Optional.empty()));
            initial.addAll(snapshot.items());
            from = snapshot.revision();
        } else {
            from = ResourceRoutes.parseVersion(version);
            ResourceRoutes.awaitRevision(store, from);
        }
        try (RequestLimits.WatchSlot slot = limits.openWatch(principal); WatchStream stream = store.watch(kind.kind(), from)) {
            context.status(200);
            context.res().setContentType("application/json");
            context.res().setHeader("Cache-Control", "no-cache, private");
            OutputStream output = context.res().getOutputStream();
            for (ListedObject object : initial) {
                event(output, "ADDED", view.object(object.json(), object.resourceVersion()));
            }
            if (sendInitialEvents) {
                // The bookmark that ends a watch-list's initial events, as client-go informers wait for it.
                bookmark(output, view, from, ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}");
            }
            output.flush();
            long deadline = System.currentTimeMillis() + timeoutMillis;
            long nextBookmark = System.currentTimeMillis() + bookmarkInterval.toMillis();
            while (true) {
                long now = System.currentTimeMillis();
                if (now >= deadline) {
                    return;
                }
                if (bookmarks && now >= nextBookmark) {
                    bookmark(output, view, stream.lastDelivered(), "");
                    output.flush();
                    nextBookmark = now + bookmarkInterval.toMillis();
                }
                long wait = Math.min(deadline, bookmarks ? nextBookmark : deadline) - now;
                Optional<Change> change = stream.next(Math.max(1, wait));
                if (change.isEmpty() || !visible.test(change.get().object())) {
                    continue;
                }
                StoredObject object = change.get().object();
                event(output, change.get().type().name(), view.object(object.json(), object.resourceVersion()));
                output.flush();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (WatcherFellBehind fellBehind) {
            // The client resumes from its last resource version and reads the rest from the change feed.
        } catch (IOException clientGone) {
            // The watcher disconnected; it resumes from its last resource version when it comes back.
        }
    }

    private static void event(OutputStream output, String type, String objectJson) throws IOException {
        output.write(("{\"type\":\"" + type + "\",\"object\":" + objectJson + "}\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void bookmark(OutputStream output, View view, long revision, String moreMetadata) throws IOException {
        output.write(("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"" + view.kind() + "\",\"apiVersion\":\"" + view.apiVersion()
                + "\",\"metadata\":{\"resourceVersion\":\"" + revision + "\"" + moreMetadata + "}}}\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
