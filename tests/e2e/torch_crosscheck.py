#!/usr/bin/env python3
"""hebb train against PyTorch: same initial weights, data and steps.

For every optimizer (and clipping / weight decay variants) and several
losses, runs `hebb train --init W --steps N --no-shuffle --save OUT` and the
same N steps in PyTorch (consecutive batches in order), then compares every
parameter to 1e-4 relative. Skips (exit 0) when PyTorch is not installed.

usage: torch_crosscheck.py HEBB_BINARY
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
except ImportError:
    print("skipped: PyTorch is not installed (Debian: python3-torch)")
    sys.exit(77)  # ctest's SKIP_RETURN_CODE: reported as a skip, not a pass

HEBB = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="hebb_torch_")
torch.manual_seed(0)
failures = []


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


def load_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + b:8 + n + e], dtype="<f4").reshape(info["shape"])
    return out


def hebb_train(name, spec, steps, inputs=()):
    """Writes the model `spec` and runs `hebb train` on TMP/name_{init,x,y}
    (and TMP/name_INPUT for each of the named `inputs` after the first) for
    `steps` batches in order; the saved parameters' path, or None (a failure
    recorded) when hebb fails."""
    path = os.path.join(TMP, name + ".json")
    json.dump(spec, open(path, "w"))
    out = os.path.join(TMP, name + "_out.safetensors")
    data = ["--data-x", os.path.join(TMP, name + "_x.npy")]
    if inputs:
        data = ["--data-x", "x=" + data[1]]
        for i in inputs:
            data += ["--data-x", "%s=%s" % (i, os.path.join(TMP, name + "_" + i + ".npy"))]
    r = subprocess.run([HEBB, "train", path, "--init", os.path.join(TMP, name + "_init.safetensors")]
                       + data + ["--data-y", os.path.join(TMP, name + "_y.npy"),
                                 "--steps", str(steps), "--no-shuffle", "--quiet", "--save", out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(name)
        print("FAIL %s: hebb train: %s" % (name, r.stderr.strip()))
        return None
    return out


def torch_optimizer(kind, params, opt):
    lr = opt["lr"]
    wd = opt.get("weight_decay", 0)
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=opt.get("momentum", 0), weight_decay=wd)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=opt.get("momentum", 0.9), weight_decay=wd)
    if kind == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=opt.get("momentum", 0.9), nesterov=True, weight_decay=wd)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=opt.get("rho", 0.99), eps=opt.get("eps", 1e-8), weight_decay=wd)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(opt.get("beta1", 0.9), opt.get("beta2", 0.999)), eps=opt.get("eps", 1e-8), weight_decay=wd)
    if kind == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, eps=opt.get("eps", 1e-10), weight_decay=wd)
    if kind == "adadelta":
        return torch.optim.Adadelta(params, lr=lr, rho=opt.get("rho", 0.9), eps=opt.get("eps", 1e-6), weight_decay=wd)
    raise ValueError(kind)


def case(name, loss, opt, steps=7, act="tanh", bn=False, out_act=None):
    batch, n = 4, 12
    # Before batch norm a bias is redundant (its gradient is zero up to
    # rounding, which Adam would amplify), so that layer has none.
    layers = [torch.nn.Linear(6, 5, bias=not bn)]
    if bn:  # batch statistics in training, running statistics updated
        norm = torch.nn.BatchNorm1d(5, momentum=0.2)
        with torch.no_grad():
            norm.weight.uniform_(0.5, 1.5)
            norm.bias.uniform_(-0.5, 0.5)
            norm.running_mean.uniform_(-1, 1)
            norm.running_var.uniform_(0.5, 2)
        layers.append(norm)
    activations = {"tanh": torch.nn.Tanh(), "relu": torch.nn.ReLU(),
                   "gelu": torch.nn.GELU(), "gelu_tanh": torch.nn.GELU(approximate="tanh")}
    layers += [activations[act], torch.nn.Linear(5, 3)]
    head = layers[-1]
    if out_act == "sigmoid":
        layers.append(torch.nn.Sigmoid())
    elif out_act == "log_softmax":
        layers.append(torch.nn.LogSoftmax(dim=1))
    model = torch.nn.Sequential(*layers)
    x = torch.randn(n, 6)
    if loss in ("softmax_cross_entropy", "nll"):
        y = torch.randint(0, 3, (n,))
        lossfn = torch.nn.CrossEntropyLoss() if loss == "softmax_cross_entropy" else torch.nn.NLLLoss()
        np.save(os.path.join(TMP, name + "_y.npy"), y.numpy().astype(np.int32))
    elif loss in ("bce_with_logits", "bce"):
        y = torch.randint(0, 2, (n, 3)).float()
        lossfn = torch.nn.BCEWithLogitsLoss() if loss == "bce_with_logits" else torch.nn.BCELoss()
        np.save(os.path.join(TMP, name + "_y.npy"), y.numpy())
    else:
        y = torch.randn(n, 3)
        lossfn = {"mse": torch.nn.MSELoss(), "mae": torch.nn.L1Loss(),
                  "sum_of_squares": lambda a, b: ((a - b) ** 2).sum()}[loss]
        np.save(os.path.join(TMP, name + "_y.npy"), y.numpy())
    np.save(os.path.join(TMP, name + "_x.npy"), x.numpy())
    init = {"fc1.weight": model[0].weight, "fc2.weight": head.weight, "fc2.bias": head.bias}
    if not bn:
        init["fc1.bias"] = model[0].bias
    hidden = [{"type": "dense", "name": "fc1", "units": 5, "activation": act}]
    if bn:
        init.update({"bn.weight": norm.weight, "bn.bias": norm.bias,
                     "bn.running_mean": norm.running_mean, "bn.running_var": norm.running_var})
        hidden = [{"type": "dense", "name": "fc1", "units": 5, "use_bias": False},
                  {"type": "batch_norm", "name": "bn", "momentum": 0.2},
                  {"type": "activation", "activation": act}]
    save_safetensors(os.path.join(TMP, name + "_init.safetensors"), init)
    spec = {"name": "m", "batch_size": batch, "input": {"shape": [6]},
            "layers": hidden + [dict({"type": "dense", "name": "fc2", "units": 3},
                                     **({"activation": out_act} if out_act else {}))],
            "training": {"loss": loss, "optimizer": opt}}
    out = hebb_train(name, spec, steps)
    if out is None:
        return
    optim = torch_optimizer(opt["kind"], model.parameters(), opt)
    for step in range(steps):
        first = (step * batch) % n
        xb, yb = x[first:first + batch], y[first:first + batch]
        optim.zero_grad()
        l = lossfn(model(xb), yb)
        l.backward()
        if opt.get("clip_norm"):
            torch.nn.utils.clip_grad_norm_(model.parameters(), opt["clip_norm"])
        if opt.get("clip_value"):
            torch.nn.utils.clip_grad_value_(model.parameters(), opt["clip_value"])
        optim.step()
    compare(name, load_safetensors(out), init)


ACTIVATIONS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}


def torch_layer(spec, shape):
    """The PyTorch module of a hebb layer spec on per-sample `shape`, its
    parameters by hebb name, and the shape after it."""
    kind, name = spec["type"], spec.get("name", "")
    pair = lambda v: tuple(v) if isinstance(v, list) else (v, v)
    if kind == "conv2d":
        m = torch.nn.Conv2d(shape[0], spec["filters"], pair(spec["kernel_size"]),
                            stride=pair(spec.get("stride", 1)), padding=spec.get("padding", 0),
                            dilation=pair(spec.get("dilation", 1)), groups=spec.get("groups", 1),
                            bias=spec.get("use_bias", True))
        params = {name + ".weight": m.weight}
        if m.bias is not None:
            params[name + ".bias"] = m.bias
        if "activation" in spec:
            m = torch.nn.Sequential(m, ACTIVATIONS[spec["activation"]]())
    elif kind in ("max_pool2d", "avg_pool2d"):
        cls = torch.nn.MaxPool2d if kind == "max_pool2d" else torch.nn.AvgPool2d
        extra = {"ceil_mode": True} if spec.get("ceil_mode") else {}
        m = cls(pair(spec["kernel_size"]), stride=pair(spec.get("stride", spec["kernel_size"])),
                padding=pair(spec.get("padding", 0)), **extra)
        params = {}
    elif kind == "batch_norm":
        m = torch.nn.BatchNorm2d(shape[0], momentum=spec.get("momentum", 0.1))
        with torch.no_grad():
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.5, 0.5)
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
        params = {name + "." + k: v for k, v in
                  [("weight", m.weight), ("bias", m.bias),
                   ("running_mean", m.running_mean), ("running_var", m.running_var)]}
    elif kind == "activation":
        m, params = ACTIVATIONS[spec["activation"]](), {}
    elif kind == "global_avg_pool2d":
        m, params = torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()), {}
    elif kind == "flatten":
        m, params = torch.nn.Flatten(), {}
    elif kind == "dense":
        m = torch.nn.Linear(shape[0], spec["units"])
        params = {name + ".weight": m.weight, name + ".bias": m.bias}
        if "activation" in spec:
            m = torch.nn.Sequential(m, ACTIVATIONS[spec["activation"]]())
    else:
        raise ValueError(kind)
    with torch.no_grad():
        out = m.eval()(torch.zeros((2,) + tuple(shape))).shape[1:]
    return m.train(), params, tuple(out)


def train_both(name, input_spec, layers, forward, params, init, x, y, opt, steps, batch,
               mask=None):
    """Trains the hebb `layers` and the PyTorch `forward` (over `params`)
    for `steps` consecutive batches of softmax cross-entropy, both from the
    state_dict `init` and the data x, y, then compares their parameters.
    With a `mask` [N, T] the model has a second input "mask" and `forward`
    takes the batch's mask too."""
    xs = x.numpy() if x.is_floating_point() else x.numpy().astype(np.int32)
    np.save(os.path.join(TMP, name + "_x.npy"), xs)
    np.save(os.path.join(TMP, name + "_y.npy"), y.numpy().astype(np.int32))
    save_safetensors(os.path.join(TMP, name + "_init.safetensors"), init)
    spec = {"name": "m", "batch_size": batch, "layers": layers,
            "training": {"loss": "softmax_cross_entropy", "optimizer": opt}}
    if mask is None:
        spec["input"] = input_spec
    else:
        np.save(os.path.join(TMP, name + "_mask.npy"), mask.numpy().astype(np.float32))
        spec["inputs"] = [dict(input_spec, name="x"), {"name": "mask", "shape": [mask.shape[1]]}]
    out = hebb_train(name, spec, steps, () if mask is None else ("mask",))
    if out is None:
        return
    optim = torch_optimizer(opt["kind"], params, opt)
    lossfn = torch.nn.CrossEntropyLoss()
    for step in range(steps):
        first = (step * batch) % len(x)
        optim.zero_grad()
        extra = () if mask is None else (mask[first:first + batch],)
        # A class per step: PyTorch's flattened form, logits [B·T, C].
        lossfn(forward(x[first:first + batch], *extra),
               y[first:first + batch].reshape(-1)).backward()
        if opt.get("clip_norm"):
            torch.nn.utils.clip_grad_norm_(params, opt["clip_norm"])
        optim.step()
    compare(name, load_safetensors(out), init)


