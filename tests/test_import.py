"""Bad input (issue 6): each file gets one clear Chinese message and writes no rows, through
service.import_file and through `python -m tracker import`; a good file in the same run still imports."""

from __future__ import annotations

import io
import zipfile

import pytest

from tracker import cli, intake, service, store
from tracker.errors import TrackerError

from .conftest import SAMPLE

NOT_A_REPORT = (
    "本报讯 昨日，市图书馆举办“书香满城”阅读分享会，三百余名读者参加。活动现场，多位作家与读者交流创作体会，"
    "馆方还展出了地方文献珍本。据介绍，图书馆今年将继续开展系列阅读推广活动。"
)


def docx_bomb() -> bytes:
    """A zip of a few hundred KB whose document.xml inflates to 120 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as f:
            chunk = b" " * (1 << 20)
            for _ in range(120):
                f.write(chunk)
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """A page with a drawing and no text layer, as a scanner makes it."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.rect(100, 100, 300, 400, fill=1)
    page.showPage()
    page.save()
    return buf.getvalue()


CASES = {
    "empty": ("empty.txt", lambda: b"", "文件是空的"),
    "image renamed .txt": ("photo.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(300), "看起来是 PNG 图片"),
    "binary renamed .txt": ("program.txt", lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(300), "含有二进制字节"),
    "corrupt .docx": ("report.docx", lambda: b"PK\x03\x04" + b"\x13" * 500, "Word 文件已损坏"),
    "password-protected .docx": (
        "secret.docx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "设有密码",
    ),
    ".docx bomb": ("bomb.docx", docx_bomb, "疑似压缩炸弹"),
    "scanned PDF": ("scan.pdf", scanned_pdf, "可能是扫描件"),
    "undecodable bytes": ("garbled.txt", lambda: bytes(range(0x80, 0x100)) * 64, "无法识别文件的文字编码"),
    "not a work report": ("news.txt", lambda: NOT_A_REPORT.encode("utf-8"), "不像一份工作报告"),
    "50 MB text": ("huge.txt", lambda: ("各项工作稳步推进。\n" * 2_000_000).encode("utf-8"), "文件太大"),
    "path characters": ("..\\..\\report.txt", SAMPLE.read_bytes, "含有路径或控制字符"),
}


def counts(db) -> dict:
    return (
        store.table_counts(db)
        if hasattr(store, "table_counts")
        else {t: db[t].count for t in ("reports", "items")}
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    """Each bad file written once into a temporary folder (the 50 MB one is never committed)."""
    folder = tmp_path_factory.mktemp("bad")
    out = {}
    for case, (name, make, _) in CASES.items():
        path = folder / name
        path.write_bytes(make())
        out[case] = path
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_gets_one_chinese_message_and_writes_nothing(db, users, files, case):
    name, _, message = CASES[case]
    before = counts(db)
    with pytest.raises(TrackerError, match=message):
        intake.import_file(db, files[case].read_bytes(), name, users["admin"])
    assert before == counts(db)


@pytest.mark.parametrize("case", [c for c in CASES if c != "path characters"])
def test_service_import_file_refuses_each_bad_file(db, files, case):
    name, _, message = CASES[case]
    with pytest.raises(TrackerError, match=message):
        service.import_file(db, files[case].read_bytes(), name, store.SYSTEM_USER)
    assert 0 == db["reports"].count


def test_service_import_file_refuses_a_name_with_path_characters(db):
    with pytest.raises(TrackerError, match="路径"):
        service.import_file(db, SAMPLE.read_bytes(), "../../report.txt", store.SYSTEM_USER)


def test_cli_imports_the_good_file_refuses_every_bad_one_and_exits_1(db, files, capsys):
    paths = [str(files[case]) for case in CASES]
    assert 1 == cli.main(["import", *paths, str(SAMPLE)])
    out, err = capsys.readouterr()
    for case, (_, _, message) in CASES.items():
        line = next(x for x in err.splitlines() if x.startswith(f"{files[case].name}: 失败："))
        assert message in line, case
    assert f"共 {len(CASES) + 1} 个文件：成功 1 个，失败 {len(CASES)} 个" in out
    assert 1 == db["reports"].count  # only the sample
    rows = [x.split() for x in out.splitlines() if x.startswith(SAMPLE.name)]
    assert [SAMPLE.name, "已导入"] == rows[0][:2]


def test_cli_exits_0_when_every_file_imports_and_reports_an_unchanged_file(db_file, capsys):
    assert 0 == cli.main(["import", str(SAMPLE), str(SAMPLE)])
    out, _ = capsys.readouterr()
    assert ["已导入", "未变"] == [x.split()[1] for x in out.splitlines() if x.startswith(SAMPLE.name)]
