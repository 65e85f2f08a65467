package org.neuroinfer.integrate;

import java.util.List;
import org.neuroinfer.model.BatchModel;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;

/** Small models with known solutions for the integrator contract tests. */
final class TestModels {
    private TestModels() {
    }

    /** x'' + 2 zeta omega x' + omega^2 x = input; state (x, v); output x. */
    static final class Oscillator implements BatchModel {
        @Override
        public String name() {
            return "oscillator";
        }

        @Override
        public String[] stateNames() {
            return new String[] {"x", "v"};
        }

        @Override
        public String[] stateUnits() {
            return new String[] {"1", "1/s"};
        }

        @Override
        public String outputUnit() {
            return "1";
        }

        @Override
        public ParameterSpace parameterSpace() {
            return new ParameterSpace(List.of(new Parameter("omega", "rad/s", 10, 1, 100, Prior.UNIFORM, "frequency"),
                    new Parameter("zeta", "1", 0.1, 0, 1, Prior.UNIFORM, "damping ratio")));
        }

        @Override
        public int coefficientCount() {
            return 2;
        }

        @Override
        public void coefficients(double[] p, double[] c, int lane, int lanes) {
            c[lane] = p[0];
            c[lanes + lane] = p[1];
        }

        @Override
        public void derivatives(double t, double[] y, double[] c, double u, double[] dy, int lanes) {
            for (int l = 0; l < lanes; l++) {
                double w = c[l];
                double z = c[lanes + l];
                dy[l] = y[lanes + l];
                dy[lanes + l] = u - 2 * z * w * y[lanes + l] - w * w * y[l];
            }
        }

        @Override
        public void output(double[] y, double[] out, int lanes) {
            System.arraycopy(y, 0, out, 0, lanes);
        }
    }

    /** Ornstein-Uhlenbeck: dx = -theta x dt + sigma dW, stationary variance sigma^2 / (2 theta). */
    static final class OrnsteinUhlenbeck implements BatchModel {
        @Override
        public String name() {
            return "ou";
        }

        @Override
        public String[] stateNames() {
            return new String[] {"x"};
        }

        @Override
        public String[] stateUnits() {
            return new String[] {"1"};
        }

        @Override
        public String outputUnit() {
            return "1";
        }

        @Override
        public ParameterSpace parameterSpace() {
            return new ParameterSpace(List.of(new Parameter("theta", "1/s", 5, 0.1, 100, Prior.UNIFORM, "rate"),
                    new Parameter("sigma", "1/sqrt(s)", 1, 0, 10, Prior.UNIFORM, "intensity")));
        }

        @Override
        public int coefficientCount() {
            return 2;
        }

        @Override
        public void coefficients(double[] p, double[] c, int lane, int lanes) {
            c[lane] = p[0];
            c[lanes + lane] = p[1];
        }

        @Override
        public void derivatives(double t, double[] y, double[] c, double u, double[] dy, int lanes) {
            for (int l = 0; l < lanes; l++) {
                dy[l] = -c[l] * y[l];
            }
        }

        @Override
        public void output(double[] y, double[] out, int lanes) {
            System.arraycopy(y, 0, out, 0, lanes);
        }

        @Override
        public boolean diffusion(double[] c, double[] g, int lanes) {
            System.arraycopy(c, lanes, g, 0, lanes);
            return true;
        }
    }
}
