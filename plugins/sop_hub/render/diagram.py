"""The map of hand-offs between processes, laid out at build time as an inline SVG.

A small layered (Sugiyama-style) layout, top to bottom so that a tall map scrolls with the
page instead of shrinking: hand-offs that close a cycle are turned round for the layout (and
drawn with the arrow at the other end), each process goes one row below everything that hands
off to it, a row holds at most ``per_row`` processes, long edges pass through spacer points,
and a few barycentre sweeps untangle crossings. Pure and deterministic: no MkDocs, no I/O,
the same input always draws the same picture. Colours come from CSS (``.sop-map`` classes),
so Material's light and dark palettes both apply.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

BOX_WIDTH = 184
BOX_HEIGHT = 60
SPACER_WIDTH = 16
GAP_X = 28
GAP_Y = 56
MARGIN = 12
CHARS_PER_LINE = 23  # ~7 px per character at 13 px in a sans-serif face
MAX_LINES = 2


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str
    href: str | None = None  # None: drawn without a link (e.g. a process with no page)
    note: str = ""  # a second, smaller line: the owner


@dataclass(slots=True)
class Placed:
    """A node (or a spacer point of a long edge) in its row, with its box."""

    key: str
    row: int
    node: Node | None  # None for a spacer
    x: float = 0.0
    y: float = 0.0

    @property
    def width(self) -> float:
        return BOX_WIDTH if self.node else SPACER_WIDTH


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    reversed: bool  # drawn against the layout's downward direction (it closes a cycle)
    chain: list[str] = field(default_factory=list)  # keys from the upper end to the lower end


@dataclass(frozen=True, slots=True)
class Diagram:
    svg: str
    width: int
    height: int
    rows: int


def layout_rows(ids: Sequence[str], edges: Sequence[tuple[str, str]], per_row: int = 4) -> dict[str, int]:
    """Row of each node: below all its (acyclic) predecessors, at most ``per_row`` real nodes a row."""
    forward = _acyclic(ids, edges)
    preds: dict[str, list[str]] = {node: [] for node in ids}
    for source, target in forward:
        preds[target].append(source)
    depth = _longest_path(ids, preds)
    connected = {node for edge in forward for node in edge}
    # Connected processes first (by depth, then given order); unconnected ones fill the gaps.
    order = sorted(ids, key=lambda node: (node not in connected, depth[node], ids.index(node)))
    rows: dict[str, int] = {}
    used: dict[int, int] = {}
    for node in order:
        row = max((rows[p] + 1 for p in preds[node]), default=0)
        while used.get(row, 0) >= max(per_row, 1):
            row += 1
        rows[node] = row
        used[row] = used.get(row, 0) + 1
    return rows


def draw(nodes: Sequence[Node], handoffs: Sequence[tuple[str, str]], *, title: str, desc: str) -> Diagram:
    """The map as SVG markup. Unknown ids and self hand-offs are left out (the text list shows them)."""
    ids = list(dict.fromkeys(node.id for node in nodes))
    by_id = {node.id: node for node in nodes}
    pairs = list(dict.fromkeys((s, t) for s, t in handoffs if s in by_id and t in by_id and s != t))
    forward = set(_acyclic(ids, pairs))
    rows = layout_rows(ids, pairs)
    placed = {node_id: Placed(node_id, rows[node_id], by_id[node_id]) for node_id in ids}
    edges: list[Edge] = []
    for index, (source, target) in enumerate(pairs):
        upper, lower = (source, target) if (source, target) in forward else (target, source)
        edge = Edge(source, target, reversed=upper != source)
        edge.chain.append(upper)
        for row in range(rows[upper] + 1, rows[lower]):
            key = f"\0{index}:{row}"
            placed[key] = Placed(key, row, None)
            edge.chain.append(key)
        edge.chain.append(lower)
        edges.append(edge)
    layers = _order_rows(placed, edges)
    width, height = _position(layers)
    body = [_edge_svg(edge, placed) for edge in _with_ports(edges, placed)]
    body += [_node_svg(p) for layer in layers for p in layer if p.node]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'class="sop-map__svg" role="img" '
        f'aria-labelledby="sop-map-title sop-map-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">'
        f'<title id="sop-map-title">{_esc(title)}</title><desc id="sop-map-desc">{_esc(desc)}</desc>'
        "<defs>"
        '<marker id="sop-map-arrow" class="sop-map__arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>" + "".join(body) + "</svg>"
    )
    return Diagram(svg=svg, width=width, height=height, rows=len(layers))


# -- layout steps --------------------------------------------------------------------------------


def _acyclic(ids: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The edges with each one that closes a cycle (a DFS back edge) turned round. Iterative: no recursion limit."""
    successors: dict[str, list[str]] = {node: [] for node in ids}
    for source, target in edges:
        if source in successors and target in successors and source != target:
            successors[source].append(target)
    state: dict[str, int] = {}  # 1 on the DFS stack, 2 finished
    back: set[tuple[str, str]] = set()
    for start in ids:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(successors[start]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(successors[child])))
    result = []
    for source, target in edges:
        if source == target or source not in successors or target not in successors:
            continue
        result.append((target, source) if (source, target) in back else (source, target))
    return list(dict.fromkeys(result))


