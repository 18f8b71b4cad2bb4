package dev.drover.server.controller;

import java.util.List;
import java.util.Set;

/**
 * The one shape of every Drover controller. Informers feed a {@link WorkQueue} with keys that name what to look at,
 * never what happened; a {@link ControllerRunner} hands the controller every due key as one batch, and the controller
 *
 * <ol>
 *   <li><b>observes</b>: reads the current state from its informers (level-triggered: whatever woke it);</li>
 *   <li><b>decides</b>: a pure function of what it observed, with no I/O, unit-tested on its own;</li>
 *   <li><b>acts</b>: writes what it decided (Git, status through a {@link StatusWriter}), and nothing when nothing
 *       changed.</li>
 * </ol>
 *
 * <p>Reconciling the same state twice has the effect of reconciling it once (idempotent). A failure the controller
 * understands becomes a status condition with a reason and a message, and its key is retried with backoff by returning
 * it from {@link #reconcile}; an exception it does not understand is logged by the runner and the whole batch is
 * retried with backoff. The runner's thread never dies of either.
 */
public interface Controller<K> {

    /** A name for logs and the worker thread, for example {@code fleet}. */
    String name();

    /**
     * Brings the batch's keys up to date.
     *
     * @return the keys to retry with backoff; the others' failure counts are cleared
     */
    Set<K> reconcile(List<K> batch);
}