def image_case(name, shape, layers, opt, steps=3, batch=4, n=8, classes=3):
    """A convolutional model built from hebb layer specs, trained with
    softmax cross-entropy by both from the same state_dict."""
    modules, init, s = [], {}, tuple(shape)
    for spec in layers:
        m, params, s = torch_layer(spec, s)
        modules.append(m)
        init.update(params)
    head = torch.nn.Linear(s[0], classes)
    modules.append(head)
    init.update({"head.weight": head.weight, "head.bias": head.bias})
    model = torch.nn.Sequential(*modules)
    x = torch.randn((n,) + tuple(shape))
    y = torch.randint(0, classes, (n,))
    train_both(name, {"shape": list(shape)},
               layers + [{"type": "dense", "name": "head", "units": classes}],
               model, list(model.parameters()), init, x, y, opt, steps, batch)


def token_case(name, opt, steps=5, batch=4, n=12, length=6, vocab=9, dim=3, classes=3):
    """nn.Embedding, flattened, into a linear head: token ids (every row,
    repeats) in, softmax cross-entropy, both from the same state_dict."""
    embed = torch.nn.Embedding(vocab, dim)
    head = torch.nn.Linear(length * dim, classes)
    init = {"embed.weight": embed.weight, "head.weight": head.weight, "head.bias": head.bias}
    x = torch.randint(0, vocab, (n, length))
    y = torch.randint(0, classes, (n,))
    layers = [{"type": "embedding", "name": "embed", "num_embeddings": vocab,
               "embedding_dim": dim},
              {"type": "flatten"},
              {"type": "dense", "name": "head", "units": classes}]
    train_both(name, {"shape": [length], "dtype": "i32"}, layers,
               lambda xb: head(embed(xb).flatten(1)),
               list(embed.parameters()) + list(head.parameters()), init, x, y, opt, steps, batch)


