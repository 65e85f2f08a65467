package org.neuroinfer.learn.torch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Starts DJL's PyTorch engine offline (the CPU libtorch comes from the {@code pytorch-native-cpu} jar on the class
 * path and is unpacked to {@code ~/.djl.ai} once) and resolves the device named in a configuration.
 *
 * <p>Devices: {@code cpu} (default), {@code cuda} or {@code cuda:N} (needs a CUDA build of libtorch, i.e. the
 * {@code pytorch-native-cuXXX} jar on the class path instead of the CPU one), and {@code auto} (the first GPU if there
 * is one, else the CPU).
 */
public final class TorchRuntime {
    private static volatile Engine engine;
    private static volatile EngineCheck.Report check;
    private static volatile int defaultThreads;

    private TorchRuntime() {
    }

    /** The PyTorch engine, started offline on first use. */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (TorchRuntime.class) {
                if (engine == null) {
                    // DJL reads these as environment variables or system properties; never go to the network
                    setIfAbsent("offline", "true");
                    setIfAbsent("DJL_OFFLINE", "true");
                    setIfAbsent("OPT_OUT_TRACKING", "true");
                    setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
                    FreeCores.Sample before = FreeCores.sample();
                    Engine started;
                    try {
                        started = Engine.getEngine("PyTorch");
                    } catch (RuntimeException ex) {
                        throw new IllegalStateException("cannot start the PyTorch engine offline: " + ex.getMessage()
                                + " (libtorch is unpacked from the pytorch-native-cpu jar into ~/.djl.ai; check that "
                                + "the directory is writable)", ex);
                    }
                    EngineCheck.Report r = EngineCheck.run(started, EngineProbes.standard(), EngineProbes.remedies());
                    if (!r.remedies().isEmpty()) {
                        System.err.println("note: the engine self-check found a native kernel computing wrong numbers "
                                + "on this CPU and now uses " + String.join(", ", r.remedies()) + " (" + r.summary()
                                + ")");
                    }
                    check = r;
                    defaultThreads = FreeCores.between(before, FreeCores.sample(),
                            Runtime.getRuntime().availableProcessors());
                    ai.djl.pytorch.jni.JniUtils.setNumThreads(defaultThreads);
                    engine = started;
                }
                e = engine;
            }
        }
        return e;
    }

    /**
     * The device for {@code name}: cpu, cuda, cuda:N or auto.
     *
     * @throws IllegalArgumentException for another name, or a GPU that is not there
     */
    public static Device device(String name) {
        String n = name == null ? "cpu" : name.trim().toLowerCase(Locale.ROOT);
        int gpus = engine().getGpuCount();
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (n.equals("cuda") || n.equals("gpu") || n.startsWith("cuda:")) {
            int id = n.startsWith("cuda:") ? parseId(n.substring(5)) : 0;
            if (id >= gpus) {
                throw new IllegalArgumentException("device: " + name + " asked for, but this libtorch sees " + gpus
                        + " GPU(s); put the pytorch-native-cu* jar on the class path, or use cpu");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device: '" + name + "' is not one of cpu, cuda, cuda:N, auto");
    }

    private static int parseId(String s) {
        try {
            int id = Integer.parseInt(s);
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("device: 'cuda:" + s + "' needs a GPU number >= 0");
    }

    /** What the engine self-check found when the engine started (starting it if needed). */
    public static EngineCheck.Report check() {
        engine();
        return check;
    }

    /** The engine as provenance names it: "PyTorch x.y.z via DJL". */
    public static String describe() {
        return "PyTorch " + engine().getVersion() + " via DJL";
    }

    /**
     * The intra-op threads libtorch uses unless {@link #threads} says otherwise: the cores other processes left
     * free while the engine started (see {@link FreeCores}), at least 1. On a quiet machine that is every core;
     * with another process keeping one core of two busy it is 1, because libtorch's spinning OpenMP threads would
     * otherwise run 2-6 times slower than one thread.
     */
    public static int defaultThreads() {
        engine();
        return defaultThreads;
    }

    /** Sets libtorch's intra-op threads (by default {@link #defaultThreads()}). */
    public static void threads(int n) {
        engine();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(n);
    }

    /**
     * Turns autograd off on this thread until closed. PyTorch's grad mode is per thread and DJL turns it off only on
     * the thread that started the engine; on any other (a Spark task, a pool) a forward pass would record a graph
     * and may run other kernels: a fused LSTM gave outputs 5·10⁻⁶ apart between the two. Every inference entry
     * point runs under this, so a prediction is the same bytes on every thread.
     */
    public static NoGrad noGrad() {
        engine();
        boolean was = ai.djl.pytorch.jni.JniUtils.isGradMode();
        if (was) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
        return () -> {
            if (was) {
                ai.djl.pytorch.jni.JniUtils.setGradMode(true);
            }
        };
    }

    /** The scope of {@link #noGrad()}: closing it restores the thread's grad mode. */
    @FunctionalInterface
    public interface NoGrad extends AutoCloseable {
        @Override
        void close();
    }

    /** Seeds libtorch's generator (dropout masks) for reproducible training. */
    public static void seed(long seed) {
        engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
