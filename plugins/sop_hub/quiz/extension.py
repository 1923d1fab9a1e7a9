"""The Python-Markdown extension that renders ``<!-- quiz: id -->`` markers. STUB."""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown

from sop_hub.quiz.schema import QuizBook


class QuizExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.book = QuizBook()
        self.renderer: Any = None
        self.page: Any = None

    def configure(self, book: QuizBook, renderer: Any) -> None:
        self.book, self.renderer = book, renderer

    def begin_page(self, document: Any, source_text: str, url: str) -> None:
        self.page = (document, source_text, url)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        return None