def sequence_case(name, kind, opt, hidden=5, layers=1, bidirectional=False, sequences=False,
                  extra=None, steps=4, batch=3, n=9, length=6, features=4, classes=3):
    """nn.RNN / nn.LSTM / nn.GRU (batch_first) into a linear head, on the
    last state (h_n's last layer, both directions) or the whole output
    sequence flattened; softmax cross-entropy, from the same state_dict."""
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    kwargs = {"nonlinearity": extra} if extra else {}
    rnn = module(features, hidden, num_layers=layers, bidirectional=bidirectional,
                 batch_first=True, **kwargs)
    width = hidden * (2 if bidirectional else 1)
    head = torch.nn.Linear(width * (length if sequences else 1), classes)
    init = {"rnn." + k: v for k, v in rnn.named_parameters()}
    init.update({"head.weight": head.weight, "head.bias": head.bias})
    x = torch.randn(n, length, features)
    y = torch.randint(0, classes, (n,))
    layer = {"type": kind, "name": "rnn", "hidden_size": hidden, "num_layers": layers,
             "bidirectional": bidirectional, "return_sequences": sequences}
    if extra:
        layer["nonlinearity"] = extra
    stack = [layer] + ([{"type": "flatten"}] if sequences else [])

    def forward(xb):
        seq, state = rnn(xb)
        h_n = state[0] if kind == "lstm" else state
        if sequences:
            return head(seq.flatten(1))
        if bidirectional:
            return head(torch.cat([h_n[-2], h_n[-1]], dim=1))
        return head(h_n[-1])

    train_both(name, {"shape": [length, features]},
               stack + [{"type": "dense", "name": "head", "units": classes}], forward,
               list(rnn.parameters()) + list(head.parameters()), init, x, y, opt, steps, batch)


