#!/usr/bin/python3
"""The text samples against PyTorch: same model, initial weights, data and steps.

For samples/char_lstm.json, char_transformer.json and topic_gru.json, builds
the same network in PyTorch, saves its initial state_dict as safetensors,
trains it for --steps consecutive batches (no shuffling) with Adam and
clipping by norm as the sample says, and evaluates the held-out split; then
runs `hebb train --init` on the same files for the same steps and `hebb eval`
on the same split. Prints one JSON object per sample: held-out loss (nats;
bits per byte for the language models) and accuracy of both, the relative
loss difference, and steps/s of both (hebb's from its own report).

  bench/text_vs_torch.py [--build build] [--data DIR] [--steps 1000]
                         [--threads 1] [--only char_lstm,...]

DIR holds the token files of samples/text/fortunes.py (made there when
missing). Needs numpy and torch (Debian's python3-torch will do).
"""
import argparse, json, math, os, re, struct, subprocess, sys, time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        a = tensors[name].detach().numpy().astype("<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def spec(name):
    return json.load(open(os.path.join(ROOT, "samples", name + ".json")))


def language_model(name):
    """The PyTorch network of char_lstm or char_transformer, parameters named
    as hebb names them; forward(ids) -> logits [B, T, V]."""
    s = spec(name)
    layers = {l["name"]: l for l in s["layers"] if "name" in l}
    steps = s["input"]["shape"][0]
    vocab = layers["embed"]["num_embeddings"]
    width = layers["embed"]["embedding_dim"]
    m = torch.nn.ModuleDict({"embed": torch.nn.Embedding(vocab, width)})
    if name == "char_lstm":
        m["lstm"] = torch.nn.LSTM(width, layers["lstm"]["hidden_size"], batch_first=True)
        m["head"] = torch.nn.Linear(layers["lstm"]["hidden_size"], vocab)
        forward = lambda x: m["head"](m["lstm"](m["embed"](x))[0])
    else:
        m["pos"] = torch.nn.Embedding(steps, width)
        blocks = [k for k in layers if k.startswith("block")]
        for k in blocks:
            l = layers[k]
            m[k] = torch.nn.TransformerEncoderLayer(
                width, l["nhead"], l["dim_feedforward"], dropout=0.0,
                activation=l["activation"], batch_first=True, norm_first=l["norm_first"])
        m["norm"] = torch.nn.LayerNorm(width)
        m["head"] = torch.nn.Linear(width, vocab)
        mask = torch.triu(torch.full((steps, steps), float("-inf")), diagonal=1)

        def forward(x):
            h = m["embed"](x) + m["pos"].weight[None]
            for k in blocks:
                h = m[k](h, src_mask=mask)
            return m["head"](m["norm"](h))
    return s, m, forward


def topic_classifier():
    s = spec("topic_gru")
    layers = {l["name"]: l for l in s["layers"]}
    e, g = layers["embed"], layers["gru"]
    m = torch.nn.ModuleDict({
        "embed": torch.nn.Embedding(e["num_embeddings"], e["embedding_dim"],
                                    padding_idx=e["padding_idx"]),
        "gru": torch.nn.GRU(e["embedding_dim"], g["hidden_size"], batch_first=True),
        "head": torch.nn.Linear(g["hidden_size"], layers["head"]["units"])})

    def forward(tokens, mask):
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            m["embed"](tokens), mask.sum(1).long().clamp(min=1), batch_first=True,
            enforce_sorted=False)
        return m["head"](m["gru"](packed)[1][-1])
    return s, m, forward


def train_torch(s, m, forward, xs, y, steps):
    opt = s["training"]["optimizer"]
    optim = torch.optim.Adam(m.parameters(), lr=opt["lr"])
    lossfn = torch.nn.CrossEntropyLoss()
    batch, n = s["batch_size"], len(y)
    start = time.perf_counter()
    for step in range(steps):
        # hebb train --steps: the samples in order, round and round.
        rows = torch.arange(step * batch, (step + 1) * batch) % n
        optim.zero_grad()
        out = forward(*[x[rows] for x in xs])
        lossfn(out.reshape(-1, out.shape[-1]), y[rows].reshape(-1)).backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), opt["clip_norm"])
        optim.step()
    return steps / (time.perf_counter() - start)


