"""The browser assets as shipped (sop_hub.render.static): the minified copies are current, every
source minifies to exactly them, the lists agree with the files, and the weight a quiz page adds
stays within issue 9's budget."""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sop_hub.render import ASSETS_DIR, static

STALE = "assets/dist/ is older than its sources: run `make assets` (and commit assets/dist/)"


def gz(name: str) -> int:
    return len(gzip.compress(static.asset_text(name).encode("utf-8"), 9))


def test_the_lists_name_the_files_that_are_there() -> None:
    on_disk = {path.name for path in ASSETS_DIR.iterdir() if path.suffix in {".js", ".css"}}
    assert set(static.SHIPPED) == on_disk
    assert set(static.EVERY_PAGE_CSS + static.EVERY_PAGE_JS) <= set(static.SHIPPED)
    assert static.SEARCH_SCRIPT in static.SHIPPED
    assert set(json.loads(static.MANIFEST.read_text(encoding="utf-8"))) == set(static.SHIPPED)


@pytest.mark.parametrize("name", static.SHIPPED)
def test_the_minified_copy_is_current_and_is_what_sites_get(name: str) -> None:
    source = (ASSETS_DIR / name).read_text(encoding="utf-8")
    built = (static.DIST_DIR / name).read_text(encoding="utf-8")
    assert static.minify(name, source) == built, STALE  # reproducible, and not edited by hand
    assert json.loads(static.MANIFEST.read_text(encoding="utf-8"))[name] == static.source_digest(source), STALE
    assert static.asset_text(name) == built
    assert len(built) < 0.8 * len(source) and "/*" not in built and built.count("\n") == 1


@pytest.fixture
def assets_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The assets folder copied, and static pointed at the copy (caches cleared before and after)."""
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS_DIR, folder)
    monkeypatch.setattr(static, "ASSETS_DIR", folder)
    monkeypatch.setattr(static, "DIST_DIR", folder / "dist")
    monkeypatch.setattr(static, "MANIFEST", folder / "dist" / "manifest.json")
    static._shipped.cache_clear()
    static._manifest.cache_clear()
    yield folder
    static._shipped.cache_clear()
    static._manifest.cache_clear()


def test_a_source_edited_since_make_assets_ships_as_written_with_a_warning(
    assets_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    edited = (assets_copy / "quiz.js").read_text(encoding="utf-8") + "\n// edited\n"
    (assets_copy / "quiz.js").write_text(edited, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert static.asset_text("quiz.js") == edited
        assert static.asset_text("lr.js") == (assets_copy / "dist" / "lr.js").read_text(encoding="utf-8")
    assert "assets/quiz.js changed since `make assets`" in caplog.text and "lr.js" not in caplog.text


def test_make_assets_rewrites_dist_and_names_a_source_it_cannot_parse(assets_copy: Path) -> None:
    (assets_copy / "quiz.js").write_text("var a = 1;\n", encoding="utf-8")
    static.write_dist()
    assert static.asset_text("quiz.js") == "var a=1;\n"
    (assets_copy / "lr.js").write_text("f(1, 2,);\n", encoding="utf-8")  # a trailing comma: not ES5
    with pytest.raises(ValueError, match=r"^assets/lr\.js: "):
        static.write_dist()


def test_minified_scripts_keep_their_strings_and_public_names() -> None:
    quiz = static.asset_text("quiz.js")
    for kept in ("sopHubQuiz", "sopHub", "sop-hub:quiz:", "Check answers", "data-sqz-sent"):
        assert kept in quiz
    assert re.search(r"\bfunction initQuiz\b", quiz) is None  # local names are shortened


def test_a_quiz_page_stays_within_8_kb_gzipped() -> None:
    # What a quiz page needs of SOP Hub's own files, counted even where every page loads it:
    # quiz.css (every page, so quizzes read well without JavaScript), quiz.js, and lr.js when
    # the hub has an LRS and the reader has given a name. Issue 9's budget is 8 KB.
    assert gz("quiz.css") + gz("quiz.js") + gz("lr.js") <= 8 * 1024