def layer_norm_case(name, opt, shape=(5, 6), eps=1e-5, steps=4, batch=3, n=9, classes=3):
    """nn.LayerNorm over the last axis (its weight and bias moved off ones
    and zeros first), flattened into a linear head."""
    norm = torch.nn.LayerNorm(shape[-1], eps=eps)
    with torch.no_grad():
        norm.weight.add_(0.3 * torch.randn(shape[-1]))
        norm.bias.add_(0.3 * torch.randn(shape[-1]))
    head = torch.nn.Linear(shape[0] * shape[1], classes)
    init = {"norm.weight": norm.weight, "norm.bias": norm.bias,
            "head.weight": head.weight, "head.bias": head.bias}
    x = 3 * torch.randn((n,) + shape) + 1
    y = torch.randint(0, classes, (n,))
    layers = [{"type": "layer_norm", "name": "norm", "epsilon": eps},
              {"type": "flatten"},
              {"type": "dense", "name": "head", "units": classes}]
    train_both(name, {"shape": list(shape)}, layers, lambda xb: head(norm(xb).flatten(1)),
               list(norm.parameters()) + list(head.parameters()), init, x, y, opt, steps, batch)


def causal_mask(length):
    return torch.triu(torch.full((length, length), float("-inf")), diagonal=1)


def sinusoids(length, width):
    """The fixed encoding of "Attention is all you need": sin(t / 10000^(2i/d))
    in column 2i, cos in 2i + 1."""
    t = torch.arange(length, dtype=torch.float64)[:, None]
    i = torch.arange(width)
    angle = t / torch.pow(10000.0, (i - i % 2).double() / width)
    return torch.where(i % 2 == 0, torch.sin(angle), torch.cos(angle)).float()


