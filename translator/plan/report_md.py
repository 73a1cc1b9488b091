"""report.md: the report for GitHub and GitLab, diagrams as Mermaid blocks.

Text from the input goes through `escape.md_text` (prose and table cells) or `escape.mermaid_text` (every
identifier and label inside a Mermaid block), so a hostile name cannot break the document or the block.
"""

from __future__ import annotations

from typing import Any

from translator.plan.diagram import Diagram, er_diagram
from translator.plan.escape import md_code, mermaid_text
from translator.plan.escape import md_text as m
from translator.plan.report_html import fmt_bytes

__all__ = ["render_markdown", "mermaid"]

_ER_CARDINALITY = {"one-to-one": "||--||", "one-to-many": "}o--||", "many-to-one": "}o--||",
                   "many-to-many": "}o--o{"}


class _Ids:
    """Sanitized Mermaid identifiers, kept distinct when two names sanitize alike."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.ids:
            base = mermaid_text(name)
            candidate, n = base, 2
            while candidate in self.ids.values():
                candidate, n = f"{base}_{n}", n + 1
            self.ids[name] = candidate
        return self.ids[name]


def mermaid(diagram: Diagram) -> str:
    """An `erDiagram` for the source model, a `flowchart` of containers (nested as subgraphs) otherwise."""
    ids = _Ids()
    lines = []
    if diagram.kind == "er":
        lines.append("erDiagram")
        for box in diagram.boxes:
            lines.append(f"    {ids(box.id)} {{")
            for marker, text in box.rows:
                name, _, kind = text.partition(": ")
                key = f" {marker}" if marker in ("PK", "FK") else ""
                lines.append(f"        {mermaid_text(kind or 'value')} {mermaid_text(name)}{key}")
            lines.append("    }")
        for src, dst, label in diagram.edges:
            card = next((v for k, v in _ER_CARDINALITY.items() if label.startswith(k)), "}o--||")
            lines.append(f'    {ids(src)} {card} {ids(dst)} : "{mermaid_text(label, label=True)}"')
    else:
        lines.append("flowchart LR")

        def emit(box: Any, indent: str) -> None:
            rows = "<br/>".join(mermaid_text(f"{mk} {tx}".strip(), label=True) for mk, tx in box.rows)
            title = mermaid_text(box.title, label=True)
            if box.children:
                lines.append(f'{indent}subgraph {ids(box.id)} ["{title}"]')
                if rows:
                    lines.append(f'{indent}    {ids(box.id + "#fields")}["{rows}"]')
                for child in box.children:
                    emit(child, indent + "    ")
                lines.append(f"{indent}end")
            else:
                lines.append(f'{indent}{ids(box.id)}["{title}<br/>{rows}"]')

        for box in diagram.boxes:
            emit(box, "    ")
        for src, dst, label in diagram.edges:
            lines.append(f'    {ids(src)}(["{mermaid_text(src.removeprefix("q:"), label=True)}"]) --> '
                         f'|{mermaid_text(label)}| {ids(dst)}')
    block = "\n".join(lines)
    more = f"\n\n{diagram.omitted} more not drawn (listed in the tables)." if diagram.omitted else ""
    return f"```mermaid\n{block}\n```{more}"


def _row(cells: list[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return "_none_"
    return "\n".join([_row(headers), _row(["---"] * len(headers)), *(_row(r) for r in rows)])


def _star(assumed: Any) -> str:
    return "\\*" if assumed else ""


def render_markdown(plan: dict[str, Any], diagrams: dict[str, Diagram], fmt_cmd: Any, title: str) -> str:
    out = [f"# Migration plan: {m(title)}", "",
           "Figures marked \\* rest on an assumed input (a default statistic, a derived workload, or a "
           "price-list rule).", "", "## Summary", ""]
    rows = []
    for t in plan["targets"]:
        s = t["summary"]
        skew = s.get("skew")
        cost = s.get("monthly_cost")
        largest = s.get("largest")
        rows.append([m(t["target"]), s.get("containers"),
                     (f"{s['spread_read_share']:.0%}" if s.get("spread_read_share") is not None else "n/a"),
                     (f"{m(s['worst_write']['pattern'])}: {s['worst_write']['writes']:g}"
                      if s.get("worst_write") else "n/a"),
                     (f"{m(largest['container'])} {fmt_bytes(largest['estimate_bytes'])} / {m(largest['limit'])}"
                      if largest else "n/a"),
                     (f"{m(skew['key'])}: {skew['max_over_mean']:.2f}" if skew else "n/a"),
                     m(", ".join(s.get("alarms") or [])) or "none",
                     (f"${cost:,.2f}\\*" if cost is not None else "n/a")])
    out.append(_table(["target", "containers", "reads not on one partition", "worst write",
                       "largest vs limit", "key max/mean", "alarms", "monthly"], rows))
    rec = plan["recommendation"]
    out += ["", f"**Recommended: {m(rec['target'])}**{_star(rec.get('assumed'))}", ""]
    out += [f"- {m(r)}" for r in rec["reasons"]]
    out += ["", "What would change it:", ""] + [f"- {m(r)}" for r in rec["would_change"]]
    src = plan["source"]
    out += ["", "## Source model", "", mermaid(er_diagram(src)), "",
            _table(["entity", "rows", "avg row bytes"],
                   [[m(e["key"]), f"{e['rows']:,.0f}{_star(e['assumed'])}",
                     f"{e['avg_row_bytes']:,.0f}{_star(e['assumed'])}"] for e in src["entities"]]),
            "", "Ingest diagnostics:", ""]
    out += [f"- {m(d.get('severity'))} {m(d.get('code'))}: {m(d.get('message'))}"
            for d in src["diagnostics"]] or ["- none"]
    tenancy = plan["tenancy"].get("columns") or []
    out += ["", "## Tenancy", "",
            _table(["entity", "tenant column", "source"],
                   [[m(c["entity"]), m(c["attribute"]), m(c["source"])] for c in tenancy])
            if tenancy else "No tenant column was found."]
    if tenancy:
        leading = [k for k in plan["tenancy"].get("keys", []) if k["leads_with_tenant"]]
        out += ["", f"Design keys leading with the tenant: {len(leading)} of {len(plan['tenancy'].get('keys', []))}; "
                f"patterns crossing tenants: {m(', '.join(plan['tenancy'].get('crossing_patterns', [])) or 'none')}."]
        whales = plan["tenancy"].get("whales", [])
        out += ["", "### Whale tenants", ""]
        out += [_table(["target", "entity", "store", "key", "whales", "before max/mean", "after max/mean"],
                       [[m(w["target"]), m(w["entity"]), m(w["store"]), m(w["key"]),
                         m(", ".join(f"{x['tenant']} ({x['share']:.1%})" for x in w["whales"]) or "none"),
                         f"{w['before']['rows_max_over_mean']:.2f}",
                         f"{w['after']['rows_max_over_mean']:.2f}" + (" (resolved)" if w["resolved"] else "")]
                        for w in whales])
                if whales else "No key leading with the tenant was simulated."]
        # Remedy steps are code (a `|` inside would split a table cell): listed below the table.
        for w in (w for w in whales if w["remedy"]):
            out += ["", f"Remedy for {m(w['target'])} {m(w['entity'])} on {m(w['store'])} ({m(w['key'])}):", ""]
            out += [f"- {md_code(step)}" for step in w["remedy"]] + [f"- {m(n)}" for n in w["notes"]]
    for t in plan["targets"]:
        out += ["", f"## {m(t['target'])}", ""]
        out += [f"> {m(k)}: {m(v)}" for k, v in t["unavailable"].items()]
        out += ["", mermaid(diagrams[t["target"]]), "", "### Access patterns", "",
                _table(["pattern", "kind", "rate/s", "access", "requests", "containers", "writes"],
                       [[m(s["pattern"]), m(s["kind"]), f"{s['rate']:g}{_star(s['assumed'])}", m(s["access"]),
                         s["requests"], m(", ".join(s["containers"])), f"{s['writes']:g}"] for s in t["serving"]]),
                "", "### Decisions", "",
                _table(["subject", "choice", "reason"],
                       [[m(d.get("subject", "")), m(d.get("choice", "")), m(d.get("reason", ""))]
                        for d in t["design"].get("decisions", []) if isinstance(d, dict)]),
                "", "### Simulations", ""]
        for run in t["simulations"]:
            out += [f"- {m(run['entity'])} on {m(run['store'])}: {md_code(fmt_cmd(run))}"]
            out += [f"  - {m(r['key'])}: rows max/mean {r['metrics']['max_over_mean']:.2f}, top share "
                    f"{r['metrics']['top_share']:.1%}, alarms {m(', '.join(a['code'] for a in r['alarms']) or 'none')}"
                    for r in run["results"]]
            if run["skipped"]:
                out.append(f"  - {m(run['skipped'])}")
            if run["error"]:
                out.append(f"  - failed: {m(run['error'])}")
        cap = t["capacity"]
        if cap:
            out += ["", "### Capacity and cost\\*", "",
                    f"{cap['units']} {m(cap['unit_name'])}, ${cap['monthly_total']:,.2f} a month.", ""]
            out += [f"- {m(a)}" for a in cap["assumptions"]]
    return "\n".join(out) + "\n"
