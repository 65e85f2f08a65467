package org.neuroinfer.numeric;

/**
 * Prints the bytes allocated by the fewest-allocating of up to 200 rounds of 20,000 vector logistic calls (stopping
 * at the first round that allocates nothing): 0 once C2 keeps every vector in registers. Run in a fresh JVM, as a
 * command runs, by {@link VectorMathTest}.
 */
public final class ExpAllocationProbe {
    private ExpAllocationProbe() {
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        int len = VectorMath.SPECIES.length();
        double[] a = new double[8 * len];
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 200 && least > 0; round++) {
            long before = mx.getThreadAllocatedBytes(me);
            for (int rep = 0; rep < 20_000; rep++) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = 0.01 * ((rep + i) % 1500) - 7.5;
                }
                VectorMath.logistic(a, 0, a.length, 5.0);
            }
            least = Math.min(least, mx.getThreadAllocatedBytes(me) - before);
        }
        System.out.println(least);
    }
}