def attention_case(name, opt, kind, heads=2, causal=False, norm_first=False, act="relu",
                   positions=None, steps=4, batch=3, n=9, length=5, vocab=11, width=8,
                   feedforward=12, classes=3):
    """Token ids through nn.Embedding, a positional encoding (none, learned
    or sinusoidal), nn.MultiheadAttention as self-attention or an
    nn.TransformerEncoderLayer (batch_first, no dropout), flattened into a
    linear head; softmax cross-entropy, from the same state_dict."""
    embed = torch.nn.Embedding(vocab, width)
    mask = causal_mask(length) if causal else None
    if kind == "mha":
        block = torch.nn.MultiheadAttention(width, heads, batch_first=True)
        layer = {"type": "multi_head_attention", "name": "block", "embed_dim": width,
                 "num_heads": heads, "causal": causal}
        apply = lambda h: block(h, h, h, attn_mask=mask, need_weights=False)[0]
    else:
        block = torch.nn.TransformerEncoderLayer(width, heads, feedforward, dropout=0.0,
                                                 activation=act, batch_first=True,
                                                 norm_first=norm_first)
        with torch.no_grad():  # move the norms off ones and zeros
            for norm in (block.norm1, block.norm2):
                norm.weight.add_(0.2 * torch.randn(width))
                norm.bias.add_(0.2 * torch.randn(width))
        layer = {"type": "transformer_encoder_layer", "name": "block", "d_model": width,
                 "nhead": heads, "dim_feedforward": feedforward, "dropout": 0.0,
                 "activation": act, "norm_first": norm_first, "causal": causal}
        apply = lambda h: block(h, src_mask=mask)
    head = torch.nn.Linear(length * width, classes)
    modules = [embed, block, head]
    layers = [{"type": "embedding", "name": "embed", "num_embeddings": vocab,
               "embedding_dim": width}]
    table = None
    if positions == "learned":
        pos = torch.nn.Embedding(length, width)
        modules.insert(1, pos)
        table = lambda: pos.weight
        layers.append({"type": "positional_encoding", "name": "pos", "kind": "learned"})
    elif positions == "sinusoidal":
        fixed = sinusoids(length, width)
        table = lambda: fixed
        layers.append({"type": "positional_encoding", "kind": "sinusoidal"})
    layers += [layer, {"type": "flatten"}, {"type": "dense", "name": "head", "units": classes}]
    init = {}
    for prefix, m in (("embed", embed), ("block", block), ("head", head)) + (
            (("pos", modules[1]),) if positions == "learned" else ()):
        init.update({prefix + "." + k: v for k, v in m.named_parameters()})
    params = [p for m in modules for p in m.parameters()]

    def forward(xb):
        h = embed(xb)
        if table:
            h = h + table()[None]
        return head(apply(h).flatten(1))

    x = torch.randint(0, vocab, (n, length))
    y = torch.randint(0, classes, (n,))
    train_both(name, {"shape": [length], "dtype": "i32"}, layers, forward, params, init, x, y,
               opt, steps, batch)


def lengths_mask(n, length):
    """A prefix mask [n, length] of random lengths in [1, length], every
    length present when n allows."""
    lengths = torch.randint(1, length + 1, (n,))
    lengths[:length] = torch.arange(1, length + 1)[:n]
    return (torch.arange(length)[None] < lengths[:, None]).float()


def pool_steps(seq, mask, mode):
    """sequence_pool over a padded [B, T, F] with its mask."""
    if mode == "mean":
        return (seq * mask[..., None]).sum(1) / mask.sum(1).clamp(min=1)[:, None]
    if mode == "max":
        return seq.masked_fill(mask[..., None] == 0, float("-inf")).max(1).values
    return seq[torch.arange(len(seq)), mask.sum(1).long() - 1]


def masked_sequence_case(name, kind, opt, pool=None, bidirectional=False, layers=1,
                         steps=4, batch=4, n=8, length=6, features=4, hidden=5, classes=3):
    """nn.LSTM / nn.GRU / nn.RNN over packed sequences of random lengths
    (pack_padded_sequence) against the hebb layer with a mask: h_n, or the
    padded outputs pooled over the real steps, into a linear head."""
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    rnn = module(features, hidden, num_layers=layers, bidirectional=bidirectional,
                 batch_first=True)
    width = hidden * (2 if bidirectional else 1)
    head = torch.nn.Linear(width, classes)
    init = {"rnn." + k: v for k, v in rnn.named_parameters()}
    init.update({"head.weight": head.weight, "head.bias": head.bias})
    mask = lengths_mask(n, length)
    x = torch.randn(n, length, features) * mask[..., None]
    y = torch.randint(0, classes, (n,))
    stack = [{"type": kind, "name": "rnn", "hidden_size": hidden, "num_layers": layers,
              "bidirectional": bidirectional, "return_sequences": pool is not None,
              "mask": "mask"}]
    if pool:
        stack.append({"type": "sequence_pool", "mode": pool, "mask": "mask"})

    def forward(xb, mb):
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            xb, mb.sum(1).long(), batch_first=True, enforce_sorted=False)
        out, state = rnn(packed)
        if pool:
            seq, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True,
                                                            total_length=length)
            return head(pool_steps(seq, mb, pool))
        h_n = state[0] if kind == "lstm" else state
        return head(torch.cat([h_n[-2], h_n[-1]], 1) if bidirectional else h_n[-1])

    train_both(name, {"shape": [length, features]},
               stack + [{"type": "dense", "name": "head", "units": classes}], forward,
               list(rnn.parameters()) + list(head.parameters()), init, x, y, opt, steps, batch,
               mask=mask)


