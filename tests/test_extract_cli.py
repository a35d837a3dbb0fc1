"""`python -m tracker extract PATH [--json]` and `python -m tracker bench extract`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.extract import extract_document, extract_path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def sample_path():
    path = CORPUS / "cppcc-city-2022.txt"
    if not path.exists():
        pytest.skip(f"shared corpus not found: {path}")
    return path


def test_extract_json_prints_one_object(capsys):
    assert main(["extract", str(sample_path()), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["review_year"], out["plan_year"]) == (2022, 2023)
    assert len(out["items"]) == 25
    assert len(out["metrics"]) == 29
    goal = next(m for m in out["metrics"] if m["unit"] == "家")
    assert {k: goal[k] for k in ("part", "kind", "value", "approx", "bound", "redacted")} == {
        "part": "plan",
        "kind": "target",
        "value": 10,
        "approx": False,
        "bound": None,
        "redacted": False,
    }
    text = sample_path().read_text(encoding="utf-8")
    assert goal["quote"] == text[goal["start"] : goal["start"] + len(goal["quote"])]


def test_extract_summary_is_human(capsys):
    assert main(["extract", str(sample_path())]) == 0
    out = capsys.readouterr().out
    assert "回顾年份：2022" in out
    assert "建设委员工作室" in out


def test_not_a_work_report_exits_2_with_a_reason_and_no_stdout():
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "extract", str(FIXTURES / "news-article.txt"), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("错误：")
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["corrupt.docx", "zip-bomb.docx", "scanned.pdf", "yearbook-entry.txt"])
def test_bad_files_exit_2(name, capsys):
    assert main(["extract", str(FIXTURES / name), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("错误：")


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "none.txt")]) == 2
    assert "找不到文件" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name", ["county-npc-2023.gb18030.txt", "county-npc-2023.utf16.txt", "county-npc-2023.crlf.txt"]
)
def test_encodings_give_the_same_report(name):
    report = extract_path(FIXTURES / name)
    assert (report.review_year, report.plan_year, report.report_date) == (2023, 2024, "2024-01-18")
    assert [i.title for i in report.items if i.part == "plan"] == [
        "深化专题询问",
        "扩大代表参与",
        "完善学习制度",
    ]
    for m in report.metrics:
        assert m.quote == report.text[m.start : m.start + len(m.quote)]


def test_extract_document_from_docx_bytes():
    import io

    import docx

    d = docx.Document()
    for line in [
        "某市政协常务委员会工作报告",
        "一、2023年工作回顾",
        "深化协商议政。全年开展专题协商7次。",
        "二、2024年工作安排",
        "畅通民意渠道。年内建设委员工作室10家，完善接待制度。",
    ]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    report = extract_document(buf.getvalue(), "upload/报告.docx")
    assert [i.title for i in report.items] == ["深化协商议政", "畅通民意渠道"]
    assert [(m.value, m.unit, m.kind) for m in report.metrics] == [(7, "次", "count"), (10, "家", "target")]


def test_every_command_has_help():
    from tracker.cli import build_parser

    parser = build_parser()
    actions = [a for a in parser._actions if a.dest == "command"][0]
    for name in ("extract", "bench"):
        assert actions.choices[name].description


def test_bench_extract_prints_figures(capsys):
    sample_path()
    assert main(["bench", "extract", "--corpus", str(CORPUS), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "cppcc-city-2022.txt" in out
    assert "TOTAL" in out
