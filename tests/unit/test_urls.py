"""Links and the default nav come out exactly as MkDocs makes them (render/urls.py copies its rules)."""

from __future__ import annotations

import pytest
from mkdocs.utils import get_relative_url, nest_paths

from sop_hub.render.urls import nest_paths as our_nest_paths
from sop_hub.render.urls import relative_url

URLS = [
    "",
    ".",
    "/",
    "index.html",
    "a/",
    "a/b/",
    "a/b",
    "a/b.html",
    "a/b/c/",
    "x/y/",
    "a/../b/",
    "../../c/",
    "register.csv",
    "sub/register.json",
    "a.b/c/",
    "//a/",
    "a/./b/",
    "a//b/",
    "reviews/#top",
    "é/ü/",
]


@pytest.mark.parametrize("target", URLS)
@pytest.mark.parametrize("from_url", URLS)
def test_relative_links_match_mkdocs(target: str, from_url: str) -> None:
    assert relative_url(target, from_url) == get_relative_url(target, from_url)


PATH_LISTS = [
    [],
    ["index.md", "about.md"],
    ["a/b.md", "a/c.md", "a/d/e.md", "f.md"],
    ["how-to/x.md", "how_to/y.md", "How-To/z.md", "API_v2/ref.md", "UPPER/x.md"],
    ["a/b/c/d.md", "a/x.md", "b/a.md", "a/b/y.md"],
    ["über-uns/seite.md", "./dot/x.md"],
]


@pytest.mark.parametrize("paths", PATH_LISTS)
def test_default_nav_nesting_matches_mkdocs(paths: list[str]) -> None:
    assert our_nest_paths(list(paths)) == nest_paths(list(paths))