def masked_attention_case(name, opt, kind, pool, heads=2, steps=4, batch=4, n=8, length=5,
                          vocab=9, width=8, classes=3):
    """Padded token ids (padding_idx 0) through nn.Embedding(padding_idx=0),
    self-attention or a transformer encoder layer with a key padding mask,
    pooled over the real steps into a linear head."""
    embed = torch.nn.Embedding(vocab, width, padding_idx=0)
    if kind == "mha":
        block = torch.nn.MultiheadAttention(width, heads, batch_first=True)
        layer = {"type": "multi_head_attention", "name": "block", "num_heads": heads}
        apply = lambda h, pad: block(h, h, h, key_padding_mask=pad, need_weights=False)[0]
    else:
        block = torch.nn.TransformerEncoderLayer(width, heads, 16, dropout=0.0, batch_first=True)
        layer = {"type": "transformer_encoder_layer", "name": "block", "nhead": heads,
                 "dim_feedforward": 16, "dropout": 0.0}
        apply = lambda h, pad: block(h, src_key_padding_mask=pad)
    layer["mask"] = "mask"
    head = torch.nn.Linear(width, classes)
    init = {}
    for prefix, m in (("embed", embed), ("block", block), ("head", head)):
        init.update({prefix + "." + k: v for k, v in m.named_parameters()})
    mask = lengths_mask(n, length)
    x = torch.randint(1, vocab, (n, length)) * mask.long()
    y = torch.randint(0, classes, (n,))
    layers = [{"type": "embedding", "name": "embed", "num_embeddings": vocab,
               "embedding_dim": width, "padding_idx": 0}, layer,
              {"type": "sequence_pool", "mode": pool, "mask": "mask"},
              {"type": "dense", "name": "head", "units": classes}]
    params = [p for m in (embed, block, head) for p in m.parameters()]
    forward = lambda xb, mb: head(pool_steps(apply(embed(xb), mb == 0), mb, pool))
    train_both(name, {"shape": [length], "dtype": "i32"}, layers, forward, params, init, x, y,
               opt, steps, batch, mask=mask)


def language_model_case(name, opt, kind, steps=4, batch=3, n=9, length=7, vocab=10, width=6):
    """Next-token prediction: a class per step. Embedding, an LSTM
    returning its sequence or a causal transformer layer, and a dense layer
    over the last axis: [B, T, vocab] logits, softmax cross-entropy against
    [B, T] ids averaged over every position (PyTorch's flattened form)."""
    embed = torch.nn.Embedding(vocab, width)
    if kind == "lstm":
        block = torch.nn.LSTM(width, width, batch_first=True)
        layer = {"type": "lstm", "name": "block", "hidden_size": width, "return_sequences": True}
        apply = lambda h: block(h)[0]
    else:
        block = torch.nn.TransformerEncoderLayer(width, 2, 12, dropout=0.0, batch_first=True,
                                                 norm_first=True)
        layer = {"type": "transformer_encoder_layer", "name": "block", "nhead": 2,
                 "dim_feedforward": 12, "dropout": 0.0, "norm_first": True, "causal": True}
        mask = causal_mask(length)
        apply = lambda h: block(h, src_mask=mask)
    head = torch.nn.Linear(width, vocab)
    init = {}
    for prefix, m in (("embed", embed), ("block", block), ("head", head)):
        init.update({prefix + "." + k: v for k, v in m.named_parameters()})
    text = torch.randint(0, vocab, (n, length + 1))
    layers = [{"type": "embedding", "name": "embed", "num_embeddings": vocab,
               "embedding_dim": width}, layer,
              {"type": "dense", "name": "head", "units": vocab}]
    params = [p for m in (embed, block, head) for p in m.parameters()]
    train_both(name, {"shape": [length], "dtype": "i32"}, layers,
               lambda xb: head(apply(embed(xb))).reshape(-1, vocab), params, init,
               text[:, :-1], text[:, 1:], opt, steps, batch)


