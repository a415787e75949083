"""The folders the evaluation questions ask about: the bundled corpus and the region fixtures.

``dev_questions.jsonl`` and ``factless_questions.jsonl`` ask about both the bundled corpus and
the invented region documents of ``tests/fixtures/regions``. The fixture folder also holds its
generator script, a register copy and a README, so the documents listed in ``expected.yaml`` and
its ``sources.yaml`` are copied into a folder of their own, as a user's folder would hold them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

REGIONS = Path(__file__).resolve().parents[1] / "fixtures" / "regions"


def region_documents(work: Path) -> Path:
    """A folder under ``work`` with the region fixture documents and their ``sources.yaml``."""
    folder = work / "regions"
    folder.mkdir(parents=True, exist_ok=True)
    entries = yaml.safe_load((REGIONS / "expected.yaml").read_text("utf-8"))["documents"]
    for name in [e["file"] for e in entries] + ["sources.yaml"]:
        shutil.copy2(REGIONS / name, folder / name)
    return folder


def eval_folders(work: Path) -> list[Path]:
    """The folders to build for the evaluation: the bundled corpus and the region documents."""
    from kb.settings import BUNDLED_CORPUS

    return [Path(BUNDLED_CORPUS), region_documents(work)]


if __name__ == "__main__":
    # ``kb build $(python tests/eval/eval_corpus.py /tmp/eval) -b /tmp/eval/build``
    import sys

    print(" ".join(str(p) for p in eval_folders(Path(sys.argv[1]))))
