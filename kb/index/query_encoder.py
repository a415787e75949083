"""Fast query embedding: the index's sentence-transformers model exported to ONNX.

Embedding the question is most of a warm search's time. PyTorch spends ~15 ms on one short
query with all-MiniLM-L6-v2 on two cores; ONNX Runtime runs the same graph in about a third of
that, and a search process that only answers queries no longer imports torch at all (a cold
``kb search`` starts seconds sooner).

At index time :func:`export_query_encoder` traces the whole sentence-transformers module stack
(transformer, pooling, normalisation) from the token ids to the sentence embedding, writes
``model.onnx`` with the model's ``tokenizer.json`` and checks, on Dutch probe texts including
one longer than the model's window, that ONNX Runtime gives the same vectors as PyTorch. The
export is cached per model under ``<build_dir>/cache/onnx/`` and hard-linked into each release's
index (``index/query-encoder/``), so a release stays self-contained without a copy per build.

:class:`OnnxQueryEmbedder` loads that folder at search time. Anything that goes wrong (no
onnxruntime, a model whose inputs are not token ids, a mismatch in the check, a damaged file)
falls back to PyTorch with a reason: the fast path may be missing, never wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from kb.errors import KbError
from kb.index.embed import EmbedderBase, l2_normalise

#: Folder in the index (and in the cache) holding the export.
ENCODER_DIR = "query-encoder"
ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "query-encoder.json"
#: Largest allowed difference between ONNX Runtime and PyTorch vectors (unit vectors).
TOLERANCE = 1e-4
#: Probe texts of the export check: short, long (beyond the window), with diacritics.
PROBES = (
    "Welke bekostiging geldt voor het segment Wonen?",
    "PxQ",
    "Jeugdigen die (tijdelijk) niet thuis kunnen wonen, coöperatie, één jaar, €  15.923.000. " * 40,
)
#: Tokenizer outputs the exported graph may take, by ONNX input name.
_INPUTS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}


class QueryEncoderError(KbError):
    """The ONNX query encoder could not be made or loaded; the message says why."""


def _cache_dir(build_dir: Path, model_id: str, prompt: str) -> Path:
    key = hashlib.sha256(f"{model_id}\x00{prompt}".encode()).hexdigest()[:16]
    return Path(build_dir) / "cache" / "onnx" / key


def export_query_encoder(embedder: Any, build_dir: Path, target: Path) -> dict[str, Any]:
    """Put the ONNX query encoder of ``embedder`` into ``target`` (made or taken from the cache).

    Returns the encoder's info (model id, dimension, inputs, window). Raises
    :class:`QueryEncoderError` when the model cannot be exported faithfully.
    """
    model = getattr(embedder, "_model", None)
    if model is None:
        raise QueryEncoderError(f"{embedder.model_id}: not a sentence-transformers model")
    cached = _cache_dir(build_dir, embedder.model_id, embedder.query_prompt)
    info = _read_info(cached)
    if info is None or info.get("model") != embedder.model_id or not _faithful(embedder, cached):
        info = _export(embedder, model, cached)
    target.mkdir(parents=True, exist_ok=True)
    for name in (ONNX_FILE, TOKENIZER_FILE, INFO_FILE):
        dest = target / name
        dest.unlink(missing_ok=True)
        try:
            os.link(cached / name, dest)  # no second copy of the weights per release
        except OSError:
            shutil.copyfile(cached / name, dest)
    return info


def _read_info(folder: Path) -> dict[str, Any] | None:
    try:
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not all((folder / name).is_file() for name in (ONNX_FILE, TOKENIZER_FILE)):
        return None
    return info if isinstance(info, dict) else None


def _difference(embedder: Any, folder: Path) -> float:
    """Largest difference between the export in ``folder`` and PyTorch on the probe texts."""
    probes = list(PROBES)
    onnx = OnnxQueryEmbedder(folder)
    return float(np.abs(onnx.encode_queries(probes) - embedder.encode_queries(probes)).max())


def _faithful(embedder: Any, folder: Path) -> bool:
    """Whether a cached export still loads and agrees with PyTorch (else it is made again)."""
    try:
        return _difference(embedder, folder) <= TOLERANCE
    except QueryEncoderError:
        return False


def _export(embedder: Any, model: Any, folder: Path) -> dict[str, Any]:
    """Trace ``model`` to ONNX in a temporary folder, check it, then move it into ``folder``."""
    try:
        import onnxruntime  # noqa: F401
        import torch
    except ImportError as exc:
        raise QueryEncoderError(f"{exc.name} is not installed") from None
    tokenizer = getattr(model, "tokenizer", None)
    if tokenizer is None or not getattr(tokenizer, "is_fast", False):
        raise QueryEncoderError(f"{embedder.model_id}: no fast tokenizer to export")
    # sentence-transformers 6 renamed tokenize() to preprocess().
    features = getattr(model, "preprocess", None) or model.tokenize
    features = features([PROBES[0]])
    names = [n for n in features if isinstance(features[n], torch.Tensor)]
    unknown = [n for n in names if n not in _INPUTS]
    if unknown:
        raise QueryEncoderError(f"{embedder.model_id}: unsupported model inputs {unknown}")

    class SentenceEmbedding(torch.nn.Module):
        """Token ids → sentence embedding, through every module of the model."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: Any) -> Any:
            return self.model(dict(zip(names, tensors, strict=True)))["sentence_embedding"]

    tmp = folder.with_name(folder.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        axes = {n: {0: "batch", 1: "tokens"} for n in names}
        # The tracer warns about shapes it fixes; the check below is what decides.
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                SentenceEmbedding().eval(),
                tuple(features[n] for n in names),
                str(tmp / ONNX_FILE),
                input_names=names,
                output_names=["sentence_embedding"],
                dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
        tokenizer.backend_tokenizer.save(str(tmp / TOKENIZER_FILE))
        info = {
            "model": embedder.model_id,
            "dim": int(embedder.dim),
            "inputs": names,
            "max_length": int(getattr(model, "max_seq_length", 0) or 512),
            "query_prompt": embedder.query_prompt,
            "passage_prompt": embedder.passage_prompt,
            "onnxruntime": __import__("onnxruntime").__version__,
            "torch": torch.__version__,
        }
        (tmp / INFO_FILE).write_text(json.dumps(info, indent=2), encoding="utf-8")
        diff = _difference(embedder, tmp)
        if diff > TOLERANCE:
            raise QueryEncoderError(
                f"{embedder.model_id}: ONNX and PyTorch vectors differ by {diff:.2e} "
                f"(more than {TOLERANCE:.0e})"
            )
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(folder)
        return info
    except QueryEncoderError:
        raise
    except Exception as exc:  # noqa: BLE001 - the exporter raises many kinds; PyTorch remains
        raise QueryEncoderError(
            f"{embedder.model_id}: export to ONNX failed: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class OnnxQueryEmbedder(EmbedderBase):
    """Embeds queries with the exported model (ONNX Runtime + the model's fast tokenizer)."""

    def __init__(self, folder: Path, *, threads: int | None = None) -> None:
        folder = Path(folder)
        info = _read_info(folder)
        if info is None:
            raise QueryEncoderError(f"{folder}: no complete ONNX query encoder")
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise QueryEncoderError(f"{exc.name} is not installed") from None
        try:
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
            options.inter_op_num_threads = 1
            # Idle threads must not spin: the server runs other requests on the same cores.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.log_severity_level = 3
            self._session = ort.InferenceSession(
                str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        except Exception as exc:  # noqa: BLE001 - a damaged file surfaces in many forms
            raise QueryEncoderError(f"{folder}: cannot load: {type(exc).__name__}: {exc}") from None
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(int(info["max_length"]))
        self._inputs = list(info["inputs"])
        self._model_id = str(info["model"])
        self._dim = int(info["dim"])
        self._query_prompt = str(info.get("query_prompt", ""))
        self._passage_prompt = str(info.get("passage_prompt", ""))

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as given, one at a time: no padding, so no pad tokens to mask."""
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            encoding = self._tokenizer.encode(text)
            feed = {
                name: np.asarray([getattr(encoding, _INPUTS[name])], dtype=np.int64)
                for name in self._inputs
            }
            out[row] = self._session.run(None, feed)[0][0]
        return l2_normalise(out)
