"""What a build says about itself beyond the graph: its warnings, for the site's "Kwaliteit",
and the release a new one follows (which incremental products reuse).

The pipeline writes the warnings of extraction (budget totals that do not add up, curated facts
it ignored, unreadable parts of a document…) into the release as :data:`BUILD_WARNINGS_FILE`
before it builds the products, so the site built in the same run can list them; the manifest,
written last, holds the same list.
"""

from __future__ import annotations

import json
from pathlib import Path

#: The build's warnings in a release folder: a JSON list of strings.
BUILD_WARNINGS_FILE = "warnings.json"
#: The release manifest (written last by the pipeline), which also lists the warnings.
MANIFEST_FILE = "manifest.json"


def read_build_warnings(release_dir: Path) -> list[str]:
    """The warnings of the build in ``release_dir`` ([] when it recorded none or the file is
    unreadable: the site then simply lists none)."""
    for name, key in ((BUILD_WARNINGS_FILE, None), (MANIFEST_FILE, "warnings")):
        try:
            data = json.loads((Path(release_dir) / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found = data.get(key) if key and isinstance(data, dict) else data
        if isinstance(found, list):
            return [str(w) for w in found]
    return []


def previous_release(release_dir: Path) -> Path | None:
    """The build folder's current release (``<build>/current``) when ``release_dir`` is a new
    release beside it (``<build>/releases/<name>``); None otherwise. Products reuse what did not
    change from it (Word documents of unchanged plans, site pages of unchanged sources)."""
    current = Path(release_dir).parent.parent / "current"
    try:
        resolved = current.resolve(strict=True)
    except OSError:
        return None
    return None if resolved == Path(release_dir).resolve() else resolved
