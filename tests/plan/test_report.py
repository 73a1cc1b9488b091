"""The report: opened in headless Chromium with no network (every diagram drawn, one summary row per
target), and hostile names that stay text in HTML, Markdown and Mermaid."""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tests.plan.browser import chromium_paths, headless_chromium
from translator.ingest import ingest_text
from translator.plan import build_plan, load_pricing
from translator.plan.escape import html_text, md_text, mermaid_text
from translator.plan.write import render_files, write_report
from translator.sources import load_schema
from translator.workload import load_workload

HOSTILE = '"x<script>alert(1)</script>`%%{init}%% ```end'


def _browser_or_skip() -> None:
    if chromium_paths() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium/chromedriver are missing; .ci/run installs them")
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")


def test_report_renders_offline_in_chromium(fake_targets, tmp_path):
    _browser_or_skip()
    schema = load_schema((str(SAMPLES / "ecommerce.sql"),))
    workload = load_workload(SAMPLES / "ecommerce.workload.yaml", schema)
    plan = build_plan(schema, workload, load_pricing(), sim_rows=10_000, sim_runs=3)
    report = write_report(plan, tmp_path / "plan")
    with headless_chromium() as driver:
        driver.get(report.as_uri())
        assert driver.execute_script("return document.readyState") == "complete"
        rows = driver.find_elements("css selector", "#summary tbody tr.target-row")
        assert len(rows) == len(plan.targets) == 3
        svgs = driver.find_elements("css selector", "svg")
        diagrams = driver.find_elements("css selector", "svg.diagram")
        assert len(diagrams) == 1 + len(plan.targets)  # the ER diagram and one per target
        assert len(svgs) > len(diagrams)  # and the load charts
        for svg in svgs:
            size = svg.size
            assert size["width"] > 0 and size["height"] > 0
            drawn = driver.execute_script(
                "const b = arguments[0].getBBox(); return [arguments[0].childElementCount, b.width, b.height];", svg)
            assert drawn[0] > 0 and drawn[1] > 0 and drawn[2] > 0, drawn
        requests = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
        # The page's own requests (the browser's new-tab page makes chrome:// ones of its own).
        urls = {m["params"]["request"]["url"] for m in requests if m["method"] == "Network.requestWillBeSent"
                and m["params"].get("documentURL", "").startswith("file:")}
        assert urls and all(u.startswith(("file:", "data:")) for u in urls), urls
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors


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
