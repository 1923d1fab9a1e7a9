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


def _embedding(hub: Hub, renderer: Any) -> dict[str, list[dict[str, str | None]]]:
    """quiz id -> the (not retired) procedure pages that embed it, in catalog order; per build."""
    memo = getattr(renderer, "memo", None)
    if isinstance(memo, dict) and "onboarding:embedding" in memo:
        return memo["onboarding:embedding"]  # type: ignore[no-any-return]
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
                    "site_url": page_url(procedure.src_uri, directory_urls),
                    # As the quiz form on the page stamps it (render/quiz.py): the document's revision.
                    "revision": procedure.revision or page_revision(hub.texts.get(procedure.src_uri, "")),
                }
            )
    if isinstance(memo, dict):
        memo["onboarding:embedding"] = embedding
    return embedding


def track_items(track: Track, hub: Hub, renderer: Any) -> list[dict[str, Any]]:
    """A track's items in order, quizzes then readings (as the training matrix lists them).

    Each: ``kind`` (quiz | document), ``id``, ``title``, ``site_url`` (where to take or read it:
    a quiz's first page, or None when no page embeds it), and for a quiz its ``pages``, for a
    reading its ``revision`` (what an acknowledgement is compared with).
    """
    directory_urls = bool(getattr(renderer, "directory_urls", True))
    embedding = _embedding(hub, renderer)
    items: list[dict[str, Any]] = []
    for quiz_id in track.quizzes:
        quiz = hub.quizzes.quizzes.get(quiz_id)
        if quiz is None:
            continue
        pages = embedding.get(quiz_id, [])
        items.append(
            {
                "kind": "quiz",
                "id": quiz.id,
                "title": quiz.title,
                "quiz": quiz,
                "site_url": pages[0]["site_url"] if pages else None,
                "pages": pages,
            }
        )
    for doc_id in track.read:
        doc = hub.catalog.by_id.get(doc_id)
        if doc is None:
            continue
        items.append(
            {
                "kind": "document",
                "id": doc.id,
                "title": doc.title,
                "doc": doc,
                "site_url": page_url(doc.src_uri, directory_urls),
                "revision": doc.revision or page_revision(hub.texts.get(doc.src_uri, "")),  # as its page's button
            }
        )
    return items


def track_site_url(track_id: str, renderer: Any) -> str | None:
    """The site-relative URL of a track's page (None when the onboarding pages are off)."""
    generated = getattr(renderer, "generated", None) or {}
    directory_urls = bool(getattr(renderer, "directory_urls", True))
    for src_uri, key in generated.items():
        if key == f"track:{track_id}":
            return page_url(src_uri, directory_urls)
    return None


def next_steps(kind: str, item_id: str, hub: Hub, renderer: Any) -> list[dict[str, Any]]:
    """For a quiz (or document) in tracks: per track, its page, the item after this one and every
    item's (kind, id), so quiz.js can say "track complete" instead when all are done."""
    steps = []
    for track in hub.quizzes.tracks.values():
        items = track_items(track, hub, renderer)
        at = next((n for n, item in enumerate(items) if item["kind"] == kind and item["id"] == item_id), None)
        if at is None:
            continue
        steps.append(
            {
                "track": track,
                "url": track_site_url(track.id, renderer),
                "next": items[at + 1] if at + 1 < len(items) else None,
                "items": " ".join(f"{item['kind']}:{item['id']}" for item in items),
            }
        )
    return steps


def _track_view(track: Track, hub: Hub, renderer: Any) -> dict[str, Any]:
    items = track_items(track, hub, renderer)
    for item in items:  # links from the page being rendered (the memo's entries stay untouched)
        item["url"] = renderer.link(item["site_url"]) if item["site_url"] is not None else None
        if "pages" in item:
            item["pages"] = [{**page, "url": renderer.link(page["site_url"])} for page in item["pages"]]
    quizzes = [{"quiz": item["quiz"], "pages": item["pages"]} for item in items if item["kind"] == "quiz"]
    return {"track": track, "quizzes": quizzes, "items": items}


def _linker(renderer: Any) -> Callable[[str | None], str | None]:
    """src_uri of a generated page -> a link to it from the page being rendered."""
    directory_urls = bool(getattr(renderer, "directory_urls", True))

    def link(src_uri: str | None) -> str | None:
        return renderer.link(page_url(src_uri, directory_urls)) if src_uri else None

    return link
