"""The browser assets every host ships: which files, which of them every page loads, minified text.

Every page loads ``sop-hub.css``, ``quiz.css`` (so a quiz reads well with JavaScript off) and
``sop-hub.js``. The rest are feature scripts that ``sop-hub.js`` loads only on the pages that use
them (issue 9: a quiz page carries its own weight, the other pages none of it)::

    sop-hub.js -> quiz.js   pages with a quiz, an acknowledgement or a track
                  quiz.js -> track.js, track.css   track pages and the onboarding page
                          -> lr.js                  only for a learner, when there is a record to send

``sop-search.js`` is loaded in ``<head>`` by the MkDocs host (it must run before Material's bundle).

The sources in ``assets/`` are written to be read; sites get them minified, from ``assets/dist/``,
which ``make assets`` writes (``python -m sop_hub.render.static``) and git keeps, as Material
keeps its built bundle: a build costs no minifying and the package no minifier. JavaScript goes
through calmjs.parse (a maintained ES5 parser and printer: comments and white space dropped, local
names shortened, nothing else changed), CSS through rCSSmin; so the sources stay ES5 (``var``,
``function``, no trailing commas in calls). ``dist/manifest.json`` holds each source's SHA-256:
a source edited since ``make assets`` is shipped as written, with a warning, and
``tests/unit/test_static.py`` fails until ``make assets`` runs (it also re-minifies every source
and compares, and holds the weight budget).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sys

from sop_hub.render import ASSETS_DIR

SHIPPED = (
    "sop-hub.css",
    "sop-hub.js",
    "quiz.css",
    "quiz.js",
    "track.css",
    "track.js",
    "lr.js",
    "sop-search.js",
)
EVERY_PAGE_CSS = ("sop-hub.css", "quiz.css")
EVERY_PAGE_JS = ("sop-hub.js",)
SEARCH_SCRIPT = "sop-search.js"
URI = "assets/sop-hub/{}"  # where, in the site, the assets go
DIST_DIR = ASSETS_DIR / "dist"
MANIFEST = DIST_DIR / "manifest.json"
log = logging.getLogger(__name__)


def asset_text(name: str) -> str:
    """The asset as sites get it: minified, or as written when edited since ``make assets``."""
    return _shipped(name)


def source_digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


@functools.cache
def _shipped(name: str) -> str:
    if name not in SHIPPED:
        raise KeyError(name)
    source = (ASSETS_DIR / name).read_text(encoding="utf-8")
    if _manifest().get(name) == source_digest(source):
        return (DIST_DIR / name).read_text(encoding="utf-8")
    log.warning("sop-hub: assets/%s changed since `make assets` and ships unminified; run `make assets`", name)
    return source


@functools.cache
def _manifest() -> dict[str, str]:
    try:
        data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(key): str(value) for key, value in data.items()} if isinstance(data, dict) else {}


def minify(name: str, source: str) -> str:
    """``make assets``' minifier (the test runs it too). Needs the test extra: calmjs.parse, rcssmin."""
    if name.endswith(".css"):
        import rcssmin

        return str(rcssmin.cssmin(source)).strip() + "\n"
    from calmjs.parse import es5
    from calmjs.parse.unparsers.es5 import minify_print

    return str(minify_print(es5(source), obfuscate=True, obfuscate_globals=False)).strip() + "\n"


def write_dist() -> list[str]:
    """Minify every shipped asset into ``assets/dist/`` and record the sources' digests."""
    DIST_DIR.mkdir(exist_ok=True)
    digests: dict[str, str] = {}
    lines = []
    for name in SHIPPED:
        source = (ASSETS_DIR / name).read_text(encoding="utf-8")
        try:
            text = minify(name, source)
        except Exception as error:  # calmjs names the line, not the file
            raise ValueError(f"assets/{name}: {error}") from error
        (DIST_DIR / name).write_text(text, encoding="utf-8")
        digests[name] = source_digest(source)
        lines.append(f"{name}: {len(source.encode())} -> {len(text.encode())} bytes")
    MANIFEST.write_text(json.dumps(digests, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _shipped.cache_clear()
    _manifest.cache_clear()
    return lines


if __name__ == "__main__":  # make assets
    try:
        print("\n".join(write_dist()))
    except Exception as error:  # a source the ES5 parser cannot read: say which, and fail
        sys.exit(f"make assets: {error}")