def compare(name, got, want_params):
    """Every parameter (and running statistic) within 1e-4 relative."""
    worst, where = 0.0, ""
    for k, p in want_params.items():
        want = p.detach().numpy()
        err = np.max(np.abs(got[k] - want) / (np.abs(want) + 1e-2))
        if err > worst:
            worst, where = float(err), k
    ok = worst < 1e-4
    print("%s %s: max relative difference %.2g (%s)" % ("ok  " if ok else "FAIL", name, worst, where))
    if not ok:
        failures.append(name)


case("sgd", "softmax_cross_entropy", {"kind": "sgd", "lr": 0.1})
case("momentum", "softmax_cross_entropy", {"kind": "momentum", "lr": 0.05, "momentum": 0.5})
case("nesterov", "mse", {"kind": "nesterov", "lr": 0.05})
case("rmsprop", "softmax_cross_entropy", {"kind": "rmsprop", "lr": 0.01, "rho": 0.9})
case("adam", "softmax_cross_entropy", {"kind": "adam", "lr": 0.01})
case("adagrad", "mse", {"kind": "adagrad", "lr": 0.1})
case("adadelta", "mse", {"kind": "adadelta", "lr": 1.0})
case("adam_wd_relu", "mae", {"kind": "adam", "lr": 0.01, "weight_decay": 0.01}, act="relu")
case("sgd_clip_norm", "sum_of_squares", {"kind": "sgd", "lr": 0.01, "clip_norm": 0.5})
case("bce_with_logits", "bce_with_logits", {"kind": "sgd", "lr": 0.5})
case("sgd_clip_value", "mse", {"kind": "sgd", "lr": 0.1, "clip_value": 0.05})
case("bce_sigmoid", "bce", {"kind": "adam", "lr": 0.02}, out_act="sigmoid")
case("nll_log_softmax", "nll", {"kind": "momentum", "lr": 0.1, "momentum": 0.9}, out_act="log_softmax")
case("rmsprop_mse_relu", "mse", {"kind": "rmsprop", "lr": 0.01}, act="relu")
case("batch_norm_adam", "softmax_cross_entropy", {"kind": "adam", "lr": 0.01}, bn=True)
case("batch_norm_sgd_relu", "mse", {"kind": "momentum", "lr": 0.05, "momentum": 0.9}, act="relu", bn=True)
case("gelu_adam", "softmax_cross_entropy", {"kind": "adam", "lr": 0.02}, act="gelu")
case("gelu_tanh_sgd", "mse", {"kind": "sgd", "lr": 0.1}, act="gelu_tanh")
image_case("conv_strided_dilated_grouped", (4, 9, 9),
           [{"type": "conv2d", "name": "conv", "filters": 6, "kernel_size": 3, "stride": 2,
             "padding": 1, "dilation": 2, "groups": 2, "activation": "tanh"},
            {"type": "flatten"}], {"kind": "adam", "lr": 0.01})
image_case("pools", (2, 10, 9),
           [{"type": "conv2d", "name": "conv1", "filters": 4, "kernel_size": [3, 2],
             "padding": [1, 0], "activation": "relu"},
            {"type": "max_pool2d", "kernel_size": 3, "stride": 2, "padding": 1},
            {"type": "conv2d", "name": "conv2", "filters": 3, "kernel_size": 2, "activation": "tanh"},
            {"type": "avg_pool2d", "kernel_size": 2, "stride": 1, "padding": 1},
            {"type": "flatten"}], {"kind": "momentum", "lr": 0.05, "momentum": 0.9})
# ceil_mode: windows hanging over the edge (5 -> 3 and 6 -> 3 rows).
image_case("max_pool_ceil_mode", (2, 5, 6),
           [{"type": "conv2d", "name": "conv", "filters": 3, "kernel_size": 1, "activation": "tanh"},
            {"type": "max_pool2d", "kernel_size": [2, 3], "stride": 2, "ceil_mode": True},
            {"type": "flatten"}], {"kind": "sgd", "lr": 0.1})
