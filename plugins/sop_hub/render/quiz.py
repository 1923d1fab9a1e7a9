"""The Python-Markdown extension that renders ``<!-- quiz: id -->`` markers as quiz forms.

Speed: a quiz's HTML is rendered once per build (one Markdown parser for every fragment of
every quiz, plain-text fragments not parsed at all) and reused by each page that embeds it; per
page only a few placeholders (element ids, the page's address and revision) are filled in.

Safety (SPEC §4 "Data is never code"): quiz text is written by trainers, not developers, so every
fragment that reaches the page or the key is reduced by ``sanitize`` (nh3, the Rust ammonia
sanitizer: an allowlist of tags, attributes and URL schemes) after Markdown and after any slicing
of the Markdown output, so no later string operation can reopen a tag. Attribute lists are not
parsed in quiz text. quiz.js inserts the key's HTML through an inert template and its own
allowlist walk as a second line of defence.

Secrets: which answers are right, the accepted typed answers, per-choice feedback and
explanations travel in one ``data-key`` attribute: JSON, XOR-ed with 64 key bytes derived from the
quiz id and revision, then base64. That keeps them out of "view source", out of search and out
of reach of a stray ``</script>`` (base64 has no ``<``); it is not secure against a reader who
runs the decoder. A knowledge check, not an exam.
"""

from __future__ import annotations

import base64
import html
import json
import random
import re
from typing import Any

import nh3
from markdown import Extension, Markdown
from markdown.extensions.tables import TableExtension
from markdown.preprocessors import Preprocessor
from markupsafe import Markup

from sop_hub.core.metadata import INLINE_QUIZ
from sop_hub.core.model import Procedure
from sop_hub.core.quiz import Kind, Question, Quiz, QuizBook, normalise_answer, page_revision

# Tokens in the cached HTML, replaced per embedding (they cannot occur in escaped text).
PREFIX, PAGE, PAGE_REV = "\x02sqz\x03", "\x02page\x03", "\x02rev\x03"
# Fragments without Markdown syntax are escaped instead of parsed: most quiz text is plain.
_PLAIN = re.compile(r"[^\\`*_\[\]<>&#|~\n{}!]*")
_BLOCK_START = re.compile(r"\s*(?:[-+>]|\d+[.)])(?:\s|$)")
_ONE_PARAGRAPH = re.compile(r"<p>((?:(?!</?p[ >]).)*)</p>", re.DOTALL)
_SPLIT = "\n\n<!--sqz-split-->\n\n"
# No attr_list: `{: onfocus=… autofocus }` in quiz text stays text. Tables say `align="…"`, not
# `style`, so the sanitizer can allow the one and drop every style attribute.
_FRAGMENT_EXTENSIONS: list[Any] = ["fenced_code", TableExtension(use_align_attribute=True), "sane_lists"]

