"""Inline SVG for the HTML report: diagrams (boxes with rows, nested boxes, edges) and bar charts.

Plain text in, escaped with `escape.html_text`; no scripts, no external references, so the report works
offline and a hostile name stays text.
"""

from __future__ import annotations

from collections.abc import Sequence

from translator.plan.diagram import Box, Diagram
from translator.plan.escape import html_text

__all__ = ["diagram_svg", "bar_chart_svg"]

BOX_W = 250
ROW_H = 16
HEAD_H = 38
PAD = 8
GAP = 40
COLUMNS = 4
CHAR_W = 6.6  # width of a character at 11px monospace; long text is clipped, not overflowed


def _clip(text: str, width: float) -> str:
    limit = max(4, int(width / CHAR_W))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _height(box: Box, width: float) -> float:
    return HEAD_H + ROW_H * len(box.rows) + sum(_height(c, width - 2 * PAD) + PAD for c in box.children) + PAD


def _box(box: Box, x: float, y: float, width: float, depth: int, out: list[str]) -> None:
    h = _height(box, width)
    fill = ("#f4f8ff", "#eef7ee", "#fff7ea")[depth % 3]
    out.append(f'<g class="box"><rect x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" height="{h:.0f}" rx="6" '
               f'fill="{fill}" stroke="#4a6fa5"/>')
    title = html_text(_clip(box.title, width - 2 * PAD))
    out.append(f'<text x="{x + PAD:.0f}" y="{y + 16:.0f}" class="t">{title}</text>')
    if box.subtitle:
        out.append(f'<text x="{x + PAD:.0f}" y="{y + 30:.0f}" class="s">'
                   f'{html_text(_clip(box.subtitle, width - 2 * PAD))}</text>')
    out.append(f'<line x1="{x:.0f}" y1="{y + HEAD_H - 4:.0f}" x2="{x + width:.0f}" y2="{y + HEAD_H - 4:.0f}" '
               'stroke="#4a6fa5" stroke-width="0.5"/>')
    cy = y + HEAD_H
    for marker, text in box.rows:
        cy += ROW_H
        if marker:
            out.append(f'<text x="{x + PAD:.0f}" y="{cy - 4:.0f}" class="m">{html_text(marker[:4])}</text>')
        out.append(f'<text x="{x + PAD + 34:.0f}" y="{cy - 4:.0f}" class="r">'
                   f'{html_text(_clip(text, width - 2 * PAD - 34))}</text>')
    for child in box.children:
        _box(child, x + PAD, cy + PAD / 2, width - 2 * PAD, depth + 1, out)
        cy += _height(child, width - 2 * PAD) + PAD
    out.append("</g>")


def diagram_svg(diagram: Diagram, css_class: str = "diagram") -> str:
    """The diagram laid out on a grid, most important boxes first; edges as lines with labels."""
    positions: dict[str, tuple[float, float, float]] = {}
    parts: list[str] = []
    x = y = float(GAP / 2)
    row_h = 0.0
    for i, box in enumerate(diagram.boxes):
        if i and i % COLUMNS == 0:
            x, y, row_h = GAP / 2, y + row_h + GAP, 0.0
        h = _height(box, BOX_W)
        positions[box.id] = (x, y, h)
        _box(box, x, y, BOX_W, 0, parts)
        row_h = max(row_h, h)
        x += BOX_W + GAP
    lines = []
    for src, dst, label in diagram.edges:
        if src not in positions or dst not in positions:
            continue
        (x1, y1, h1), (x2, y2, h2) = positions[src], positions[dst]
        ax, ay, bx, by = x1 + BOX_W / 2, y1 + h1 / 2, x2 + BOX_W / 2, y2 + h2 / 2
        if src == dst:
            ax, bx = x1 + BOX_W, x1 + BOX_W
            by = ay + 20
        lines.append(f'<line x1="{ax:.0f}" y1="{ay:.0f}" x2="{bx:.0f}" y2="{by:.0f}" class="e"/>'
                     f'<text x="{(ax + bx) / 2:.0f}" y="{(ay + by) / 2 - 3:.0f}" class="l">{html_text(label)}</text>')
    width = GAP + min(len(diagram.boxes), COLUMNS) * (BOX_W + GAP)
    height = y + row_h + GAP
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
            f'aria-label="{html_text(diagram.title)}" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}"><g class="edges">{"".join(lines)}</g>'
            f'{"".join(parts)}</svg>')


def bar_chart_svg(labels: Sequence[str], values: Sequence[float], title: str, unit: str = "") -> str:
    """Horizontal bars, one per shard or partition (at most 64; the rest summed into the last bar)."""
    pairs = list(zip(labels, values, strict=False))
    if len(pairs) > 64:
        pairs = pairs[:63] + [(f"{len(pairs) - 63} more", sum(v for _, v in pairs[63:]))]
    top = max((v for _, v in pairs), default=0.0) or 1.0
    mean = sum(v for _, v in pairs) / max(1, len(pairs))
    bar_h, label_w, width = 14, 110, 520
    height = 28 + bar_h * len(pairs) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{html_text(title)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<text x="4" y="14" class="t">{html_text(_clip(title, width / 1.2))}</text>']
    for i, (label, value) in enumerate(pairs):
        y = 24 + i * bar_h
        w = max(1.0, (width - label_w - 90) * value / top)
        out.append(f'<text x="4" y="{y + 10}" class="r">{html_text(_clip(str(label), label_w - 8))}</text>'
                   f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 3}" class="bar"/>'
                   f'<text x="{label_w + w + 4:.0f}" y="{y + 10}" class="s">{value:,.0f}{html_text(unit)}</text>')
    mx = label_w + (width - label_w - 90) * mean / top
    out.append(f'<line x1="{mx:.1f}" y1="20" x2="{mx:.1f}" y2="{height - 4}" class="mean"/></svg>')
    return "".join(out)
