"""Probe extension: what does Zensical hand a Python-Markdown extension per page?"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

CALLS: list[str] = []


class Probe(Postprocessor):
    def __init__(self, md: Markdown, ext: ProbeExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        ctx = None
        if "rendering_context" in self.md.preprocessors:
            ctx = self.md.preprocessors["rendering_context"]
        page = getattr(ctx, "page", None)
        info = {
            "pid": os.getpid(),
            "thread": threading.current_thread().name,
            "options": self.ext.getConfigs(),
            "has_Meta": hasattr(self.md, "Meta"),
            "page": None
            if page is None
            else {"path": page.path, "url": page.url, "title": page.title, "meta": page.meta},
            "config_keys": sorted(ctx.config)[:80] if ctx is not None else None,
            "root_dir": ctx.config.get("root_dir") if ctx is not None else None,
            "plugins": list(ctx.config.get("plugins", {})) if ctx is not None else None,
        }
        with open(os.path.join(os.path.dirname(__file__), "probe.log"), "a") as fh:
            fh.write(json.dumps(info, default=str) + "\n")
        box = (
            f'<div class="probe-box">PROBE path={page.path if page else "?"} url={page.url if page else "?"}</div>'
            "<div data-search-exclude><p>zzexcludedword</p></div>"
            "<div><p>zzincludedword</p></div>"
        )
        return re.sub(r"(</h1>)", r"\1" + box, text, count=1)


class ProbeExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"greeting": ["", "a test option"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(Probe(md, self), "probe", 1)


def makeExtension(**kwargs: Any) -> ProbeExtension:
    return ProbeExtension(**kwargs)
