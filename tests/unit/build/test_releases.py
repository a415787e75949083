"""Releases are never lost: partial releases are cleaned first and do not count toward
``keep_releases``, one build at a time per build folder, and a manifest claims only what was
built."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from kb.build.pipeline import BuildLocked, build, build_lock
from kb.settings import Settings

from .test_products import PLAN, Recorder


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "2021-01-01_testregio_plan.txt").write_text(PLAN, encoding="utf-8")
    return corpus


def _releases(settings: Settings) -> list[str]:
    return sorted(p.name for p in (settings.build_dir / "releases").iterdir())


def test_partial_releases_are_cleaned_and_do_not_push_out_good_ones(tmp_path: Path) -> None:
    settings = Settings(build_dir=tmp_path / "build", keep_releases=2)
    corpus = _corpus(tmp_path)
    first = build([corpus], settings, do_validate=False)
    assert first.published
    # What killed builds leave: folders without a manifest, named as if they were newer.
    for name in ("99990101T000000-1-00001", "99990101T000000-2-00002"):
        partial = settings.build_dir / "releases" / name
        partial.mkdir()
        (partial / "graph.nt").write_text("", encoding="utf-8")
    second = build([corpus], settings, do_validate=False)
    assert second.published
    # Both complete releases stay (keep_releases=2); both partial ones are gone.
    assert _releases(settings) == sorted([first.release_dir.name, second.release_dir.name])
    third = build([corpus], settings, do_validate=False)
    assert _releases(settings) == sorted([second.release_dir.name, third.release_dir.name])


def test_a_second_build_on_the_same_folder_is_refused_with_a_clear_message(
    tmp_path: Path,
) -> None:
    settings = Settings(build_dir=tmp_path / "build")
    corpus = _corpus(tmp_path)
    with (
        build_lock(settings.build_dir),
        pytest.raises(BuildLocked, match="another build is running.*--wait"),
    ):
        build([corpus], settings, do_validate=False)
    assert not (settings.build_dir / "current").exists()


def test_a_waiting_build_starts_when_the_first_is_done(tmp_path: Path) -> None:
    settings = Settings(build_dir=tmp_path / "build")
    corpus = _corpus(tmp_path)
    results = []
    started: list[float] = []  # when the waiting build did its first step

    def progress(step: str, done: int, total: int) -> None:
        if not started:
            started.append(time.monotonic())

    def second_build() -> None:
        results.append(build([corpus], settings, do_validate=False, wait=True, progress=progress))

    with build_lock(settings.build_dir):
        waiter = threading.Thread(target=second_build)
        waiter.start()
        time.sleep(1.0)
        assert not started and not results  # still waiting for the lock, nothing read yet
        released = time.monotonic()
    waiter.join(60)
    assert results and results[0].published
    assert started and started[0] >= released


def test_a_failed_build_claims_no_product_it_did_not_build(tmp_path: Path) -> None:
    settings = Settings(build_dir=tmp_path / "build")
    empty = tmp_path / "empty"
    empty.mkdir()
    site = Recorder("site")
    result = build([empty], settings, products=[site], do_validate=False)
    assert not result.published and not site.calls
    manifest = json.loads((result.release_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["products"] == {"site": False}


def test_release_files_share_one_mode(tmp_path: Path) -> None:
    settings = Settings(build_dir=tmp_path / "build")
    result = build([_corpus(tmp_path)], settings, do_validate=False)
    modes = {
        p.name: oct(p.stat().st_mode & 0o777) for p in result.release_dir.rglob("*") if p.is_file()
    }
    assert "graph.nt" in modes and "graph.ttl" in modes and "manifest.json" in modes
    assert len(set(modes.values())) == 1, modes
    umask = os.umask(0o022)
    os.umask(umask)
    assert set(modes.values()) == {oct(0o666 & ~umask)}


def test_kb_build_says_another_build_runs_and_waits_with_wait(tmp_path: Path) -> None:
    """The command line: a second ``kb build`` on a locked build folder is one clear message
    (exit 2, no traceback); with ``--wait`` it starts once the first build lets go."""
    from typer.testing import CliRunner

    from kb.cli.main import app

    build_dir = tmp_path / "build"
    args = ["build", str(_corpus(tmp_path)), "-b", str(build_dir), "--graph-only", "--no-validate"]
    runner = CliRunner()
    with build_lock(build_dir):
        refused = runner.invoke(app, args)
    assert refused.exit_code == 2, refused.output
    assert "another build is running" in refused.output and "--wait" in refused.output
    assert "Traceback" not in refused.output
    assert not (build_dir / "current").exists()

    held = threading.Event()

    def hold_for_a_second() -> None:  # another thread: filelock refuses a same-thread wait
        with build_lock(build_dir):
            held.set()
            time.sleep(1.0)

    holder = threading.Thread(target=hold_for_a_second)
    holder.start()
    assert held.wait(10)
    start = time.monotonic()
    waited = runner.invoke(app, [*args, "--wait"])
    assert waited.exit_code == 0, waited.output
    assert time.monotonic() - start >= 0.9  # it waited for the lock, then built
    assert (build_dir / "current").exists()
    holder.join(10)


def test_a_new_release_shares_unchanged_texts_and_originals_with_the_one_it_follows(
    tmp_path: Path,
) -> None:
    """Unchanged documents' texts and originals are hard links to the current release's files
    (a national corpus would write them all again on every build); a changed document gets its
    own new files, and the older release keeps its own content."""
    settings = Settings(build_dir=tmp_path / "build")
    corpus = _corpus(tmp_path)
    letter = corpus / "2022-03-01_testregio_brief.txt"
    letter.write_text("Brief aan de raad over de inkoop van jeugdhulp in de regio.\n")
    first = build([corpus], settings, do_validate=False).release_dir
    letter.write_text("Brief aan de raad over de verlenging van de contracten jeugdhulp.\n")
    second = build([corpus], settings, do_validate=False).release_dir

    def files(release: Path, folder: str) -> dict[str, Path]:
        return {p.name: p for p in (release / folder).iterdir()}

    for folder in ("text", "originals"):
        old, new = files(first, folder), files(second, folder)
        assert old.keys() == new.keys() and len(old) == 2
        plan = next(name for name in old if "plan" in name)
        brief = next(name for name in old if "brief" in name)
        assert new[plan].samefile(old[plan]), folder
        assert not new[brief].samefile(old[brief]), folder
        assert "verlenging" in new[brief].read_text() and "verlenging" not in old[brief].read_text()
