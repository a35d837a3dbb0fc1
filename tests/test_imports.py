"""Import boundaries, in the style of click's tests/test_imports.py: reading and parsing a report
must not pay for the data stack (pandas, pyarrow, sqlite_utils, plotly) or the UI (streamlit)."""

import json
import subprocess
import sys

from .conftest import ROOT

HEAVY = {"pandas", "pyarrow", "sqlite_utils", "plotly", "streamlit"}


def loaded_top_level(statement: str) -> set[str]:
    """Top-level package names in sys.modules after a fresh interpreter runs the statement."""
    code = f"{statement}; import json, sys; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, timeout=60
    )
    return {name.split(".")[0] for name in json.loads(out.stdout)}


def test_the_extractor_loads_no_heavy_package():
    assert set() == loaded_top_level("import tracker.extract") & HEAVY


def test_the_parser_and_numbers_load_no_heavy_package():
    assert set() == loaded_top_level("import tracker.parse, tracker.numbers, tracker.highlight") & HEAVY


def test_the_check_sees_a_heavy_package_when_one_is_loaded():
    """The probe itself works: a module that does import sqlite_utils is caught."""
    assert "sqlite_utils" in loaded_top_level("import sqlite_utils") & HEAVY
