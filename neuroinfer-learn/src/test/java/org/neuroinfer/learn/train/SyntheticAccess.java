package org.neuroinfer.learn.train;

import org.neuroinfer.learn.recordings.RecordingSet;

/** Opens {@link Synthetic} to tests of other packages. */
public final class SyntheticAccess {
    private SyntheticAccess() {
    }

    /** See {@link Synthetic#set}. */
    public static RecordingSet set(int n, long seed) {
        return Synthetic.set(n, seed);
    }
}