def evaluate_torch(forward, xs, y, batch=256):
    lossfn = torch.nn.CrossEntropyLoss(reduction="sum")
    total, hits, count = 0.0, 0, 0
    with torch.no_grad():
        for first in range(0, len(y), batch):
            out = forward(*[x[first:first + batch] for x in xs])
            out, t = out.reshape(-1, out.shape[-1]), y[first:first + batch].reshape(-1)
            total += lossfn(out, t).item()
            hits += (out.argmax(1) == t).sum().item()
            count += t.numel()
    return total / count, hits / count


def hebb(build, args, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    r = subprocess.run([os.path.join(build, "tools", "hebb")] + args, capture_output=True,
                       text=True, env=env)
    if r.returncode:
        sys.exit("hebb %s failed: %s" % (args[0], r.stderr.strip()))
    return r.stdout


def compare(name, build, data, steps, threads, tmp):
    if name == "topic_gru":
        s, m, forward = topic_classifier()
        split = lambda part: ([torch.from_numpy(np.load(os.path.join(data, "topics_%s_%s.npy" % (part, k))))
                               for k in ("tokens", "mask")],
                              torch.from_numpy(np.load(os.path.join(data, "topics_%s_y.npy" % part))).long())
        flags = lambda part: ["--data-x", "tokens=" + os.path.join(data, "topics_%s_tokens.npy" % part),
                              "--data-x", "mask=" + os.path.join(data, "topics_%s_mask.npy" % part),
                              "--data-y", os.path.join(data, "topics_%s_y.npy" % part)]
    else:
        s, m, forward = language_model(name)
        split = lambda part: ([torch.from_numpy(np.load(os.path.join(data, "lm_%s_x.npy" % part))).long()],
                              torch.from_numpy(np.load(os.path.join(data, "lm_%s_y.npy" % part))).long())
        flags = lambda part: ["--data-x", os.path.join(data, "lm_%s_x.npy" % part),
                              "--data-y", os.path.join(data, "lm_%s_y.npy" % part)]
    init = os.path.join(tmp, name + "_init.safetensors")
    save_safetensors(init, {k: v for k, v in m.state_dict().items()})
    (xs, y), (txs, ty) = split("train"), split("test")
    torch_rate = train_torch(s, m, forward, xs, y, steps)
    torch_loss, torch_acc = evaluate_torch(forward, txs, ty)
    out = os.path.join(tmp, name + "_hebb.safetensors")
    report = hebb(build, ["train", os.path.join(ROOT, "samples", name + ".json"), "--init", init,
                          "--steps", str(steps), "--no-shuffle", "--quiet", "--save", out]
                  + flags("train"), threads)
    rate = float(re.search(r"\(([\d.]+) steps/s", report).group(1))
    ev = hebb(build, ["eval", os.path.join(ROOT, "samples", name + ".json"), "--init", out]
              + flags("test"), threads)
    m2 = re.search(r"loss ([\d.]+); accuracy ([\d.]+)", ev)
    hebb_loss, hebb_acc = float(m2.group(1)), float(m2.group(2))
    row = {"sample": name, "steps": steps, "batch": s["batch_size"], "threads": threads,
           "hebb_test_loss": round(hebb_loss, 4), "torch_test_loss": round(torch_loss, 4),
           "relative_difference": round(abs(hebb_loss - torch_loss) / torch_loss, 4),
           "hebb_test_acc": round(hebb_acc, 4), "torch_test_acc": round(torch_acc, 4),
           "hebb_steps_per_s": rate, "torch_steps_per_s": round(torch_rate, 1),
           "torch_version": torch.__version__}
    if name != "topic_gru":
        row["hebb_bits_per_byte"] = round(hebb_loss / math.log(2), 3)
        row["torch_bits_per_byte"] = round(torch_loss / math.log(2), 3)
    else:
        counts = np.bincount(ty.numpy())
        row["majority_class"] = round(counts.max() / counts.sum(), 4)
    print(json.dumps(row), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--data", default=os.path.join(ROOT, "build", "fortunes"))
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", default="char_lstm,char_transformer,topic_gru")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for kind, files in (("lm", "lm_train_x.npy"), ("topics", "topics_train_tokens.npy")):
        if not os.path.exists(os.path.join(a.data, files)):
            subprocess.run([sys.executable, os.path.join(ROOT, "samples", "text", "fortunes.py"),
                            kind, a.data], check=True, stdout=subprocess.DEVNULL)
    tmp = os.path.join(a.data, "compare")
    os.makedirs(tmp, exist_ok=True)
    for name in a.only.split(","):
        compare(name, a.build, a.data, a.steps, a.threads, tmp)


if __name__ == "__main__":
    main()
