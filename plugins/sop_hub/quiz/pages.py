"""Views of the onboarding index and track pages. STUB."""

from __future__ import annotations

from typing import Any

from sop_hub.hub import Hub


def onboarding(hub: Hub, renderer: Any) -> dict[str, Any]:
    return {}


def track(track: Any, hub: Hub, renderer: Any) -> dict[str, Any]:
    return {}