image_case("batch_norm2d", (3, 6, 6),
           [{"type": "conv2d", "name": "conv", "filters": 4, "kernel_size": 3, "use_bias": False},
            {"type": "batch_norm", "name": "bn", "momentum": 0.2},
            {"type": "activation", "activation": "relu"},
            {"type": "global_avg_pool2d"}], {"kind": "sgd", "lr": 0.1})
# The course's LeNet-5 on 28x28 images, as samples/lenet.json trains it.
image_case("lenet", (1, 28, 28),
           [{"type": "conv2d", "name": "conv1", "filters": 6, "kernel_size": 5, "padding": 2,
             "activation": "relu"},
            {"type": "max_pool2d", "kernel_size": 2},
            {"type": "conv2d", "name": "conv2", "filters": 16, "kernel_size": 5, "activation": "relu"},
            {"type": "max_pool2d", "kernel_size": 2},
            {"type": "flatten"},
            {"type": "dense", "name": "fc1", "units": 120, "activation": "relu"},
            {"type": "dense", "name": "fc2", "units": 84, "activation": "relu"}],
           {"kind": "sgd", "lr": 0.05, "momentum": 0.9}, classes=10)
token_case("embedding_adam", {"kind": "adam", "lr": 0.05})
token_case("embedding_sgd", {"kind": "momentum", "lr": 0.1, "momentum": 0.9})
sequence_case("rnn_tanh", "rnn", {"kind": "sgd", "lr": 0.1})
sequence_case("rnn_relu_sequences", "rnn", {"kind": "adam", "lr": 0.01}, extra="relu",
              sequences=True)
sequence_case("lstm", "lstm", {"kind": "adam", "lr": 0.01})
sequence_case("lstm_2_layers_bidirectional", "lstm", {"kind": "momentum", "lr": 0.1},
              layers=2, bidirectional=True)
sequence_case("lstm_clip_norm", "lstm", {"kind": "sgd", "lr": 0.5, "clip_norm": 0.1},
              sequences=True)
sequence_case("gru", "gru", {"kind": "adam", "lr": 0.01})
sequence_case("gru_bidirectional_sequences", "gru", {"kind": "momentum", "lr": 0.1},
              bidirectional=True, sequences=True)
layer_norm_case("layer_norm_sgd", {"kind": "momentum", "lr": 0.1})
layer_norm_case("layer_norm_adam_eps", {"kind": "adam", "lr": 0.01}, eps=1e-3)
# The key bias shifts every score of a query's row alike, which softmax
# ignores: its gradient is zero up to rounding, which Adam or RMSprop would
# amplify into different steps. These cases use plain gradients.
attention_case("mha", {"kind": "sgd", "lr": 0.2}, "mha")
attention_case("mha_causal_learned_positions", {"kind": "momentum", "lr": 0.1}, "mha",
               heads=4, causal=True, positions="learned")
attention_case("transformer_post_norm", {"kind": "momentum", "lr": 0.05}, "encoder",
               positions="sinusoidal")
attention_case("transformer_pre_norm_gelu_causal", {"kind": "sgd", "lr": 0.2, "clip_norm": 0.5},
               "encoder", norm_first=True, act="gelu", causal=True)
masked_sequence_case("lstm_packed_bidirectional", "lstm", {"kind": "adam", "lr": 0.01},
                     bidirectional=True)
masked_sequence_case("gru_packed_2_layers_mean", "gru", {"kind": "momentum", "lr": 0.1},
                     pool="mean", layers=2)
masked_sequence_case("rnn_packed_last", "rnn", {"kind": "sgd", "lr": 0.1}, pool="last",
                     bidirectional=True)
masked_sequence_case("lstm_packed_max", "lstm", {"kind": "adam", "lr": 0.01}, pool="max")
masked_attention_case("mha_key_padding_mean", {"kind": "sgd", "lr": 0.2}, "mha", "mean")
masked_attention_case("transformer_key_padding_last", {"kind": "momentum", "lr": 0.05},
                      "encoder", "last")
language_model_case("char_lstm_language_model", {"kind": "adam", "lr": 0.01, "clip_norm": 1.0},
                    "lstm")
language_model_case("causal_transformer_language_model", {"kind": "sgd", "lr": 0.2}, "encoder")
if failures:
    sys.exit("%d case(s) differ from PyTorch: %s" % (len(failures), ", ".join(failures)))
