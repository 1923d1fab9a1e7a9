"""The hand-off map: layout rules and safe, well-formed SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sop_hub.render.diagram import BOX_HEIGHT, BOX_WIDTH, Node, draw, layout_rows, wrap

SVG = "{http://www.w3.org/2000/svg}"


def nodes(*ids: str) -> list[Node]:
    return [Node(id=i, label=f"Process {i}", href=f"../{i}/", note="Owner") for i in ids]


def boxes(svg: str) -> list[tuple[float, float]]:
    root = ET.fromstring(svg)
    return [(float(r.get("x", 0)), float(r.get("y", 0))) for r in root.iter(f"{SVG}rect")]


def test_receiver_sits_below_the_process_that_hands_off_to_it():
    rows = layout_rows(["a", "b", "c"], [("a", "b"), ("b", "c")])
    assert rows == {"a": 0, "b": 1, "c": 2}


def test_receiver_sits_below_its_furthest_sender():
    rows = layout_rows(["a", "b", "c"], [("a", "c"), ("a", "b"), ("b", "c")])
    assert rows["c"] == 2


def test_cycle_of_handoffs_is_drawn_with_every_arrow():
    diagram = draw(nodes("a", "b", "c"), [("a", "b"), ("b", "c"), ("c", "a")], title="Map", desc="d")
    edges = re.findall(r'<path class="sop-map__edge[^"]*"[^>]*>', diagram.svg)
    assert len(edges) == 3
    # The hand-off that closes the cycle runs against the layout, so its arrow is at its start.
    assert sum("marker-start" in edge for edge in edges) == 1


def test_row_holds_at_most_four_processes():
    rows = layout_rows([str(i) for i in range(10)], [])
    per_row = [list(rows.values()).count(row) for row in set(rows.values())]
    assert max(per_row) == 4
    assert sum(per_row) == 10


def test_boxes_never_overlap_on_a_twenty_process_map():
    ids = [f"p{i}" for i in range(20)]
    handoffs = [(ids[i], ids[(i * 7 + 3) % 20]) for i in range(20)] + [(ids[i], ids[i + 1]) for i in range(19)]
    diagram = draw(nodes(*ids), handoffs, title="Map", desc="d")
    placed = boxes(diagram.svg)
    assert len(placed) == 20
    for i, (x1, y1) in enumerate(placed):
        for x2, y2 in placed[i + 1 :]:
            assert abs(x1 - x2) >= BOX_WIDTH or abs(y1 - y2) >= BOX_HEIGHT, (x1, y1, x2, y2)
    assert all(0 <= x <= diagram.width - BOX_WIDTH and 0 <= y <= diagram.height - BOX_HEIGHT for x, y in placed)


def test_titles_and_links_are_escaped():
    hostile = Node(id='x"y', label="<script>alert(1)</script> & co", href='../x"onload="y/', note="<b>Eve</b>")
    diagram = draw([hostile, *nodes("b")], [('x"y', "b")], title="<Map>", desc="a & b")
    assert "<script>" not in diagram.svg and "<b>" not in diagram.svg
    assert "&lt;script&gt;" in diagram.svg
    ET.fromstring(diagram.svg)  # still well-formed XML


def test_process_without_page_is_a_box_without_link():
    diagram = draw([Node("a", "Has page", "../a/"), Node("b", "No page", None)], [("a", "b")], title="t", desc="d")
    root = ET.fromstring(diagram.svg)
    links = [a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")]
    assert links == ["../a/"]
    assert 'class="sop-map__node sop-map__node--nopage"' in diagram.svg


def test_map_links_avoid_plain_href_that_instant_navigation_rewrites():
    diagram = draw(nodes("a", "b"), [("a", "b")], title="t", desc="d")
    assert " href=" not in diagram.svg
    assert 'xlink:href="../a/"' in diagram.svg


def test_unknown_and_self_handoffs_are_left_out():
    diagram = draw(nodes("a", "b"), [("a", "a"), ("a", "zz"), ("a", "b")], title="t", desc="d")
    assert diagram.svg.count('<path class="sop-map__edge') == 1


def test_map_is_labelled_for_screen_readers():
    root = ET.fromstring(draw(nodes("a", "b"), [("a", "b")], title="Hand-offs", desc="Arrows").svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Hand-offs"
    assert root.find(f"{SVG}desc").text == "Arrows"


def test_same_input_draws_the_same_map():
    args = (nodes("a", "b", "c", "d"), [("a", "c"), ("b", "c"), ("c", "d"), ("d", "a")])
    assert draw(*args, title="t", desc="d").svg == draw(*args, title="t", desc="d").svg


def test_long_title_wraps_to_two_lines_with_ellipsis():
    lines = wrap("Supplier invoice approval and payment run for overseas suppliers", 23, 2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(len(line) <= 23 for line in lines)
