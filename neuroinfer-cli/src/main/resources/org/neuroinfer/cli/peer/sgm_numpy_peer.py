"""Peer for `neuroinfer bench sgm`: the spectral graph model (sgm2020) written in numpy, the way the Raj lab's
Python code computes it (one numpy.linalg.eig per frequency), from the equations of shared/reference/sgm/README.md.

Prepares the connectome from spectrome's two raw CSV files, evaluates REPEATS spectra at different speeds (each
needs its own 40 eigen-decompositions), and prints one JSON line: the median and best seconds per spectrum and the
sum of the dB spectrum of the first evaluation (a checksum for the Java side).

    OMP_NUM_THREADS=1 python3 sgm_numpy_peer.py RAW_DIR [--repeats N]
"""
import json
import sys
import time

import numpy as np


def prepare(raw_dir):
    with open(raw_dir + "/mean80_fibercount.csv") as f:
        f.readline()
        w = np.loadtxt(f, delimiter=",")
    lengths = np.loadtxt(raw_dir + "/mean80_fiberlength.csv", delimiter=",")
    order = np.r_[18:86, 0:18]
    c1 = w[order][:, order]
    d = lengths[order][:, order]
    left = np.r_[0:34, 68:77]
    right = np.r_[34:68, 77:86]
    same = np.maximum(c1[np.ix_(left, left)], c1[np.ix_(right, right)])
    cross = np.maximum(c1[np.ix_(left, right)], c1[np.ix_(right, left)])
    c2 = np.zeros_like(c1)
    c2[np.ix_(left, left)] = same
    c2[np.ix_(right, right)] = same
    c2[np.ix_(left, right)] = cross
    c2[np.ix_(right, left)] = cross
    c = np.minimum(c2, 7 * c2[c2 > 0].mean())
    return c, d


def spectrum(c, d, freqs, tau_e, tau_i, alpha, speed, gei, gii, tau_c):
    n = c.shape[0]
    rows = c.sum(axis=1)
    cols = c.sum(axis=0)
    norm = 1.0 / (np.sqrt(rows * cols) + np.finfo(float).eps)
    keep = int(round(2 * n / 3))
    out = np.empty((n, len(freqs)))
    for f, hz in enumerate(freqs):
        w = 2 * np.pi * hz
        lap = np.eye(n) - alpha * norm[:, None] * (c * np.exp(-1j * w * 0.001 * d / speed))
        lam, vec = np.linalg.eig(lap)
        order = np.argsort(np.abs(lam))
        lam = lam[order]
        vec = vec[:, order]

        def transfer(tau):
            return (1 / tau ** 2) / (1j * w + 1 / tau) ** 2

        fe = transfer(tau_e)
        fi = gii * transfer(tau_i)
        he = (1 / tau_e) / (1j * w + fe / tau_e)
        hi = (1 / tau_i) / (1j * w + fi / tau_i)
        hei = gei * fe * fi / (1 + gei * fe * fi)
        local = 0.5 * he + 0.25 * hi + 0.25 * hei
        q = tau_c * 1j * w + fe * lam
        mod = np.abs(q)
        q = np.maximum(mod, 0.05 * mod.max()) * np.exp(1j * np.angle(q))
        r = local / q
        out[:, f] = np.abs(vec[:, 1:keep] @ r[1:keep])
    return out


def main():
    raw = sys.argv[1]
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 10
    c, d = prepare(raw)
    freqs = np.linspace(2, 45, 40)
    params = [0.012, 0.003, 1.0, 5.0, 4.0, 1.0, 0.006]
    first = spectrum(c, d, freqs, *params)
    checksum = float(np.sum(20 * np.log10(first)))
    times = []
    for k in range(repeats):
        p = list(params)
        p[3] = 5.0 + 15.0 * (k + 1) / (repeats + 1)
        t0 = time.perf_counter()
        spectrum(c, d, freqs, *p)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"median_s": float(np.median(times)), "best_s": float(np.min(times)), "repeats": repeats,
                      "checksum_db": checksum, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
