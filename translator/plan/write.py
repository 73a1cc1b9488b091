"""Write the plan's files into DIR all at once: everything goes into a temporary folder beside DIR, which
replaces DIR only when every file is written, so an error never leaves a half-written report."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from translator.errors import PolyschemaError
from translator.plan.build import Plan
from translator.plan.diagram import design_diagram
from translator.plan.report_html import render_html
from translator.plan.report_md import render_markdown
from translator.plan.simulations import SIMULATION_FILE

__all__ = ["ReportError", "REPORT_FILES", "write_report", "render_files"]

REPORT_FILES = ("report.html", "report.md", "plan.json", SIMULATION_FILE)


class ReportError(PolyschemaError):
    """The report cannot be written where asked."""


def _yaml(document: dict[str, Any]) -> str:
    """Safe YAML, through libyaml's emitter where PyYAML has it (ten times faster on a large schema)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(document, Dumper=dumper, sort_keys=False))


def render_files(plan: Plan, out: Path) -> dict[str, str]:
    """File name -> text of every file of the report (apply artefacts included)."""
    workload_path = str(out / SIMULATION_FILE)
    data = plan.to_dict(workload_path)
    diagrams = {t.name: design_diagram(t) for t in plan.targets}
    title = ", ".join(Path(s).name for s in plan.schema.sources) or "schema"

    def command(run: dict[str, Any]) -> str:
        return str(run["command"])

    files = {
        "report.html": render_html(data, diagrams, command, title),
        "report.md": render_markdown(data, diagrams, command, title),
        # indent=None keeps the C encoder: a large schema's plan is megabytes of designs
        "plan.json": json.dumps(data, ensure_ascii=False, allow_nan=False, default=str) + "\n",
        SIMULATION_FILE: "# The inputs of the simulations in plan.json, derived from the statistics by "
                         "`polyschema plan`.\n" + _yaml(plan.simulation_document),
    }
    for target in plan.targets:
        if target.artifact:
            files[Path(target.artifact[0]).name] = target.artifact[1]
    return files


def write_report(plan: Plan, out: str | Path) -> Path:
    """Write every file into `out` (replacing an earlier report there); returns the report.html path."""
    out = Path(out)
    files = render_files(plan, out)
    parent = out.resolve().parent
    staging = None
    try:
        blocker = next((p for p in (out, *out.parents) if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise ReportError(f"out={str(out)!r} cannot be a folder: {str(blocker)!r} is a file; "
                              "choose another folder")
        if out.is_dir() and any(out.iterdir()) and not (out / "plan.json").is_file():
            raise ReportError(f"out={str(out)!r} is a folder with other files (no plan.json of an earlier "
                              "report); choose a new or empty folder, the report replaces the folder as a whole")
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        os.chmod(staging, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=parent))
            os.rename(out, old / "report")
            os.rename(staging, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, out)
        staging = None
    except OSError as exc:
        raise ReportError(f"out={str(out)!r} cannot be written ({exc.strerror or exc.__class__.__name__}); "
                          "choose a writable folder") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return out / "report.html"
