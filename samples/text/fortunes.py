#!/usr/bin/env python3
"""Token files for the text samples, from Debian's fortunes quotations.

    fortunes.py lm OUT [--steps T]       next-byte windows for a language model
    fortunes.py topics OUT [--steps T]   quotations by topic, padded, with masks

Reads /usr/share/games/fortunes (the `fortunes` package): topic files of
quotations separated by lines holding "%". Every tenth quotation of each
file is held out. Tokens are bytes (i32 ids 0-127; other bytes become '?').

lm: the quotations, each followed by "%" on its own line, cut into windows
of T + 1 bytes: OUT/lm_{train,test}_x.npy [N, T] and OUT/lm_{train,test}_y.npy
[N, T] (the same windows one byte on). topics: the first T bytes of each
quotation of six topic files, padded with 0; OUT/topics_{train,test}_tokens.npy
[N, T] i32, _mask.npy [N, T] f32 (1 at real bytes), _y.npy [N] i32 (the
topic's index in TOPICS). Standard library only; the same files every run.
"""
import argparse
import os
import random
import struct
import sys

FORTUNES = "/usr/share/games/fortunes"
TOPICS = ["computers", "definitions", "politics", "science", "songs-poems", "work"]


def write_npy(path, dtype, shape, values):
    """An .npy file (version 1.0, little-endian, C order)."""
    descr, fmt = {"i32": ("<i4", "i"), "f32": ("<f4", "f")}[dtype]
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join("%d, " % d for d in shape))
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%d%s" % (len(values), fmt), *values))


def quotations(topic):
    """The quotations of one topic file, as byte ids."""
    path = os.path.join(FORTUNES, topic)
    try:
        raw = open(path, "rb").read()
    except OSError as e:
        sys.exit("fortunes.py: %s: %s (install Debian's fortunes package)" % (path, e.strerror))
    out = []
    for q in raw.split(b"\n%\n"):
        q = q.strip(b"\n")
        if q and q != b"%":
            out.append([b if b < 128 else ord("?") for b in q])
    return out


def split(qs):
    """(train, test): every tenth quotation is held out."""
    return ([q for i, q in enumerate(qs) if i % 10 != 9], [q for i, q in enumerate(qs) if i % 10 == 9])


def all_topics():
    return sorted(f for f in os.listdir(FORTUNES)
                  if not f.endswith((".dat", ".u8")) and os.path.isfile(os.path.join(FORTUNES, f)))


def language_model(out, steps):
    train, test = [], []
    for topic in all_topics():
        a, b = split(quotations(topic))
        train += a
        test += b
    for name, qs in (("train", train), ("test", test)):
        text = [c for q in qs for c in q + list(b"\n%\n")]
        n = (len(text) - 1) // steps
        x = text[:n * steps]
        y = text[1:n * steps + 1]
        write_npy(os.path.join(out, "lm_%s_x.npy" % name), "i32", [n, steps], x)
        write_npy(os.path.join(out, "lm_%s_y.npy" % name), "i32", [n, steps], y)
        print("lm %s: %d windows of %d bytes (%d bytes of text)" % (name, n, steps, len(text)))


def topic_classifier(out, steps):
    parts = {"train": [], "test": []}
    for label, topic in enumerate(TOPICS):
        a, b = split(quotations(topic))
        parts["train"] += [(q, label) for q in a]
        parts["test"] += [(q, label) for q in b]
    random.Random(2026).shuffle(parts["train"])  # batches mix the topics
    for name, rows in parts.items():
        tokens, mask, labels = [], [], []
        for q, label in rows:
            q = q[:steps]
            tokens += q + [0] * (steps - len(q))
            mask += [1.0] * len(q) + [0.0] * (steps - len(q))
            labels.append(label)
        n = len(rows)
        write_npy(os.path.join(out, "topics_%s_tokens.npy" % name), "i32", [n, steps], tokens)
        write_npy(os.path.join(out, "topics_%s_mask.npy" % name), "f32", [n, steps], mask)
        write_npy(os.path.join(out, "topics_%s_y.npy" % name), "i32", [n], labels)
        counts = [labels.count(k) for k in range(len(TOPICS))]
        print("topics %s: %d quotations; per topic %s; majority class %.4f"
              % (name, n, dict(zip(TOPICS, counts)), max(counts) / n))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("kind", choices=["lm", "topics"])
    p.add_argument("out")
    p.add_argument("--steps", type=int, default=None,
                   help="bytes per sample (lm: 64, topics: 128)")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.kind == "lm":
        language_model(a.out, a.steps or 64)
    else:
        topic_classifier(a.out, a.steps or 128)


if __name__ == "__main__":
    main()
