"""Views (plain data for templates) of the generated review pages. STUB."""

from __future__ import annotations

from typing import Any

from sop_hub.hub import Hub


def processes(hub: Hub, renderer: Any) -> dict[str, Any]:
    return {}


def reviews(hub: Hub, renderer: Any) -> dict[str, Any]:
    return {}


def owners(hub: Hub, renderer: Any) -> dict[str, Any]:
    return {}


def register(hub: Hub, renderer: Any) -> dict[str, Any]:
    return {}
