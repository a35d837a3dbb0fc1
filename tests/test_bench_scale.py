"""The scale benchmarks run end to end and print their figures (the figures themselves are not
asserted: benchmarks are scripts, issue 8)."""

from tracker import cli


def test_bench_generate_prints_the_counts(tmp_path, capsys):
    out = tmp_path / "big.db"
    assert 0 == cli.main(
        [
            "bench",
            "generate",
            "--out",
            str(out),
            "--orgs",
            "2",
            "--years",
            "1",
            "--items",
            "10",
            "--events",
            "20",
        ]
    )
    assert (
        "'reports': 2, 'sections': 20, 'items': 20, 'metrics': 36, 'events': 62}" in capsys.readouterr().out
    )


def test_bench_all_on_the_sample_and_a_small_generated_database(tmp_path, capsys):
    large = tmp_path / "large.db"
    assert 0 == cli.main(["bench", "generate", "--out", str(large), "--orgs", "3", "--years", "1"])
    assert 0 == cli.main(["bench", "all", "--repeat", "1", "--large", str(large)])
    out = capsys.readouterr().out
    assert "示例库（sample.db" in out
    assert "大库（large.db" in out
    assert "页面标题“总览”" in out
    assert "目标：" in out


def test_bench_concurrency_short_run_passes(capsys):
    assert 0 == cli.main(["bench", "concurrency", "--writers", "4", "--entries", "5"])
    out = capsys.readouterr().out
    assert "丢失 0 条，重复 0 条，进度合计一致，错误 0 个" in out
