"""Peer for `neuroinfer bench-infer --peer`: a saved neuroinfer model's forward pass written again in numpy.

It reads MODEL_DIR/model.json and weights.npz (nothing else of neuroinfer), predicts the parameters of the
recordings in INPUT.npy ([n, channels, samples], volts), writes them to OUTPUT.npy and prints timings as JSON:
the median time per recording with a batch of one, and recordings per second in one batch of all of them.

    python3 infer_numpy_peer.py MODEL_DIR INPUT.npy OUTPUT.npy [--calls N]
"""
import json
import re
import sys
import time

import numpy as np

try:
    from scipy.special import erf
except ImportError:  # pragma: no cover
    erf = np.vectorize(__import__("math").erf)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm(x, w_ih, w_hh, b_ih, b_hh):
    """x [n, T, I] -> h [n, T, H]; gates i, f, g, o stacked along the weights' first axis."""
    n, steps, _ = x.shape
    hidden = w_hh.shape[1]
    pre = x @ w_ih.T + b_ih + b_hh
    h = np.zeros((n, hidden), x.dtype)
    c = np.zeros((n, hidden), x.dtype)
    out = np.empty((n, steps, hidden), x.dtype)
    for t in range(steps):
        z = pre[:, t] + h @ w_hh.T
        i, f, g, o = np.split(z, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        out[:, t] = h
    return out


def layer_norm(x, gamma, beta):
    mu = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-5) * gamma + beta


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def encoder_block(x, w, heads):
    """w: the block's arrays by name without position numbers (norm1_gamma, attention_qkv_weight, ...)."""
    n, tokens, d = x.shape
    dh = d // heads
    h = layer_norm(x, w["norm1_gamma"], w["norm1_beta"])
    qkv = h @ w["attention_qkv_weight"].T + w["attention_qkv_bias"]
    qkv = qkv.reshape(n, tokens, 3, heads, dh).transpose(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    s = np.exp(s - s.max(-1, keepdims=True))
    s /= s.sum(-1, keepdims=True)
    a = (s @ v).transpose(0, 2, 1, 3).reshape(n, tokens, d)
    y = x + a @ w["attention_out_weight"].T + w["attention_out_bias"]
    u = layer_norm(y, w["norm2_gamma"], w["norm2_beta"]) @ w["up_weight"].T + w["up_bias"]
    return y + gelu(u) @ w["down_weight"].T + w["down_bias"]


class Model:
    def __init__(self, folder):
        with open(folder + "/model.json") as f:
            self.card = json.load(f)
        data = np.load(folder + "/weights.npz")
        self.w = {k: data[k].astype(np.float32) for k in data.files}
        inp = self.card["input"]
        self.decimate = inp["decimate"]
        self.times = inp["raw_times"] // self.decimate
        self.mean = np.asarray(inp["mean"], np.float32)[:, None]
        self.sd = np.asarray(inp["sd"], np.float32)[:, None]
        t = self.card["targets"]
        self.t_mean = np.asarray(t["mean"])
        self.t_sd = np.asarray(t["sd"])
        self.net = self.card["network"]

    def linear(self, x, key):
        return x @ self.w[key + "_weight"].T + self.w[key + "_bias"]

    def predict(self, raw):
        n, c, _ = raw.shape
        x = raw[:, :, : self.times * self.decimate].reshape(n, c, self.times, self.decimate).mean(-1)
        x = ((x - self.mean) / self.sd).astype(np.float32)
        kind = self.net["kind"]
        linears = sorted(k[: -len("_weight")] for k in self.w if k[2:].startswith("Linear_weight"))
        if kind in ("bilstm", "lstm", "cnn-bilstm"):
            for key in sorted(k[: -len("_weight")] for k in self.w if k[2:].startswith("Conv1d_weight")):
                wc = self.w[key + "_weight"]
                stride = self.net["conv_stride"]
                kw = wc.shape[2]
                length = (x.shape[2] - kw) // stride + 1
                win = np.lib.stride_tricks.sliding_window_view(x, kw, axis=2)[:, :, ::stride][:, :, :length]
                x = np.maximum(np.einsum("nclk,fck->nfl", win, wc) + self.w[key + "_bias"][None, :, None], 0)
            seq = x.transpose(0, 2, 1)
            rec = [k[:-5] for k in self.w if k.endswith("_w_ih")]
            if kind == "lstm":
                p = rec[0]
                h = lstm(seq, self.w[p + "_w_ih"], self.w[p + "_w_hh"], self.w[p + "_b_ih"], self.w[p + "_b_hh"])
                z = h[:, -1]
            else:
                f = [p for p in rec if "forward" in p][0]
                b = [p for p in rec if "backward" in p][0]
                hf = lstm(seq, *(self.w[f + s] for s in ("_w_ih", "_w_hh", "_b_ih", "_b_hh")))
                hb = lstm(seq[:, ::-1], *(self.w[b + s] for s in ("_w_ih", "_w_hh", "_b_ih", "_b_hh")))
                z = np.concatenate([hf[:, -1], hb[:, -1]], axis=1)
            out = self.linear(z, linears[-1])
        elif kind in ("transformer", "patch-transformer"):
            if kind == "patch-transformer":
                p = self.net["patch"]
                tokens = x.shape[2] // p
                x = x[:, :, : tokens * p].reshape(n, c, tokens, p).transpose(0, 2, 1, 3).reshape(n, tokens, c * p)
            x = self.linear(x, linears[0])
            code = [k for k in self.w if k.endswith("TokenEmbedding_position")]
            if code:
                x = x + self.w[code[0]]
            else:
                tokens, d = x.shape[1], x.shape[2]
                i = np.arange(d)
                angle = np.arange(tokens)[:, None] / np.power(10000.0, (i - i % 2) / d)[None, :]
                x = x + np.where(i % 2 == 0, np.sin(angle), np.cos(angle)).astype(np.float32)
            blocks = sorted({k.split("_")[0] for k in self.w if "EncoderBlock" in k})
            for blk in blocks:
                # keys look like 03EncoderBlock_02attention_01qkv_weight: drop the position numbers
                parts = {"_".join(re.sub(r"^\d\d", "", q) for q in k.split("_")[1:]): v
                         for k, v in self.w.items() if k.startswith(blk + "_")}
                x = encoder_block(x, parts, self.net["heads"])
            ln = [k[: -len("_gamma")] for k in self.w if k[2:] == "LayerNorm_gamma"][0]
            x = layer_norm(x, self.w[ln + "_gamma"], self.w[ln + "_beta"]).mean(1)
            out = self.linear(x, linears[-1])
        else:
            if kind == "summary":
                t = x.shape[2]
                feats = [x.mean(2), x.std(2), x.min(2), x.max(2), x.argmin(2) / t, x.argmax(2) / t]
                z = np.stack(feats, axis=2).reshape(n, -1).astype(np.float32)
            else:
                z = x.reshape(n, -1)
            for key in linears[:-1]:
                z = np.maximum(self.linear(z, key), 0)
            out = self.linear(z, linears[-1])
        return out.astype(np.float64) * self.t_sd + self.t_mean


def main():
    folder, inp, outp = sys.argv[1], sys.argv[2], sys.argv[3]
    calls = int(sys.argv[sys.argv.index("--calls") + 1]) if "--calls" in sys.argv else 100
    model = Model(folder)
    x = np.load(inp).astype(np.float32)
    for _ in range(5):
        model.predict(x[:1])
    times = []
    for i in range(calls):
        t0 = time.perf_counter()
        model.predict(x[i % len(x): i % len(x) + 1])
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    y = model.predict(x)
    batch = time.perf_counter() - t0
    np.save(outp, y)
    print(json.dumps({"median_ms": float(np.median(times) * 1e3), "per_second": len(x) / batch,
                      "numpy": np.__version__}))


if __name__ == "__main__":
    main()
