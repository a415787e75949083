"""The search index's on-disk format: file names, ids and the manifest (read and write side).

The builder (:mod:`kb.index.build`) writes these files; search (:mod:`kb.search`) reads them.
Both import this module, so the read path never imports the builder.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from kb.errors import KbError

INDEX_DIR = "index"
MANIFEST = "manifest.json"
RECORDS = "records.jsonl"
ENTITIES = "entities.json"
DENSE = "dense.faiss"
BM25_DIR = "bm25"
CACHE_FILE = "embeddings.sqlite"
#: The question words of each answer kind (``antwoordsoorten`` scheme), as the index was built.
ANSWER_KINDS = "answer_kinds.json"
#: 2: a record's ``mentions`` are name keys, no longer entity IRIs. 3: records carry
#: ``answer_kinds`` and the index holds :data:`ANSWER_KINDS`.
FORMAT_VERSION = 3


class SearchIndexError(KbError):
    """The index is missing, damaged or built with another model; the message says what to do."""


def faiss_id(passage_id: str) -> int:
    """A stable 63-bit id for a passage id (FAISS ids are int64)."""
    return int.from_bytes(hashlib.sha1(passage_id.encode()).digest()[:8], "big") & (2**63 - 1)


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The manifest of an index folder (SearchIndexError with advice when missing)."""
    path = index_dir / MANIFEST
    if not path.is_file():
        raise SearchIndexError(f"{index_dir}: no search index; run 'kb index' (or 'kb build')")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SearchIndexError(
            f"{path}: damaged manifest ({exc}); run 'kb index --rebuild'"
        ) from None
