"""Curated regional choices (kb.extract.curated): a file that is not a list is a read error (the
curated files checked against the real corpus are in tests/acceptance/test_curated.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.extract import curated
from kb.ingest.model import ReadError


def test_not_a_list_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "choices-map.yaml"
    path.write_text("region: Achterhoek\n", "utf-8")
    with pytest.raises(ReadError, match="expected a list of choice entries, found dict"):
        curated.load_choices(path)