# The Markdown subset quiz text may use (SPEC §4). quiz.js keeps the same list (TAGS, ATTRS there).
SAFE_TAGS = frozenset(
    [
        "p",
        "br",
        "em",
        "strong",
        "code",
        "pre",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "img",
        "del",
        "hr",
        "sub",
        "sup",
    ]
)
SAFE_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
_ALIGN = {"align": {"left", "center", "right"}}
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative URLs (nh3's default)


class QuizExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.book = QuizBook()
        self.renderer: Any = None
        self.page: Any = None
        self._page_url = ""
        self._page_rev = ""
        self._count = 0
        self._cache: dict[tuple[str, str], str] = {}
        self._fragments: Markdown | None = None
        self._html: dict[str, str] = {}  # Markdown fragment -> unsanitized HTML, for this build
        self._safe: dict[tuple[str, str], Markup] = {}  # (block | inline | legend, text) -> safe HTML
        self._procedure = False  # whether the current page may show quizzes

    def configure(self, book: QuizBook, renderer: Any) -> None:
        self.book, self.renderer = book, renderer
        self._cache.clear()
        self._html.clear()
        self._safe.clear()

    def begin_page(self, document: Any, source_text: str, url: str) -> None:
        self.page = (document, source_text, url)
        # Only a procedure shows quizzes; elsewhere a marker stays an invisible HTML comment (the
        # core reports it as a problem).
        self._procedure = isinstance(document, Procedure)
        # The document's revision (SPEC §8: the latest non-editorial commit, else the body hash),
        # so an editorial fix does not ask for a retake and a real change does.
        revision = getattr(document, "revision", None) or page_revision(source_text)
        self._page_url, self._page_rev, self._count = url, revision, 0

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        # After fenced code (25) has stashed code blocks, before raw HTML (20) swallows comments.
        md.preprocessors.register(_QuizMarkers(md, self), "sop_hub_quiz", 22)

    # -- rendering --------------------------------------------------------------------------------
    def embed(self, quiz_id: str) -> str:
        """The HTML for one marker on the current page."""
        self._count += 1
        quiz = self.book.quizzes.get(quiz_id)
        if quiz is None or not quiz.questions:
            return self._missing(quiz_id, quiz)
        key = (quiz.id, quiz.revision)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._render(quiz)
        prefix = f"sqz{self._count}-{quiz.id}"
        markup = (
            cached.replace(PREFIX, html.escape(prefix))
            .replace(PAGE, html.escape(self._page_url))
            .replace(PAGE_REV, self._page_rev)
        )
        # The page gets a placeholder; the quiz joins the final HTML after search has indexed the
        # page, so neither the search indexer nor other plugins parse the quiz markup.
        return str(self.renderer.defer(self._page_url, markup))

    def _missing(self, quiz_id: str, quiz: Quiz | None) -> str:
        if quiz is None:
            known = ", ".join(sorted(self.book.quizzes)) or "none yet"
            name = html.escape(quiz_id)
            reason = f"There is no quiz file <code>{name}.yml</code> (known quizzes: {html.escape(known)})."
        else:
            reason = f"<code>{html.escape(quiz.path)}</code> has no valid questions; run <code>sop-hub check</code>."
        return (
            '<div class="admonition failure sqz-missing" role="note" data-search-exclude>'
            f'<p class="admonition-title">Quiz <code>{html.escape(quiz_id)}</code> cannot be shown</p>'
            f"<p>{reason}</p></div>"
        )

    def _render(self, quiz: Quiz) -> str:
        self._convert_all(_fragments_of(quiz))
        questions, secrets = [], []
        for number, question in enumerate(quiz.questions):
            view, secret = self._question(quiz, question, number)
            questions.append(view)
            secrets.append(secret)
        key = encode(secrets, quiz.id, quiz.revision)
        if self.renderer is None:  # pragma: no cover - configure() runs before any page
            return ""
        rendered = self.renderer.render(
            "sop-hub/quiz.html", quiz=quiz, questions=questions, key=key, prefix=PREFIX, page=PAGE, page_rev=PAGE_REV
        )
        return str(rendered).strip()  # a leading newline would make Markdown wrap the form in <p>

    def _question(self, quiz: Quiz, question: Question, number: int) -> tuple[dict[str, Any], dict[str, Any]]:
        legend, body = self._legend(question.text)
        view: dict[str, Any] = {"kind": question.kind, "legend": legend, "body": body, "items": []}
        secret: dict[str, Any] = {}
        rng = random.Random(f"{quiz.revision}:{number}")
        if question.kind == Kind.ORDER:
            shown = _scrambled(len(question.order), rng)
            for value, index in enumerate(shown):
                text = self.inline(question.order[index])
                view["items"].append({"value": value, "html": text})
            secret["o"] = [shown.index(index) for index in range(len(shown))]
        elif question.kind == Kind.TEXT:
            secret["a"] = sorted({normalise_answer(text) for text in question.accept})
            secret["s"] = question.accept[0]
        else:
            feedback: list[str | None]
            if question.kind == Kind.BOOLEAN:
                texts, feedback, correct = ["True", "False"], [None, None], [0 if question.answer else 1]
                shown = [0, 1]
            else:
                texts = [choice.text for choice in question.choices]
                feedback = [choice.feedback for choice in question.choices]
                correct = question.correct
                shown = list(range(len(texts)))
                if quiz.shuffle:
                    rng.shuffle(shown)
            for value, index in enumerate(shown):
                view["items"].append({"value": value, "html": self.inline(texts[index])})
            secret["c"] = sorted(shown.index(index) for index in correct)
            notes = {str(shown.index(i)): self.block(text) for i, text in enumerate(feedback) if text}
            if notes:
                secret["f"] = notes
        if question.explanation:
            secret["e"] = self.block(question.explanation)
        return view, secret

    def _legend(self, text: str) -> tuple[Markup, Markup | None]:
        """A question's text for its <legend> (inline), and any further blocks shown below it."""
        legend = self._safe.get(("legend", text))
        if legend is None:
            rendered = self._markdown(text)
            match = _ONE_PARAGRAPH.fullmatch(rendered)
            first, _, rest = rendered.partition("</p>")
            if match:
                head, tail = match.group(1), ""
            elif first.startswith("<p>") and "<p" not in first[3:]:
                head, tail = first[3:], rest.strip()
            else:
                head, tail = "", rendered
            # Sliced first, sanitized after: a cut can never leave half a tag in the page.
            legend = self._safe[("legend", text)] = sanitize(head) if head else Markup("Question")
            self._safe[("body", text)] = sanitize(tail)
        body = self._safe[("body", text)]
        return legend, body or None

    def inline(self, text: str) -> Markup:
        """One paragraph of Markdown without its <p>, sanitized (choices, order items)."""
        done = self._safe.get(("inline", text))
        if done is None:
            rendered = self._markdown(text)
            match = _ONE_PARAGRAPH.fullmatch(rendered)
            done = self._safe[("inline", text)] = sanitize(match.group(1) if match else rendered)
        return done

    def block(self, text: str) -> Markup:
        """Markdown -> sanitized HTML (feedback, explanations)."""
        done = self._safe.get(("block", text))
        if done is None:
            done = self._safe[("block", text)] = sanitize(self._markdown(text))
        return done

    def _markdown(self, text: str) -> str:
        """Markdown -> HTML, NOT yet safe, with the build's one fragment parser; plain text is only escaped."""
        done = self._html.get(text)
        if done is None:
            self._convert_all([text])
            done = self._html[text]
        return done

    def _convert_all(self, texts: list[str]) -> None:
        """Render many fragments in one pass of the parser: its fixed cost per call dominates."""
        todo = []
        for text in dict.fromkeys(texts):
            if text in self._html:
                continue
            if _PLAIN.fullmatch(text) and not _BLOCK_START.match(text):
                # Escaped text cannot carry markup; it still goes through sanitize() like the rest.
                self._html[text] = f"<p>{html.escape(text, quote=False)}</p>"
            else:
                todo.append(text)
        if not todo:
            return
        if self._fragments is None:
            self._fragments = Markdown(extensions=_FRAGMENT_EXTENSIONS)
        marker = _SPLIT.strip()
        parts = [] if any(marker in text for text in todo) else self._convert(_SPLIT.join(todo)).split(marker)
        if len(parts) != len(todo):  # a fragment swallowed (or wrote) a separator: one by one
            parts = [self._convert(text) for text in todo]
        self._html.update((text, part.strip()) for text, part in zip(todo, parts, strict=True))

    def _convert(self, text: str) -> str:
        assert self._fragments is not None
        self._fragments.reset()
        return self._fragments.convert(text)


def _fragments_of(quiz: Quiz) -> list[str]:
    texts = []
    for question in quiz.questions:
        texts += [question.text, *question.order, *(c.text for c in question.choices)]
        texts += [text for text in (question.explanation, *(c.feedback for c in question.choices)) if text]
    return texts


class _QuizMarkers(Preprocessor):
    """Replaces each ``<!-- quiz: id -->`` line with the quiz's HTML (stashed as raw HTML)."""

    def __init__(self, md: Markdown, extension: QuizExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        if not self.extension._procedure:
            return lines  # not a procedure: markers stay HTML comments, nothing is rendered
        for line in lines:
            match = INLINE_QUIZ.fullmatch(line) if "<!--" in line else None
            if match is None:
                out.append(line)
                continue
            placeholder = self.md.htmlStash.store(self.extension.embed(match.group(1)))
            out += ["", placeholder, ""]
        return out


def sanitize(fragment: str) -> Markup:
    """HTML -> the quiz subset: allowed tags only, no event or style attributes, no id or class,
    links and images only to http(s)/mailto/relative URLs; comments, scripts and styles removed."""
    if not fragment:
        return Markup("")
    cleaned = nh3.clean(
        fragment,
        tags=set(SAFE_TAGS),
        attributes=SAFE_ATTRIBUTES,
        tag_attribute_values={"th": _ALIGN, "td": _ALIGN},
        url_schemes=set(SAFE_URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    return Markup(cleaned.strip())


def keystream(quiz_id: str, revision: str) -> bytes:
    """64 key bytes: FNV-1a of ``id:revision`` seeds a xorshift32 generator (quiz.js does the same)."""
    state = 2166136261
    for char in f"{quiz_id}:{revision}":
        state = ((state ^ ord(char)) * 16777619) & 0xFFFFFFFF
    key = bytearray()
    for _ in range(64):
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        key.append(state & 0xFF)
    return bytes(key)


def encode(data: Any, quiz_id: str, revision: str) -> str:
    """JSON -> UTF-8 -> XOR with the quiz's keystream -> base64 (quiz.js undoes it)."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(_xor(raw, keystream(quiz_id, revision))).decode("ascii")


def decode(text: str, quiz_id: str, revision: str) -> Any:
    """The inverse of ``encode`` (for tests, and for anyone auditing what a page carries)."""
    return json.loads(_xor(base64.b64decode(text), keystream(quiz_id, revision)).decode("utf-8"))


def _xor(data: bytes, key: bytes) -> bytes:
    # One big-integer XOR instead of a Python loop per byte.
    pad = (key * (len(data) // len(key) + 1))[: len(data)]
    return (int.from_bytes(data, "big") ^ int.from_bytes(pad, "big")).to_bytes(len(data), "big")


def _scrambled(count: int, rng: random.Random) -> list[int]:
    """A shown order for an ordering question that is never already the right one."""
    order = list(range(count))
    while order == sorted(order):
        rng.shuffle(order)
    return order