def _longest_path(ids: Sequence[str], preds: dict[str, list[str]]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for start in ids:
        stack = [start]
        while stack:
            node = stack[-1]
            if node in depth:
                stack.pop()
                continue
            pending = [p for p in preds[node] if p not in depth]
            if pending:
                stack.extend(pending)
                continue
            depth[node] = max((depth[p] + 1 for p in preds[node]), default=0)
            stack.pop()
    return depth


def _order_rows(placed: dict[str, Placed], edges: list[Edge], sweeps: int = 4) -> list[list[Placed]]:
    """Rows in left-to-right order, after barycentre sweeps down and up (ties keep the given order)."""
    count = max((p.row for p in placed.values()), default=-1) + 1
    layers: list[list[Placed]] = [[] for _ in range(count)]
    for p in placed.values():
        layers[p.row].append(p)
    above: dict[str, list[str]] = {key: [] for key in placed}
    below: dict[str, list[str]] = {key: [] for key in placed}
    for edge in edges:
        for upper, lower in zip(edge.chain, edge.chain[1:], strict=False):
            below[upper].append(lower)
            above[lower].append(upper)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        neighbours = above if downward else below
        for row in range(1, count) if downward else range(count - 2, -1, -1):
            reference = {p.key: i for i, p in enumerate(layers[row - 1 if downward else row + 1])}
            layers[row] = _by_barycentre(layers[row], neighbours, reference)
    return layers


def _by_barycentre(layer: list[Placed], neighbours: dict[str, list[str]], reference: dict[str, int]) -> list[Placed]:
    current = {p.key: i for i, p in enumerate(layer)}

    def key(p: Placed) -> tuple[float, int]:
        linked = [reference[k] for k in neighbours[p.key] if k in reference]
        return (sum(linked) / len(linked) if linked else current[p.key], current[p.key])

    return sorted(layer, key=key)


def _position(layers: list[list[Placed]]) -> tuple[int, int]:
    """Centre each row; return the drawing's width and height."""
    widths = [sum(p.width for p in layer) + GAP_X * max(len(layer) - 1, 0) for layer in layers]
    inner = max(widths, default=BOX_WIDTH)
    for row, layer in enumerate(layers):
        x = MARGIN + (inner - widths[row]) / 2
        for p in layer:
            p.x, p.y = x, MARGIN + row * (BOX_HEIGHT + GAP_Y)
            x += p.width + GAP_X
    height = MARGIN * 2 + len(layers) * BOX_HEIGHT + max(len(layers) - 1, 0) * GAP_Y
    return round(inner + MARGIN * 2), round(height)


def _with_ports(edges: list[Edge], placed: dict[str, Placed]) -> list[tuple[Edge, float, float]]:
    """Spread the edges leaving a box's bottom (and entering its top) so arrows do not overlap."""
    leaving: dict[str, list[int]] = {}
    entering: dict[str, list[int]] = {}
    for i, edge in enumerate(edges):
        leaving.setdefault(edge.chain[0], []).append(i)
        entering.setdefault(edge.chain[-1], []).append(i)

    def offsets(groups: dict[str, list[int]], toward: int) -> dict[int, float]:
        out: dict[int, float] = {}
        for key, members in groups.items():
            members.sort(key=lambda i: (_centre(placed[edges[i].chain[toward]]), i))
            span = min(placed[key].width * 0.6, 28 * (len(members) - 1))
            for rank, i in enumerate(members):
                out[i] = -span / 2 + (span * rank / (len(members) - 1) if len(members) > 1 else 0)
        return out

    start = offsets(leaving, 1)
    end = offsets(entering, -2)
    return [(edge, start[i], end[i]) for i, edge in enumerate(edges)]


# -- SVG -----------------------------------------------------------------------------------------


def _centre(p: Placed) -> float:
    return p.x + p.width / 2


def _edge_svg(item: tuple[Edge, float, float], placed: dict[str, Placed]) -> str:
    edge, start_offset, end_offset = item
    points = [placed[key] for key in edge.chain]
    first, last = points[0], points[-1]
    x, y = _centre(first) + start_offset, first.y + BOX_HEIGHT
    path = [f"M{x:.1f},{y:.1f}"]
    for spacer in points[1:-1]:
        path.append(_curve(x, y, _centre(spacer), spacer.y))
        x, y = _centre(spacer), spacer.y + BOX_HEIGHT
        path.append(f"L{x:.1f},{y:.1f}")
    path.append(_curve(x, y, _centre(last) + end_offset, last.y - 1))
    marker = "marker-start" if edge.reversed else "marker-end"
    label = f"{_label_of(placed[edge.source])} hands off to {_label_of(placed[edge.target])}"
    return (
        f'<path class="sop-map__edge{" sop-map__edge--return" if edge.reversed else ""}" '
        f'd="{" ".join(path)}" {marker}="url(#sop-map-arrow)"><title>{_esc(label)}</title></path>'
    )


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    bend = (y2 - y1) / 2
    return f"C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"


def _label_of(p: Placed) -> str:
    return p.node.label if p.node else ""


def _node_svg(p: Placed) -> str:
    assert p.node is not None
    node = p.node
    lines = wrap(node.label, CHARS_PER_LINE, MAX_LINES)
    centre = _centre(p)
    text_height = len(lines) * 16 + (14 if node.note else 0)
    y = p.y + (BOX_HEIGHT - text_height) / 2 + 12
    texts = []
    for line in lines:
        texts.append(f'<text class="sop-map__label" x="{centre:.1f}" y="{y:.1f}">{_esc(line)}</text>')
        y += 16
    if node.note:
        note = wrap(node.note, CHARS_PER_LINE + 4, 1)[0]
        texts.append(f'<text class="sop-map__note" x="{centre:.1f}" y="{y:.1f}">{_esc(note)}</text>')
    kind = "sop-map__node" + ("" if node.href else " sop-map__node--nopage")
    box = (
        f'<rect x="{p.x:.1f}" y="{p.y:.1f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6"/>'
        f"<title>{_esc(node.label + (' — ' + node.note if node.note else ''))}</title>" + "".join(texts)
    )
    if node.href:
        # xlink:href, not href: Material's instant navigation rewrites every `[href]` element by
        # assigning `.href`, which throws on an SVG link. Out of the tab order: the text list of
        # hand-offs beside the map has the same links.
        return (
            f'<a class="{kind}" xlink:href="{_esc(node.href)}" tabindex="-1" data-process="{_esc(node.id)}">{box}</a>'
        )
    return f'<g class="{kind}" data-process="{_esc(node.id)}">{box}</g>'


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap; the last line ends in an ellipsis when the text does not fit."""
    words = text.split() or [""]
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    lines = [line if len(line) <= width else line[: width - 1] + "…" for line in lines]
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        kept[-1] = (last if len(last) < width else last[: width - 1]) + "…"
        return kept
    return lines


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
