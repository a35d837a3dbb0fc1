"""Import boundaries (in the style of click's tests/test_imports.py): only tracker/store speaks SQL."""

import ast
from pathlib import Path

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
DATABASE_MODULES = {"sqlite3", "sqlite_utils"}
HEAVY = {"pandas", "pyarrow", "sqlite_utils", "plotly", "streamlit"}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module `path` imports, wherever in the file the import is."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_store_package_imports_the_database_modules():
    offenders = {
        str(path.relative_to(TRACKER)): sorted(imported_modules(path) & DATABASE_MODULES)
        for path in TRACKER.rglob("*.py")
        if "store" not in path.relative_to(TRACKER).parts and imported_modules(path) & DATABASE_MODULES
    }
    assert {} == offenders


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    import sqlite3\n    from sqlite_utils import Database\n")
    assert DATABASE_MODULES == imported_modules(source)


def test_the_store_package_does_import_them():
    used = set().union(*(imported_modules(p) for p in (TRACKER / "store").glob("*.py")))
    assert DATABASE_MODULES <= used


def loaded_after(code: str) -> set[str]:
    """The top-level modules loaded by a fresh interpreter after running `code`."""
    import json
    import subprocess
    import sys

    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    command = [sys.executable, "-c", probe]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=TRACKER.parent).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_nothing_outside_ui_loads_streamlit():
    modules = sorted(
        ".".join(p.relative_to(TRACKER.parent).with_suffix("").parts)
        for p in TRACKER.rglob("*.py")
        if "ui" not in p.relative_to(TRACKER).parts and p.name != "__main__.py"
    )
    assert "streamlit" not in loaded_after("\n".join(f"import {m}" for m in modules))


def test_the_extract_command_loads_no_heavy_library():
    code = "from tracker import cli\ncli.main(['extract', 'data/cppcc-city-2022.txt', '--json'])"
    assert set() == loaded_after(code) & HEAVY


def test_the_cli_names_the_export_formats_of_the_registry():
    from tracker import export
    from tracker.commands.export import FORMAT_NAMES

    assert list(export.FORMATS) == FORMAT_NAMES


def test_the_extractor_loads_no_heavy_package():
    assert set() == loaded_after("import tracker.extract") & HEAVY


def test_the_parser_and_numbers_load_no_heavy_package():
    assert (
        set()
        == loaded_after("import tracker.parse, tracker.numbers, tracker.highlight, tracker.goal_types")
        & HEAVY
    )


def test_the_check_sees_a_heavy_package_when_one_is_loaded():
    """The probe itself works: a module that does import sqlite_utils is caught."""
    assert "sqlite_utils" in loaded_after("import sqlite_utils") & HEAVY
