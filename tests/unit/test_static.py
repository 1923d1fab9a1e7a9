"""The browser assets as shipped (sop_hub.render.static): every one minifies, the lists agree with
the files, and the weight a quiz page adds stays within issue 9's budget."""

from __future__ import annotations

import gzip
import logging
import re

import pytest

from sop_hub.render import ASSETS_DIR, static


def gz(name: str) -> int:
    return len(gzip.compress(static.asset_text(name).encode("utf-8"), 9))


def test_the_lists_name_the_files_that_are_there() -> None:
    on_disk = {path.name for path in ASSETS_DIR.iterdir() if path.suffix in {".js", ".css"}}
    assert set(static.SHIPPED) == on_disk
    assert set(static.EVERY_PAGE_CSS + static.EVERY_PAGE_JS) <= set(static.SHIPPED)
    assert static.SEARCH_SCRIPT in static.SHIPPED


@pytest.mark.parametrize("name", static.SHIPPED)
def test_every_asset_minifies(name: str, caplog: pytest.LogCaptureFixture) -> None:
    static._minified.cache_clear()
    with caplog.at_level(logging.WARNING):
        text = static.asset_text(name)
    assert not caplog.records, "a source the minifier cannot parse (keep the assets ES5)"
    source = (ASSETS_DIR / name).read_text(encoding="utf-8")
    assert len(text) < 0.8 * len(source)
    assert "/*" not in text and text.count("\n") == 1


def test_a_source_that_does_not_parse_ships_as_written(monkeypatch, caplog, tmp_path) -> None:
    (tmp_path / "quiz.js").write_text("var a = ;\n", encoding="utf-8")
    monkeypatch.setattr(static, "ASSETS_DIR", tmp_path)
    static._minified.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            assert static.asset_text("quiz.js") == "var a = ;\n"
        assert "quiz.js shipped as written" in caplog.text
    finally:
        static._minified.cache_clear()


def test_minified_scripts_keep_their_strings_and_public_names() -> None:
    quiz = static.asset_text("quiz.js")
    for kept in ("sopHubQuiz", "sopHub", "sop-hub:quiz:", "Check answers", "data-sqz-sent"):
        assert kept in quiz
    assert re.search(r"\bfunction initQuiz\b", quiz) is None  # local names are shortened


def test_a_quiz_page_stays_within_8_kb_gzipped() -> None:
    # What a quiz page needs of SOP Hub's own files, counted even where every page loads it:
    # quiz.css (every page, so quizzes read well without JavaScript), quiz.js, and lr.js when
    # the hub has an LRS. Issue 9's budget is 8 KB.
    assert gz("quiz.css") + gz("quiz.js") + gz("lr.js") <= 8 * 1024
