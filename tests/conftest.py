"""Shared fixtures: a fresh database, the sample report, and one account of each role."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker import auth, store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "cppcc-city-2022.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
PASSWORD = "correct-horse-1"


@pytest.fixture
def db_file(tmp_path, monkeypatch) -> Path:
    """A database path in tmp_path, also set as $TRACKER_DB for the CLI and the app."""
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    return path


@pytest.fixture
def db(db_file):
    """A fresh database with the schema."""
    return store.connect(db_file)


@pytest.fixture(scope="session")
def sample_report():
    """The sample report, extracted once per test session."""
    from tracker.extract import extract_path

    return extract_path(SAMPLE)


@pytest.fixture
def users(db) -> dict[str, str]:
    """admin, staff and leader accounts, all with PASSWORD; returns role -> name."""
    names = {"admin": "admin", "staff": "xiaowang", "leader": "mishuzhang"}
    for role, name in names.items():
        auth.add_user(db, name, role, PASSWORD, by=None)
    return names


@pytest.fixture
def seeded(db, sample_report, users) -> str:
    """The database with the sample imported and the three accounts; returns the report id."""
    return store.import_report(db, sample_report, store.SYSTEM_USER, filename=SAMPLE.name)["report_id"]
