"""Issue 13: `bench extract` prints precision and recall where a gold annotates completely."""

from __future__ import annotations

from tests.conftest import make_report
from tracker.bench import score_report
from tracker.cli import main


def _gold(**extra) -> dict:
    return {
        "items": {"plan": [[1, "畅通民意沟通渠道"], [2, "加强宣传阵地建设"]]},
        "metrics": [
            {"part": "plan", "value": 10, "unit": "家", "redacted": False, "anchor": "委员工作室10家"},
            {"part": "review", "value": 7, "unit": "次", "redacted": False, "anchor": "专题协商7次"},
            {"part": "review", "value": None, "unit": "件", "redacted": True, "anchor": "提案***件"},
            {"part": "review", "value": 5, "unit": "次", "redacted": False, "anchor": "视察5次"},
        ],
        **extra,
    }


def test_score_counts_found_wanted_and_extracted_as_the_shared_scorer_does():
    # the report has 2 items (1 in the gold) and 4 metrics (3 in the gold: 全员集中培训 is extra)
    assert {"items": (1, 2, 2), "metrics": (3, 4, 4)} == score_report(make_report(), _gold())


def test_a_category_marked_incomplete_gives_no_precision():
    scores = score_report(make_report(), _gold(complete={"items": True, "metrics": False}))
    assert {"items": (1, 2, 2)} == scores


def test_bench_extract_prints_a_precision_line_for_each_complete_gold(capsys):
    assert main(["bench", "extract", "--repeat", "1"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("precision ")]
    names = [line.split(":")[0] for line in lines]
    assert [
        "precision corpus/cppcc-city-2022.gold.json",
        "precision gold/hailar_district_gov_2013.gold.json",
        "precision gold/national_gov_2020.gold.json",
    ] == names  # the shared golds of guangdong, hailar and national are recall-only
    cppcc = lines[0]
    assert "items P=1.00 R=1.00 (25/25 found, 25 extracted)" in cppcc
    assert "metrics P=1.00 R=1.00 (29/29 found, 29 extracted)" in cppcc
