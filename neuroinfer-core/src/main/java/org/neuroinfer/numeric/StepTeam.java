package org.neuroinfer.numeric;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that share the nodes of every integration step: {@link #run} hands each its contiguous range of nodes
 * and returns when all are done. Steps are short (microseconds), so the helpers spin between steps instead of
 * parking at once (they yield, then park, when a step keeps them waiting); a team lives for one simulation and must
 * be closed. It never has more threads than the machine has cores, and when the helpers keep the caller waiting
 * longer than its own share takes (other work holds the cores), the caller goes on alone for a while and then
 * tries the team again. Each node's work is the same whichever thread
 * does it, so results do not depend on the number of threads.
 */
public final class StepTeam implements AutoCloseable {
    /** The work of one step on nodes [lo, hi). */
    public interface Range {
        /** Does the step's work for nodes lo … hi - 1. */
        void run(int lo, int hi);
    }

    private final int threads;
    private final int nodes;
    private final Thread[] helpers;
    private final AtomicInteger phase = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Range task;
    private volatile boolean closed;
    private volatile Throwable failure;
    private int soloSteps; // > 0: steps left to work alone before measuring the team again
    private long workNs;
    private long waitNs;
    private int measured;

    /** A team of {@code threads} (the caller and {@code threads - 1} helpers) over {@code nodes} nodes. */
    public StepTeam(int threads, int nodes) {
        this.threads = Math.max(1, Math.min(Math.min(threads, nodes), Runtime.getRuntime().availableProcessors()));
        this.nodes = nodes;
        this.helpers = new Thread[this.threads - 1];
        for (int t = 1; t < this.threads; t++) {
            int id = t;
            helpers[t - 1] = new Thread(() -> loop(id), "network-step-" + t);
            helpers[t - 1].setDaemon(true);
            helpers[t - 1].start();
        }
    }

    private int lo(int t) {
        return (int) ((long) nodes * t / threads);
    }

    private void loop(int id) {
        int seen = 0;
        while (true) {
            int p;
            int spins = 0;
            while ((p = phase.get()) == seen) {
                if (closed) {
                    return;
                }
                pause(++spins);
            }
            seen = p;
            try {
                task.run(lo(id), lo(id + 1));
            } catch (Throwable e) {
                failure = e;
            }
            pending.decrementAndGet();
        }
    }

    /** Spin briefly, then give the core away: a teammate may be waiting for it when the machine is busy. */
    private static void pause(int spins) {
        if (spins < 20_000) {
            Thread.onSpinWait();
        } else if (spins < 30_000) {
            Thread.yield();
        } else {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
    }

    /** Runs {@code r} over all nodes, split across the team, and waits for it. */
    public void run(Range r) {
        if (threads == 1 || soloSteps > 0) {
            if (soloSteps > 0) {
                soloSteps--;
            }
            r.run(0, nodes);
            return;
        }
        task = r;
        pending.set(threads - 1);
        phase.incrementAndGet();
        long t0 = System.nanoTime();
        r.run(lo(0), lo(1));
        long t1 = System.nanoTime();
        int spins = 0;
        while (pending.get() != 0) {
            pause(++spins);
        }
        // on a busy machine the helpers are descheduled and every step waits for them: then work alone
        workNs += t1 - t0;
        waitNs += System.nanoTime() - t1;
        if (++measured == 2000) {
            soloSteps = waitNs > workNs ? 50_000 : 0; // then try the team again: the machine may be free
            measured = 0;
            workNs = 0;
            waitNs = 0;
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(f);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
