"""Views of the onboarding index and track pages.

The reader's progress lives in their browser, so these pages carry what quiz.js needs to work
out each quiz's status from localStorage: the quiz's current revision, and for every page that
embeds it that page's address and current revision (the same ``page_revision`` the extension
stamps on the quiz form). A result taken on an older revision of either asks for a refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sop_hub.core.catalog import page_url
from sop_hub.core.hub import Hub
from sop_hub.core.model import DocStatus
from sop_hub.core.quiz import Track, page_revision


def onboarding(hub: Hub, renderer: Any) -> dict[str, Any]:
    """Every track, with its quizzes (for the progress bars), in tracks.yml order."""
    return {
        "tracks": [_track_view(track, hub, renderer) for track in hub.quizzes.tracks.values()],
        "link": _linker(renderer),
    }


def track(track: Track, hub: Hub, renderer: Any) -> dict[str, Any]:
    """One track: its quizzes in order, each with the procedure pages to take it on."""
    return {**_track_view(track, hub, renderer), "link": _linker(renderer)}


def _track_view(track: Track, hub: Hub, renderer: Any) -> dict[str, Any]:
    directory_urls = bool(getattr(renderer, "directory_urls", True))
    embedding: dict[str, list[dict[str, str | None]]] = {}
    for procedure in hub.catalog.procedures:
        if procedure.status is DocStatus.RETIRED:
            continue  # a retired page is no place to learn from
        for quiz_id in procedure.all_quizzes:
            embedding.setdefault(quiz_id, []).append(
                {
                    "title": procedure.title,
                    "id": procedure.id,
                    "url": renderer.url_of(procedure),
                    "site_url": page_url(procedure.src_uri, directory_urls),
                    # As the quiz form on the page stamps it (render/quiz.py): the document's revision.
                    "revision": procedure.revision or page_revision(hub.texts.get(procedure.src_uri, "")),
                }
            )
    quizzes = []
    for quiz_id in track.quizzes:
        quiz = hub.quizzes.quizzes.get(quiz_id)
        if quiz is None:
            continue
        quizzes.append({"quiz": quiz, "pages": embedding.get(quiz_id, [])})
    return {"track": track, "quizzes": quizzes}


def _linker(renderer: Any) -> Callable[[str | None], str | None]:
    """src_uri of a generated page -> a link to it from the page being rendered."""
    directory_urls = bool(getattr(renderer, "directory_urls", True))

    def link(src_uri: str | None) -> str | None:
        return renderer.link(page_url(src_uri, directory_urls)) if src_uri else None

    return link
