package org.neuroinfer.learn.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.neuroinfer.learn.nn.Lstm;
import org.neuroinfer.learn.nn.LstmKernel;

/** The engine self-check: it passes here with every kernel, and its failure and remedy paths do what they say. */
class EngineCheckTest {
    /** A probe of the linear block whose reference is off by {@code offset} until {@code fixed} is set. */
    static EngineCheck.Probe linearOff(String name, double offset, AtomicBoolean fixed) {
        EngineCheck.Probe linear = EngineProbes.standard().get(0);
        return new EngineCheck.Probe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double[][] run(NDManager manager) {
                double[][] r = linear.run(manager);
                if (!fixed.get()) {
                    r[1][3] += offset;
                }
                return r;
            }
        };
    }

    @Test
    void everyProbePassesOnThisMachineWithEveryLstmKernel() {
        Engine e = TorchRuntime.engine();
        assertTrue(TorchRuntime.check().deviations().keySet().containsAll(List.of("linear", "conv1d",
                "lstm (inference)", "lstm (training)", "attention", "layer norm", "batch norm (inference)",
                "made masked linear", "activations")), TorchRuntime.check().summary());
        LstmKernel before = Lstm.kernel();
        try {
            for (LstmKernel k : LstmKernel.values()) {
                Lstm.useKernel(k);
                EngineCheck.Report r = EngineCheck.run(e, EngineProbes.standard(), List.of());
                for (var d : r.deviations().entrySet()) {
                    assertTrue(d.getValue() <= 1e-6, k + " " + d.getKey() + " " + d.getValue());
                }
            }
        } finally {
            Lstm.useKernel(before);
        }
    }

    @Test
    void aWrongReferenceStopsWithAMessageNamingTheBlockTheCpuAndWhatToSet() {
        var probes = List.of(EngineProbes.standard().get(1), linearOff("deliberately wrong linear", 1e-3,
                new AtomicBoolean(false)));
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> EngineCheck.run(TorchRuntime.engine(), probes, EngineProbes.remedies()));
        String msg = ex.getMessage();
        assertTrue(msg.contains("deliberately wrong linear: element 3"), msg);
        assertTrue(!msg.contains("conv1d"), msg);
        assertTrue(msg.contains("CPU: ") && msg.contains("DNNL_MAX_CPU_ISA=") && msg.contains("No in-process remedy"),
                msg);
    }

    @Test
    void aRemedyConcerningTheFailingProbeIsAppliedAndTheCheckRepeated() {
        AtomicBoolean fixed = new AtomicBoolean(false);
        var remedies = List.of(new EngineCheck.Remedy("not this one", "conv", () -> {
            throw new AssertionError("applied a remedy for another block");
        }), new EngineCheck.Remedy("the fix", "broken", () -> fixed.set(true)));
        EngineCheck.Report r = EngineCheck.run(TorchRuntime.engine(), List.of(linearOff("broken linear", 0.5, fixed)),
                remedies);
        assertEquals(List.of("the fix"), r.remedies());
        assertTrue(r.deviations().get("broken linear") <= 1e-6);
        assertTrue(r.summary().contains("remedies: the fix"), r.summary());
    }

    @Test
    void aRemedyThatDoesNotHelpIsNamedInTheMessage() {
        var remedies = List.of(new EngineCheck.Remedy("a useless setting", "broken", () -> {
        }));
        IllegalStateException ex = assertThrows(IllegalStateException.class, () -> EngineCheck.run(
                TorchRuntime.engine(), List.of(linearOff("broken linear", 0.5, new AtomicBoolean(false))), remedies));
        assertTrue(ex.getMessage().contains("Tried: a useless setting."), ex.getMessage());
    }
}
