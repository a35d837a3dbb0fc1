"""file bytes -> text: every reader in the registry, every encoding, and the files that must be refused."""

import io
import zipfile
from pathlib import Path

import pytest

from tracker import read
from tracker.errors import UnsupportedDocument
from tracker.read import READERS, read_document, read_path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPORT = "二、2024年工作安排\n强化理论武装。全年组织培训2次。\n"


def make_docx(paragraphs, table=None, bold_lead=None):
    import docx

    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    if bold_lead:
        p = d.add_paragraph()
        p.add_run(bold_lead[0]).bold = True
        p.add_run(bold_lead[1])
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_pdf(lines):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    for n, line in enumerate(lines):
        c.drawString(50, 800 - 20 * n, line)
    c.save()
    return buf.getvalue()


SAMPLES = {
    ".txt": lambda: REPORT.encode("utf-8"),
    ".docx": lambda: make_docx(REPORT.strip().split("\n")),
    ".pdf": lambda: make_pdf(REPORT.strip().split("\n")),
}


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_every_reader_returns_the_text(suffix):
    assert suffix in SAMPLES, "a new reader needs a sample here"
    text = read_document(SAMPLES[suffix](), f"report{suffix}")
    assert "二、2024年工作安排" in text
    assert "全年组织培训2次" in text
    assert "\r" not in text


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_every_reader_refuses_empty(suffix):
    with pytest.raises(UnsupportedDocument):
        read_document(b"", f"x{suffix}")


def test_encodings_decode_to_the_same_text():
    gb = read_path(FIXTURES / "county-npc-2023.gb18030.txt")
    utf16 = read_path(FIXTURES / "county-npc-2023.utf16.txt")
    assert gb == utf16
    assert gb.startswith("某县人民代表大会常务委员会工作报告")


def test_utf8_bom_and_utf16_be():
    assert read.read_text(b"\xef\xbb\xbf" + REPORT.encode("utf-8")) == REPORT
    assert read.read_text(b"\xfe\xff" + REPORT.encode("utf-16-be")) == REPORT


def test_crlf_becomes_lf_and_indents_stay():
    text = read_path(FIXTURES / "county-npc-2023.crlf.txt")
    assert "\r" not in text
    assert "\n\u3000\u3000强化政治引领。" in text


def test_gbk_is_read_as_gb18030():
    assert read.read_text("政协工作报告".encode("gbk")) == "政协工作报告"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, b"\xff\xd8\xff\xe0" + b"x" * 20, b"%PDF-1.4 ...", b"abc\x00def",
     b"PK\x03\x04" + b"x" * 20],
)  # fmt: skip
def test_binary_renamed_txt_is_refused(data):
    with pytest.raises(UnsupportedDocument) as err:
        read_document(data, "report.txt")
    assert "不是文本文件" in str(err.value)


def test_undecodable_bytes_are_refused():
    with pytest.raises(UnsupportedDocument) as err:
        read_document(bytes(range(0x80, 0x100)) * 8, "report.txt")
    assert "编码" in str(err.value)


def test_too_large_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(read, "MAX_BYTES", 100)
    with pytest.raises(UnsupportedDocument) as err:
        read_document(REPORT.encode("utf-8") * 10, "big.txt")
    assert "太大" in str(err.value)
    path = tmp_path / "big.txt"
    path.write_bytes(REPORT.encode("utf-8") * 10)
    with pytest.raises(UnsupportedDocument):
        read_path(path)


def test_max_bytes_is_twenty_megabytes():
    assert read.MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.txt", "C:\\报告\\2023.txt", "a/b/report.TXT", "报告 (1).txt"]
)
def test_only_the_suffix_of_the_filename_matters(name):
    assert read_document(REPORT.encode("utf-8"), name) == REPORT


@pytest.mark.parametrize("name", ["report.doc", "report", "report.txt.exe", "report.xlsx"])
def test_unknown_suffix_is_refused(name):
    with pytest.raises(UnsupportedDocument) as err:
        read_document(REPORT.encode("utf-8"), name)
    assert "不支持" in str(err.value)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(UnsupportedDocument):
        read_path(tmp_path / "nope.txt")


def test_docx_paragraphs_tables_and_bold_lead(tmp_path):
    data = make_docx(
        ["一、2023年工作回顾", "开展专题协商7次。"],
        table=[["序号", "民生实事"], ["1", "新建委员工作室10家"]],
        bold_lead=("畅通民意沟通渠道。", "年内建设委员工作室10家。"),
    )
    path = tmp_path / "报告.docx"
    path.write_bytes(data)
    lines = read_path(path).split("\n")
    assert lines[:3] == [
        "一、2023年工作回顾",
        "开展专题协商7次。",
        "畅通民意沟通渠道。年内建设委员工作室10家。",
    ]
    assert "新建委员工作室10家" in lines


def test_corrupt_docx_is_refused():
    with pytest.raises(UnsupportedDocument) as err:
        read_path(FIXTURES / "corrupt.docx")
    assert "损坏" in str(err.value)


def test_zip_bomb_docx_is_refused_before_opening():
    with pytest.raises(UnsupportedDocument) as err:
        read_path(FIXTURES / "zip-bomb.docx")
    assert "压缩炸弹" in str(err.value)


def test_password_protected_docx_is_refused():
    # Word saves an encrypted .docx as an OLE compound file, not a zip
    with pytest.raises(UnsupportedDocument) as err:
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "secret.docx")
    assert "密码" in str(err.value)


def test_docx_without_document_xml_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedDocument):
        read_document(buf.getvalue(), "x.docx")


def test_pdf_with_cjk_font_reads():
    text = read_document(make_pdf(["一、2023年工作回顾", "开展专题协商7次。"]), "r.pdf")
    assert "开展专题协商7次。" in text


def test_scanned_pdf_is_refused():
    with pytest.raises(UnsupportedDocument) as err:
        read_path(FIXTURES / "scanned.pdf")
    assert "扫描件" in str(err.value)


def test_cid_garbled_pdf_is_refused(monkeypatch):
    # a real PDF whose pages extract as (cid:N): the page count is checked on the real document first
    from pdfplumber.page import Page

    monkeypatch.setattr(Page, "extract_text", lambda self, **kw: "(cid:123)(cid:456)(cid:789)" * 20)
    with pytest.raises(UnsupportedDocument) as err:
        read_document(make_pdf(["一、2023年工作回顾"]), "garbled.pdf")
    assert "cid" in str(err.value)


def test_corrupt_pdf_is_refused():
    with pytest.raises(UnsupportedDocument):
        read_document(b"%PDF-1.4\nthis is not a pdf at all", "broken.pdf")


def test_password_protected_pdf_is_refused():
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(50, 800, "report")
    c.save()
    with pytest.raises(UnsupportedDocument) as err:
        read_document(buf.getvalue(), "locked.pdf")
    assert "密码" in str(err.value)
