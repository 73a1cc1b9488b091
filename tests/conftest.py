"""Shared test fixtures: the shared corpus (the one place tests find it), hypothesis profiles.

The corpus is `../shared/corpus` beside the project (real schemas, read-only). A fresh clone without it
still passes: every test that needs it skips with the reason, through `corpus` (a fixture), `corpus_files`
or `corpus_params`. CI sets POLYSCHEMA_REQUIRE_CORPUS=1, which makes a missing corpus an error at start.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SAMPLES = PROJECT_ROOT / "samples"

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


REQUIRE_CORPUS_ENV = "POLYSCHEMA_REQUIRE_CORPUS"
CORPUS_MISSING = (f"shared corpus not found at {CORPUS} (a checkout of 'shared' beside the project); "
                  f"set {REQUIRE_CORPUS_ENV}=1 to make this a failure")


#: a mark for a test (or one `pytest.param`) that reads the corpus
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)


def corpus_required() -> bool:
    return os.environ.get(REQUIRE_CORPUS_ENV) == "1"


def pytest_sessionstart(session: pytest.Session) -> None:
    if corpus_required() and not CORPUS.is_dir():
        raise pytest.UsageError(f"{REQUIRE_CORPUS_ENV}=1 but the {CORPUS_MISSING.split(';')[0]}")


def require_corpus() -> Path:
    """The corpus folder, or skip the calling test saying why (an error at start under POLYSCHEMA_REQUIRE_CORPUS=1)."""
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_MISSING)
    return CORPUS


def corpus_files(pattern: str = "*/*.sql") -> list[Path]:
    """Corpus files matching `pattern`, sorted; empty when the corpus is absent (use `corpus_params` to parametrize)."""
    return sorted(CORPUS.glob(pattern)) if CORPUS.is_dir() else []


def corpus_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def corpus_params(values: list, ids: Callable[[object], str] | None = None) -> list:
    """`pytest.param`s for a parametrize over corpus files (or tuples holding them); when the corpus is absent,
    one skipped param that gives the reason, instead of pytest's silent empty parameter set."""
    if not CORPUS.is_dir():
        return [pytest.param(None, id="corpus-missing", marks=pytest.mark.skip(reason=CORPUS_MISSING))]
    return [pytest.param(value, id=ids(value) if ids else None) for value in values]


@pytest.fixture(scope="session")
def corpus() -> Path:
    return require_corpus()
