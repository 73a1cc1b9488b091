"""report.html: one self-contained page (inline CSS and SVG, no script, no network), from plan.json's dict.

Every text from the input goes through `escape.html_text`; figures that rest on an assumed input carry a
marked asterisk.
"""

from __future__ import annotations

import json
from typing import Any

from translator.plan.diagram import Diagram, er_diagram
from translator.plan.escape import html_text as h
from translator.plan.svg import bar_chart_svg, diagram_svg

__all__ = ["render_html", "fmt_bytes"]

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1200px;
padding:16px 24px;color:#1d2433}
h1{font-size:24px}h2{border-bottom:2px solid #4a6fa5;padding-bottom:4px;margin-top:36px}h3{margin-top:24px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #c8d1e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#e8eef8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.assumed{color:#b35c00;font-weight:bold}.bad{color:#b00020;font-weight:bold}.ok{color:#1b7a3a}
.note{color:#5a6475}.unavailable{background:#fff3f3;border-left:4px solid #b00020;padding:6px 10px}
.rec{background:#eef7ee;border-left:4px solid #1b7a3a;padding:8px 14px}
.scroll{overflow-x:auto;border:1px solid #e1e6ef;margin:8px 0}
code{background:#f1f3f7;padding:1px 4px;word-break:break-all}
svg text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#1d2433}svg .t{font-weight:bold;font-size:12px}
svg .s{fill:#5a6475}svg .m{fill:#4a6fa5;font-weight:bold}svg .l{fill:#7a3e9d;font-size:10px}
svg .e{stroke:#7a3e9d;stroke-width:1.2}svg .bar{fill:#4a6fa5}svg .mean{stroke:#b00020;stroke-dasharray:4 3}
.charts{display:flex;flex-wrap:wrap;gap:12px}
"""


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return "?"
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if value >= size:
            return f"{value / size:,.1f} {unit}"
    return f"{value:,.0f} B"


def _star(assumed: Any) -> str:
    return '<span class="assumed" title="rests on an assumed input">*</span>' if assumed else ""


def _table(headers: list[str], rows: list[list[str]], css_id: str = "") -> str:
    head = "".join(f"<th>{h(x)}</th>" for x in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    ident = f' id="{css_id}"' if css_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _svg(diagram: Diagram) -> str:
    extra = f'<p class="note">{diagram.omitted} more not drawn (listed in the tables).</p>' if diagram.omitted else ""
    return f'<div class="scroll">{diagram_svg(diagram)}</div>{extra}'


def _summary_rows(plan: dict[str, Any]) -> list[str]:
    rows = []
    for t in plan["targets"]:
        s = t["summary"]
        access = s.get("reads_by_access")
        reads = (f"{access['single-partition']} single / {access['multi-partition']} multi / "
                 f"{access['scatter-gather']} scatter / {access['scan']} scan") if access else "n/a"
        worst = s.get("worst_write")
        largest = s.get("largest")
        skew = s.get("skew")
        units = s.get("units")
        cost = s.get("monthly_cost")
        cells = [
            f"<b>{h(t['target'])}</b>",
            h(s["containers"]) if s.get("containers") is not None else "n/a",
            reads,
            f"{h(worst['pattern'])}: {worst['writes']:g} writes" if worst else "n/a",
            (f'<span class="{"ok" if largest["ok"] else "bad"}">{h(largest["container"])} '
             f'{fmt_bytes(largest["estimate_bytes"])} / {h(largest["limit"])}</span>{_star(largest["assumed"])}')
            if largest else "n/a",
            (f"{h(skew['key'])} on {h(skew['entity'])}: max/mean {skew['max_over_mean']:.2f}, "
             f"top {skew['top_share']:.1%}") if skew else "n/a",
            (f'<span class="bad">{h(", ".join(s["alarms"]))}</span>' if s.get("alarms") else "none"),
            (f"${cost:,.2f}/month{_star(True)}" if cost is not None else "n/a")
            + (f"<br>{units['count']} {h(units['name'])}" if units else ""),
        ]
        rows.append('<tr class="target-row">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return rows


def _summary(plan: dict[str, Any]) -> str:
    headers = ["target", "collections/tables", "reads by access", "worst write", "largest unit vs limit",
               "key skew (simulated)", "alarms", "cost / machines"]
    head = "".join(f"<th>{x}</th>" for x in headers)
    table = f'<table id="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(_summary_rows(plan))}</tbody></table>'
    rec = plan["recommendation"]
    items = "".join(f"<li>{h(r)}</li>" for r in rec["reasons"])
    change = "".join(f"<li>{h(r)}</li>" for r in rec["would_change"])
    verdict = (f'<div class="rec"><p><b>Recommended: {h(rec["target"])}</b>{_star(rec.get("assumed"))} '
               f'(ranking: {h(" > ".join(rec["ranking"]))})</p><ul>{items}</ul>'
               f'<p>What would change it:</p><ul>{change or "<li>nothing: one target only</li>"}</ul></div>')
    return f"<h2>Summary</h2>{table}{verdict}"


def _source(plan: dict[str, Any]) -> str:
    src = plan["source"]
    ents = [[h(e["key"]), f'{e["rows"]:,.0f}{_star(e["assumed"])}',
             f'{e["avg_row_bytes"]:,.0f} B{_star(e["assumed"])}', h(", ".join(e["primary_key"]))]
            for e in src["entities"]]
    rels = [[h(r["name"]), f'{h(r["from"])} -> {h(r["to"])}', h(r["cardinality"]),
             f'{r["fanout"]["avg"]:g} / {r["fanout"]["p99"]} / {r["fanout"]["max"]}{_star(r["fanout"]["assumed"])}']
            for r in src["relationships"]]
    diags = "".join(f'<li>{h(d.get("severity"))} {h(d.get("code"))}: {h(d.get("message"))}</li>'
                    for d in src["diagnostics"]) or "<li>none</li>"
    wl = plan["workload"]
    measured = "the workload file" if not wl["assumed"] else "nothing: the workload is derived from the schema"
    return (f"<h2>Source model</h2>{_svg(er_diagram(src))}"
            f"<p>Statistics come from {h(measured)}; figures marked {_star(True)} are defaults.</p>"
            f"<h3>Entities</h3>{_table(['entity', 'rows', 'avg row', 'primary key'], ents)}"
            f"<h3>Relationships (children per parent: avg / p99 / max)</h3>"
            f"{_table(['name', 'from -> to', 'cardinality', 'fan-out'], rels)}"
            f"<h3>Ingest diagnostics</h3><ul>{diags}</ul>")


def _tenancy(plan: dict[str, Any]) -> str:
    ten = plan["tenancy"]
    if not ten.get("columns"):
        return ("<h2>Tenancy</h2><p>No tenant column was found (no row-level-security policy, no "
                "<code>tenant:</code> declaration, nothing to infer).</p>")
    cols = [[h(c["entity"]), h(c["attribute"]), h(c["source"]) + _star(c["assumed"]), h(", ".join(c["policies"]))]
            for c in ten["columns"]]
    keys = [[h(k["target"]), h(k["container"]), h(", ".join(k["fields"])),
             '<span class="ok">yes</span>' if k["leads_with_tenant"] else '<span class="bad">no</span>']
            for k in ten.get("keys", [])]
    crossing = ", ".join(h(p) for p in ten.get("crossing_patterns", [])) or "none"
    notes = "".join(f'<li>{h(d.get("code"))}: {h(d.get("message"))}</li>' for d in ten.get("diagnostics", []))
    enforcement = "".join(
        f"<details><summary>{h(name)}</summary><pre>{h(json.dumps(section, indent=1, ensure_ascii=False))}</pre>"
        "</details>" if section is not None else f'<p class="unavailable">{h(name)}: not available from this target</p>'
        for name, section in ten.get("enforcement", {}).items())
    return (f"<h2>Tenancy</h2><p>Tenant root: {h(ten.get('root'))}; columns from {h(ten.get('source'))}.</p>"
            f"{_table(['entity', 'tenant column', 'source', 'policies'], cols)}"
            f"<h3>Design keys and the tenant</h3>{_table(['target', 'container', 'key', 'leads with tenant'], keys)}"
            f"<p>Patterns that cross tenants: {crossing}</p><ul>{notes}</ul>"
            f"<h3>Enforcement artefacts</h3>{enforcement}{_whales(ten.get('whales', []))}")


def _whales(found: list[dict[str, Any]]) -> str:
    """Whale tenants per simulated tenant-led key, with the store's remedy before and after."""
    if not found:
        return "<h3>Whale tenants</h3><p>No key leading with the tenant was simulated.</p>"
    rows = []
    for w in found:
        tenants = ", ".join(f"{h(x['tenant'])} ({x['share']:.1%})" for x in w["whales"]) or "none"
        verdict = ('<span class="ok">resolved</span>' if w["resolved"] else '<span class="bad">not resolved</span>')
        steps = "".join(f"<li><code>{h(step)}</code></li>" for step in w["remedy"])
        notes = "".join(f"<li>{h(n)}</li>" for n in w["notes"])
        remedy = f"<ul>{steps}{notes}</ul>" if steps or notes else "none needed"
        rows.append([h(w["target"]), h(w["entity"]), h(w["store"]), h(w["key"]), tenants,
                     f"{w['before']['rows_max_over_mean']:.2f} / {w['before']['ops_max_over_mean']:.2f}",
                     f"{w['after']['rows_max_over_mean']:.2f} / {w['after']['ops_max_over_mean']:.2f} "
                     f"(alarm above {w['threshold']:g}) {verdict if w['whales'] else ''}", remedy])
    return ("<h3>Whale tenants</h3><p>A whale takes the unit holding it past the store's imbalance alarm or a hard "
            "limit; each store's own remedy is simulated on the same rows (<code>simulate --remedy</code>).</p>"
            + _table(["target", "entity", "store", "key", "whales (share of rows)", "before: rows / requests max/mean",
                      "after", "remedy"], rows))


def _simulations(t: dict[str, Any], fmt_cmd: Any) -> str:
    parts = []
    for run in t["simulations"]:
        sampled = (f" (a sample of {run['rows']:,} of {run['entity_rows']:,} rows)" if run["sampled"] else "")
        parts.append(f"<h4>{h(run['entity'])} on {h(run['store'])}{sampled}{_star(run['assumed'])}</h4>"
                     f"<p>Reproduce: <code>{h(fmt_cmd(run))}</code></p>")
        if run["skipped"]:
            parts.append(f'<p class="note">{h(run["skipped"])}</p>')
            continue
        if run["error"]:
            parts.append(f'<p class="unavailable">simulation failed: {h(run["error"])}</p>')
            continue
        charts = []
        rows = []
        for r in run["results"]:
            m, o = r["metrics"], r["ops_metrics"]
            alarms = ", ".join(a["code"] for a in r["alarms"]) or "none"
            rows.append([h(r["key"]), f'{r["shards"]} {h(r["unit"])}s', f'{m["max_over_mean"]:.2f}',
                         f'{m["top_share"]:.1%}', f'{o["max_over_mean"]:.2f}',
                         f'{r["access_patterns"]["single_shard_share"]:.0%}', h(alarms)])
            per = r["per_shard"]
            charts.append(bar_chart_svg(per["labels"], per["rows"], f"{r['key']}: rows per {r['unit']}"))
            charts.append(bar_chart_svg(per["labels"], per["ops"], f"{r['key']}: requests/s per {r['unit']}"))
        parts.append(_table(["key", "spread over", "rows max/mean", "top share", "requests max/mean",
                             "patterns on one shard", "alarms"], rows))
        parts.append(f'<div class="charts">{"".join(charts)}</div>')
    return "".join(parts) or "<p>No key candidates to simulate.</p>"


def _capacity(t: dict[str, Any]) -> str:
    cap = t["capacity"]
    if not cap:
        return ""
    figures = [[h(k), f'<span class="n">{v:,.2f}</span>'] for k, v in cap["figures"].items()]
    money = [[h(k), f"${v:,.2f}"] for k, v in cap["monthly"].items()]
    assumptions = "".join(f"<li>{h(a)}</li>" for a in cap["assumptions"])
    return (f"<h3>Capacity and cost{_star(True)}</h3><p>{cap['units']} {h(cap['unit_name'])}, "
            f"<b>${cap['monthly_total']:,.2f}</b> a month.</p>"
            f"{_table(['figure', 'value'], figures)}{_table(['monthly line', 'USD'], money)}"
            f"<p>Assumptions behind these figures:</p><ul>{assumptions}</ul>")


def _target(t: dict[str, Any], diagram: Diagram, fmt_cmd: Any) -> str:
    name = h(t["target"])
    gaps = "".join(f'<p class="unavailable">{h(k)}: {h(v)}</p>' for k, v in t["unavailable"].items())
    serving = [[h(s["pattern"]), h(s["kind"]), f'{s["rate"]:g}{_star(s["assumed"])}', h(s["access"]),
                h(s["requests"]), "all" if s["partitions"] is None else f'{s["partitions"]:g}',
                h(", ".join(s["containers"])), f'{s["writes"]:g}', h(s["detail"])]
               for s in t["serving"]]
    decisions = [[h(d.get("subject", "")), h(d.get("choice", "")), h(d.get("rule", "")), h(d.get("reason", ""))]
                 for d in t["design"].get("decisions", []) if isinstance(d, dict)]
    sizes = [[h(s["container"]), h(s["unit"]), fmt_bytes(s["estimate_bytes"]) + _star(s["assumed"]),
              h(s["limit"]), '<span class="ok">ok</span>' if s["ok"] else '<span class="bad">over</span>']
             for s in t["size_checks"]]
    artifact = f"<p>Apply script: <code>{h(t['artifact'])}</code></p>" if t["artifact"] else ""
    return (f'<h2 id="target-{name}">{name}</h2>{gaps}{artifact}<h3>Design</h3>{_svg(diagram)}'
            f"<h3>Access patterns</h3>"
            + _table(["pattern", "kind", "rate/s", "access", "requests", "partitions", "containers", "writes",
                      "detail"], serving)
            + f"<h3>Sizes against limits</h3>{_table(['container', 'unit', 'estimate', 'limit', ''], sizes)}"
            + f"<h3>Decisions</h3>{_table(['subject', 'choice', 'rule', 'reason'], decisions)}"
            + f"<h3>Key candidates, simulated</h3>{_simulations(t, fmt_cmd)}{_capacity(t)}")


def render_html(plan: dict[str, Any], diagrams: dict[str, Diagram], fmt_cmd: Any, title: str) -> str:
    """The page. `diagrams` maps a target name to its design diagram; `fmt_cmd(run)` gives a run's command."""
    targets = "".join(_target(t, diagrams[t["target"]], fmt_cmd) for t in plan["targets"])
    pricing = "".join(f"<li>{h(name)}: {h(rules.get('date'))}, {h(rules.get('region'))}, {h(rules.get('source'))}</li>"
                      for name, rules in plan["pricing"].items() if isinstance(rules, dict) and name != "meta")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:\">"
            f"<title>{h(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>Migration plan: {h(title)}</h1>"
            f"<p class=\"note\">Figures marked {_star(True)} rest on an assumed input (a default statistic, "
            "a derived workload, or a price-list rule).</p>"
            f"{_summary(plan)}{_source(plan)}{_tenancy(plan)}{targets}"
            f"<h2>Prices</h2><ul>{pricing}</ul></body></html>")
