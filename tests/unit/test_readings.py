"""Tracks' `read:` ids are checked against the catalog; `acknowledge:` and `learning_records` too."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_hub.core.hub import load_hub, markdown_pages, settings_from
from sop_hub.core.review import InvalidValue
from sop_hub.core.training import learning_records_settings


def hub_with(tmp_path: Path, tracks: str, extra: str = "") -> object:
    docs, quizzes = tmp_path / "docs", tmp_path / "quizzes"
    (docs / "p").mkdir(parents=True)
    quizzes.mkdir()
    head = "process: p\nowner: A B\nlast_reviewed_on: 2026-05-01\n"
    (docs / "p" / "one.md").write_text(f"---\nid: SOP-ONE\n{head}{extra}---\n# One\n", encoding="utf-8")
    (docs / "p" / "two.md").write_text(f"---\nid: SOP-TWO\n{head}status: retired\n---\n# Two\n", encoding="utf-8")
    (docs / "p" / "index.md").write_text("---\ntype: process\nid: p\nowner: A B\n---\n# P\n", encoding="utf-8")
    (quizzes / "tracks.yml").write_text(tracks, encoding="utf-8")
    settings = settings_from(
        as_of_flag="2026-06-01", as_of=None, due_soon="30 days", procedure="3 months", process="12 months"
    )
    return load_hub(markdown_pages(docs), root=tmp_path, quizzes_dir=quizzes, settings=settings)


def test_read_ids_are_checked_with_line_and_did_you_mean(tmp_path: Path) -> None:
    hub = hub_with(
        tmp_path, "t:\n  title: T\n  read:\n    - SOP-ONE\n    - SOP-ONF\n    - p\n    - SOP-TWO\n    - SOP-ONE\n"
    )
    found = {(p.line, p.code): p.message for p in hub.problems if p.path == "quizzes/tracks.yml"}  # type: ignore[attr-defined]
    assert found[(5, "unknown-document")].endswith("which is no document's id; did you mean `SOP-ONE`?")
    assert "is a process overview" in found[(6, "not-a-procedure")]
    assert "is retired" in found[(7, "retired-reading")]
    assert "twice" in found[(8, "duplicate-item")]
    assert hub.quizzes.tracks["t"].read == ["SOP-ONE", "SOP-TWO"]  # type: ignore[attr-defined]


def test_a_track_of_readings_only_needs_no_quizzes(tmp_path: Path) -> None:
    hub = hub_with(tmp_path, "t:\n  title: T\n  read: [SOP-ONE]\n")
    assert [p for p in hub.problems if p.path == "quizzes/tracks.yml"] == []  # type: ignore[attr-defined]


def test_acknowledge_must_be_a_boolean(tmp_path: Path) -> None:
    hub = hub_with(tmp_path, "t:\n  title: T\n  read: [SOP-ONE]\n", "acknowledge: yes please\n")
    assert any(p.code == "wrong-type" and "`acknowledge` must be `true` or `false`" in p.message for p in hub.problems)  # type: ignore[attr-defined]
    hub = hub_with(tmp_path / "b", "t:\n  title: T\n  read: [SOP-ONE]\n", "acknowledge: true\n")
    assert hub.catalog.by_id["SOP-ONE"].acknowledge is True  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "site", "message"),
    [
        ({"endpoint": "https://lrs/xAPI"}, "https://s/", "ending with `/`"),
        ({"endpoint": "ftp://lrs/xAPI/"}, "https://s/", "http(s) URL"),
        ({"endpoint": "https://lrs/xAPI/", "auth": 3}, "https://s/", "must be one line of text"),
        ({"endpoint": "https://lrs/xAPI/", "auth": "a\nb"}, "https://s/", "must be one line of text"),
        ({"endpoint": "https://lrs/xAPI/", "key": "x"}, "https://s/", "unknown key `key`"),
        ({"endpoint": "https://lrs/xAPI/"}, "", "needs `site_url`"),
        ("https://lrs/xAPI/", "https://s/", "must be a mapping"),
    ],
)
def test_learning_records_config_errors_name_the_fix(value: object, site: str, message: str) -> None:
    with pytest.raises(InvalidValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        learning_records_settings(value, site)


def test_learning_records_config_adds_the_site() -> None:
    got = learning_records_settings({"endpoint": "https://lrs/xAPI/", "auth": "Basic x"}, "https://s")
    assert got == {"endpoint": "https://lrs/xAPI/", "auth": "Basic x", "site": "https://s/"}
    assert learning_records_settings(None, "") is None


def test_the_lrs_settings_reach_the_page_as_an_escaped_attribute_never_as_script() -> None:
    import html
    import json
    import re
    from datetime import date

    from sop_hub.core.catalog import build_catalog
    from sop_hub.core.hub import Hub
    from sop_hub.core.quiz import QuizBook
    from sop_hub.core.review import ReviewSettings
    from sop_hub.render.renderer import Renderer, template_environment

    catalog = build_catalog([], ReviewSettings(as_of=date(2026, 6, 1)))
    hub = Hub(catalog=catalog, quizzes=QuizBook(), parsed={}, texts={}, changed=set())
    renderer = Renderer(hub, template_environment(), directory_urls=True, register_files=False)
    auth = 'Basic x"></div><script>window.__xss=1</script><div a="'
    renderer.learning_records = {"endpoint": "https://lrs.example/xapi/", "auth": auth, "site": "https://hub/"}
    markup = str(renderer.lr_config())
    assert "<script" not in markup and markup.count('"') == 2  # one attribute, its quotes only
    value = re.fullmatch(r'<div hidden data-sop-lr="([^"]*)"></div>', markup)
    assert value is not None and json.loads(html.unescape(value.group(1)))["auth"] == auth
