#!/usr/bin/env python3
"""Peer benchmark for `neuroinfer bench jansen-rit`: the seed benchmark's forward-Euler Jansen-Rit scheme
(deepjr convention, dt = 1 ms, the 61-s protocol with 60 pulses) in its fastest plain-numpy form, vectorised
across simulations, each recording reduced to its 59-epoch evoked average (-0.2 .. 1 s, baseline-corrected).

Usage: python3 jr_numpy_peer.py N_SIMS [SEED] [streaming|naive]
  streaming (default): in-place updates, epoch sums accumulated while integrating (the fastest form found);
  naive: new arrays each step and the whole 61000 x N trace kept, then epoched (the straightforward form).
Prints one JSON line: sims, steps, seconds, steps_per_second, recordings_per_second, evoked_checksum, form.
"""
import json
import sys
import time

import numpy as np


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    form = sys.argv[3] if len(sys.argv) > 3 else "streaming"
    if form not in ("streaming", "naive"):
        sys.exit("form must be streaming or naive, got " + form)
    rng = np.random.default_rng(seed)
    lo = np.array([2.6e-3, 17.6e-3, 5.0, 25.0, 65.0, 0.5, 0.4, 0.125, 0.125])
    hi = np.array([9.75e-3, 110e-3, 150.0, 75.0, 1350.0, 1.5, 1.2, 0.375, 0.375])
    p = lo + (hi - lo) * rng.random((n, 9))
    a_e, a_i, b_e, b_i, c = p[:, 0], p[:, 1], p[:, 2], p[:, 3], p[:, 4]
    c1, c2, c3, c4 = p[:, 5] * c, p[:, 6] * c, p[:, 7] * c, p[:, 8] * c
    v_max, v_0, r = 0.05, 0.006, 0.56
    dt, n_samples = 1e-3, 61000
    onsets = np.arange(1, 61) * 1000
    stim = np.zeros(n_samples)
    for e in onsets:
        stim[e:e + 50] = 1.0
    ii, ip = 33.6 * stim, 60.0 * stim
    aebe, aibi, be2, bi2, tbe, tbi = a_e * b_e, a_i * b_i, b_e * b_e, b_i * b_i, 2 * b_e, 2 * b_i

    t0 = time.perf_counter()
    if form == "naive":
        evoked = naive(n, c1, c2, c3, c4, aebe, aibi, be2, bi2, tbe, tbi, ii, ip, onsets, v_max, v_0, r, dt,
                       n_samples)
    else:
        evoked = streaming(n, c1, c2, c3, c4, aebe, aibi, be2, bi2, tbe, tbi, ii, ip, onsets, v_max, v_0, r,
                           dt, n_samples)
    seconds = time.perf_counter() - t0
    steps = n * (n_samples - 1)
    print(json.dumps({"sims": n, "steps": steps, "seconds": seconds, "steps_per_second": steps / seconds,
                      "recordings_per_second": n / seconds, "evoked_checksum": float(np.abs(evoked).sum()),
                      "form": form, "numpy": np.__version__}))


def naive(n, c1, c2, c3, c4, aebe, aibi, be2, bi2, tbe, tbi, ii, ip, onsets, v_max, v_0, r, dt, n_samples):
    y = np.zeros((6, n))
    out = np.empty((n_samples, n))
    out[0] = 0.0
    for k in range(1, n_samples):
        y0, y1, y2, y3, y4, y5 = y
        s_p = v_max / (1 + np.exp(r * (v_0 - (y1 - y2))))
        s_e = v_max / (1 + np.exp(r * (v_0 - c1 * y0)))
        s_i = v_max / (1 + np.exp(r * (v_0 - c3 * y0)))
        d3 = aebe * (ii[k - 1] + s_p) - tbe * y3 - be2 * y0
        d4 = aebe * (ip[k - 1] + c2 * s_e) - tbe * y4 - be2 * y1
        d5 = aibi * (ip[k - 1] + c4 * s_i) - tbi * y5 - bi2 * y2
        y = np.array([y0 + dt * y3, y1 + dt * y4, y2 + dt * y5, y3 + dt * d3, y4 + dt * d4, y5 + dt * d5])
        out[k] = y[1] - y[2]
    complete = [e for e in onsets if e + 1000 <= n_samples - 1]
    epochs = np.stack([out[e - 200:e + 1001] for e in complete])
    epochs -= epochs[:, :201].mean(axis=1, keepdims=True)
    return epochs.mean(axis=0)


def streaming(n, c1, c2, c3, c4, aebe, aibi, be2, bi2, tbe, tbi, ii, ip, onsets, v_max, v_0, r, dt, n_samples):
    y = np.zeros((6, n))
    dy = np.empty((6, n))
    tmp = np.empty(n)
    sig = np.empty(n)
    # running sums of the output over the complete epochs (streaming, like neuroinfer; no 61000 x N trace)
    complete = [e for e in onsets if e + 1000 <= n_samples - 1]
    acc = np.zeros((1201, n))
    window_of = [[] for _ in range(n_samples)]
    for e in complete:
        for j in range(1201):
            window_of[e - 200 + j].append(j)

    def sigmoid(v, into):
        np.subtract(v_0, v, out=into)
        np.multiply(into, r, out=into)
        np.exp(into, out=into)
        np.add(into, 1.0, out=into)
        np.divide(v_max, into, out=into)
        return into

    for k in range(1, n_samples):
        y0, y1, y2, y3, y4, y5 = y
        dy[0:3] = y[3:6]
        np.subtract(y1, y2, out=tmp)
        sigmoid(tmp, sig)
        sig += ii[k - 1]
        np.multiply(aebe, sig, out=dy[3])
        dy[3] -= tbe * y3
        dy[3] -= be2 * y0
        np.multiply(c1, y0, out=tmp)
        sigmoid(tmp, sig)
        sig *= c2
        sig += ip[k - 1]
        np.multiply(aebe, sig, out=dy[4])
        dy[4] -= tbe * y4
        dy[4] -= be2 * y1
        np.multiply(c3, y0, out=tmp)
        sigmoid(tmp, sig)
        sig *= c4
        sig += ip[k - 1]
        np.multiply(aibi, sig, out=dy[5])
        dy[5] -= tbi * y5
        dy[5] -= bi2 * y2
        dy *= dt
        y += dy
        for j in window_of[k]:
            acc[j] += y[1]
            acc[j] -= y[2]
    return (acc - acc[:201].mean(axis=0)) / len(complete)

if __name__ == "__main__":
    main()
