"""The browser assets every host ships: which files, which of them every page loads, minified text.

Every page loads ``sop-hub.css``, ``quiz.css`` (so a quiz reads well with JavaScript off) and
``sop-hub.js``. The rest are feature scripts that ``sop-hub.js`` loads only on the pages that use
them (issue 9: a quiz page carries its own weight, the other pages none of it)::

    sop-hub.js -> quiz.js   pages with a quiz, an acknowledgement or a track
                  quiz.js -> track.js, track.css   track pages and the onboarding page
                          -> lr.js                  only with an LRS, when there is a record to send

``sop-search.js`` is loaded in ``<head>`` by the MkDocs host (it must run before Material's bundle).

The sources in ``assets/`` are written to be read; the site gets them minified. JavaScript goes
through calmjs.parse (a maintained ES5 parser and printer: comments and white space dropped, local
names shortened, nothing else changed), CSS through rCSSmin. So the sources stay ES5 (``var``,
``function``, no trailing commas in calls): ``tests/unit/test_static.py`` minifies every asset
and holds the weight budget. Should a source ever fail to parse, the site gets it as written and
the test says so.
"""

from __future__ import annotations

import functools
import logging

import rcssmin
from calmjs.parse import es5
from calmjs.parse.exceptions import ECMASyntaxError
from calmjs.parse.unparsers.es5 import minify_print

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
log = logging.getLogger(__name__)


def asset_text(name: str) -> str:
    """The asset as the site serves it: minified. The sources never change while a process runs."""
    return _minified(name)


@functools.cache
def _minified(name: str) -> str:
    if name not in SHIPPED:
        raise KeyError(name)
    source = (ASSETS_DIR / name).read_text(encoding="utf-8")
    if name.endswith(".css"):
        return str(rcssmin.cssmin(source)).strip() + "\n"
    try:
        return str(minify_print(es5(source), obfuscate=True, obfuscate_globals=False)).strip() + "\n"
    except ECMASyntaxError as error:  # a developer's slip: tests/unit/test_static.py fails on it
        log.warning("sop-hub: %s shipped as written, it could not be minified: %s", name, error)
        return source
