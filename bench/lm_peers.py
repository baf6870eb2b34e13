#!/usr/bin/env python3
"""The peers of samples/char_transformer.json: its training step in PyTorch
eager and in jax.jit, on one random batch of byte windows, timed.

  lm_peers.py torch|jax [--threads 1] [--steps 50]

Prints one JSON object, as ../shared/bench's peers do: {"bench":
"transformer", "peer", "version", "threads", "steps", "steps_per_s",
"loss"}. The model is read from the sample (embedding, learned positions,
pre-norm causal encoder layers with GELU, a final norm and a head over
bytes; Adam with clipping by norm), so hebb and its peers train the same
network. Runs on the python of ../shared/bench/setup-peers.sh.
"""
import argparse, json, os, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def config():
    s = json.load(open(os.path.join(ROOT, "samples", "char_transformer.json")))
    layers = {l["name"]: l for l in s["layers"] if "name" in l}
    blocks = [layers[k] for k in layers if k.startswith("block")]
    return {"batch": s["batch_size"], "steps": s["input"]["shape"][0],
            "vocab": layers["embed"]["num_embeddings"], "width": layers["embed"]["embedding_dim"],
            "heads": blocks[0]["nhead"], "hidden": blocks[0]["dim_feedforward"],
            "layers": len(blocks), "lr": s["training"]["optimizer"]["lr"],
            "clip": s["training"]["optimizer"]["clip_norm"]}


def run_torch(c, steps, threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    embed = torch.nn.Embedding(c["vocab"], c["width"])
    pos = torch.nn.Parameter(torch.randn(c["steps"], c["width"]))
    blocks = torch.nn.ModuleList(
        torch.nn.TransformerEncoderLayer(c["width"], c["heads"], c["hidden"], dropout=0.0,
                                         activation="gelu", batch_first=True, norm_first=True)
        for _ in range(c["layers"]))
    norm, head = torch.nn.LayerNorm(c["width"]), torch.nn.Linear(c["width"], c["vocab"])
    params = [pos] + [p for m in (embed, blocks, norm, head) for p in m.parameters()]
    opt = torch.optim.Adam(params, lr=c["lr"])
    mask = torch.triu(torch.full((c["steps"], c["steps"]), float("-inf")), diagonal=1)
    x = torch.randint(0, c["vocab"], (c["batch"], c["steps"]))
    y = torch.randint(0, c["vocab"], (c["batch"], c["steps"]))
    lossfn = torch.nn.CrossEntropyLoss()
    for s in range(steps + 5):
        if s == 5:
            start = time.perf_counter()
        opt.zero_grad()
        h = embed(x) + pos[None]
        for b in blocks:
            h = b(h, src_mask=mask)
        loss = lossfn(head(norm(h)).reshape(-1, c["vocab"]), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, c["clip"])
        opt.step()
    return time.perf_counter() - start, loss.item(), "torch eager", torch.__version__


def run_jax(c, steps, threads):
    os.environ["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=%s intra_op_parallelism_threads=%d"
                               % ("true" if threads > 1 else "false", threads))
    import jax
    import jax.numpy as jnp
    key = jax.random.PRNGKey(0)
    keys = iter(jax.random.split(key, 64))
    w, f, v = c["width"], c["hidden"], c["vocab"]

    def linear(n_in, n_out):
        b = 1 / n_in ** 0.5
        return {"w": jax.random.uniform(next(keys), (n_in, n_out), minval=-b, maxval=b),
                "b": jax.random.uniform(next(keys), (n_out,), minval=-b, maxval=b)}

    def norm_params():
        return {"g": jnp.ones(w), "b": jnp.zeros(w)}

    params = {"embed": jax.random.normal(next(keys), (v, w)),
              "pos": jax.random.normal(next(keys), (c["steps"], w)),
              "blocks": [{"n1": norm_params(), "qkv": linear(w, 3 * w), "out": linear(w, w),
                          "n2": norm_params(), "l1": linear(w, f), "l2": linear(f, w)}
                         for _ in range(c["layers"])],
              "norm": norm_params(), "head": linear(w, v)}

    def layer_norm(p, h):
        mu = h.mean(-1, keepdims=True)
        var = ((h - mu) ** 2).mean(-1, keepdims=True)
        return (h - mu) / jnp.sqrt(var + 1e-5) * p["g"] + p["b"]

    causal = jnp.tril(jnp.ones((c["steps"], c["steps"]), bool))

    def attend(p, h):
        b, t, _ = h.shape
        d = w // c["heads"]
        qkv = (h @ p["qkv"]["w"] + p["qkv"]["b"]).reshape(b, t, 3, c["heads"], d)
        q, k, val = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))
        s = jnp.where(causal, q @ k.transpose(0, 1, 3, 2) / d ** 0.5, -jnp.inf)
        o = (jax.nn.softmax(s, -1) @ val).transpose(0, 2, 1, 3).reshape(b, t, w)
        return o @ p["out"]["w"] + p["out"]["b"]

    def loss_fn(p, x, y):
        h = p["embed"][x] + p["pos"][None]
        for blk in p["blocks"]:
            h = h + attend(blk, layer_norm(blk["n1"], h))
            z = jax.nn.gelu(layer_norm(blk["n2"], h) @ blk["l1"]["w"] + blk["l1"]["b"],
                            approximate=False)
            h = h + z @ blk["l2"]["w"] + blk["l2"]["b"]
        logits = layer_norm(p["norm"], h) @ p["head"]["w"] + p["head"]["b"]
        logp = jax.nn.log_softmax(logits, -1)
        return -jnp.take_along_axis(logp, y[..., None], -1).mean()

    @jax.jit
    def step(p, m, s, t, x, y):
        loss, g = jax.value_and_grad(loss_fn)(p, x, y)
        norm = jnp.sqrt(sum(jnp.sum(a * a) for a in jax.tree_util.tree_leaves(g)))
        g = jax.tree_util.tree_map(lambda a: a * jnp.minimum(1.0, c["clip"] / (norm + 1e-6)), g)
        m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
        s = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, s, g)
        lr = c["lr"] * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        p = jax.tree_util.tree_map(lambda a, mm, ss: a - lr * mm / (jnp.sqrt(ss) + 1e-8), p, m, s)
        return p, m, s, loss

    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    m, s = zeros, zeros
    x = jax.random.randint(next(keys), (c["batch"], c["steps"]), 0, v)
    y = jax.random.randint(next(keys), (c["batch"], c["steps"]), 0, v)
    for i in range(steps + 5):
        if i == 5:
            jax.block_until_ready(params)
            start = time.perf_counter()
        params, m, s, loss = step(params, m, s, i + 1, x, y)
    jax.block_until_ready(params)
    return time.perf_counter() - start, float(loss), "jax.jit", jax.__version__


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("peer", choices=["torch", "jax"])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=50)
    a = ap.parse_args()
    c = config()
    secs, loss, peer, version = (run_torch if a.peer == "torch" else run_jax)(c, a.steps, a.threads)
    print(json.dumps({"bench": "transformer", "peer": peer, "version": version,
                      "threads": a.threads, "steps": a.steps,
                      "steps_per_s": round(a.steps / secs, 1), "loss": round(loss, 4)}))


if __name__ == "__main__":
    main()
