"""The report: opened in headless Chromium with no network (every diagram drawn, one summary row per
target), and hostile names that stay text in HTML, Markdown and Mermaid."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tests.plan.browser import browser_or_skip, check_rendered_report, headless_chromium
from translator.ingest import ingest_text
from translator.plan import build_plan, load_pricing
from translator.plan.escape import html_text, md_text, mermaid_text
from translator.plan.write import render_files, write_report
from translator.sources import load_schema
from translator.workload import load_workload

HOSTILE = '"x<script>alert(1)</script>`%%{init}%% ```end'


def test_report_renders_offline_in_chromium(fake_targets, tmp_path):
    browser_or_skip()
    schema = load_schema((str(SAMPLES / "ecommerce.sql"),))
    workload = load_workload(SAMPLES / "ecommerce.workload.yaml", schema)
    plan = build_plan(schema, workload, load_pricing(), sim_rows=10_000, sim_runs=3)
    report = write_report(plan, tmp_path / "plan")
    with headless_chromium() as driver:
        check_rendered_report(driver, report, len(plan.targets))


def test_hostile_names_stay_text(fake_targets, tmp_path):
    name = 'o"r<b>d`e|r%%'
    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    ddl = (f"CREATE TABLE {quote(name)} (id integer PRIMARY KEY, {quote(HOSTILE)} text);\n"
           f"CREATE TABLE child (id integer PRIMARY KEY, parent integer REFERENCES {quote(name)}(id));")
    schema = ingest_text(ddl, "postgres")
    assert {e.name for e in schema.entities} == {name, "child"}
    assert HOSTILE in {a.name for a in schema.entity(name).attributes}
    workload = load_workload(None, schema)
    plan = build_plan(schema, workload, load_pricing(), sim_rows=10_000, sim_runs=1)
    files = render_files(plan, tmp_path)
    html = files["report.html"]
    assert "<script" not in html.lower() and "<b>d`e" not in html
    assert html_text(name) in html
    markdown = files["report.md"]
    prose = re.sub(r"(`+) .*? \1", "", markdown)  # code spans show their text verbatim, never as markup
    assert "<script" not in prose.lower() and "<b>d" not in prose
    for block in re.findall(r"```mermaid\n(.*?)\n```", markdown, flags=re.S):
        assert "`" not in block and "%%" not in block and "<b>" not in block and '"x' not in block
    assert markdown.count("```") % 2 == 0


@given(st.text())
def test_mermaid_text_is_a_safe_identifier(text):
    out = mermaid_text(text)
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", out)
    label = mermaid_text(text, label=True)
    assert re.fullmatch(r"[A-Za-z0-9_ .,:()/=+-]+", label) and "%%" not in label


@given(st.text())
def test_html_and_markdown_escaping_leave_no_markup(text):
    assert "<" not in html_text(text) and '"' not in html_text(text)
    md = md_text(text)
    assert "<" not in md and "\n" not in md
    assert not re.search(r"(?<!\\)[`|*_\[\]]", md)
