"""Evidence files (issue 16): kinds told by content, refused types and sizes, names, write-back round trip."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import evidence
from tracker.errors import InvalidInput, UnsupportedDocument
from tracker.evidence import MAX_BYTES, Evidence, check, clean_name, is_safe_name, write_back

ALLOWED = "佐证材料只能是 PDF、Word（.docx）、Excel（.xlsx）、JPG、PNG 图片或 TXT 文本"
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def make_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xc6\x28\x28")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def make_jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 40, 40)).save(buf, format="JPEG")
    return buf.getvalue()


def make_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("市发改委2023年6月工作进展：已建成委员工作室6家。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["单位", "完成数"])
    wb.active.append(["市发改委", 6])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.writestr(name, "<xml/>")
    return buf.getvalue()


TXT_UTF8 = "会议纪要\n\t2023年6月20日召开专题协商会，形成意见建议12条。\n".encode()
TXT_GB18030 = "会议纪要\r\n　　2023年6月20日召开专题协商会。\r\n".encode("gb18030")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 8

GOOD = {
    "pdf": ("会议纪要.pdf", PDF),
    "png": ("现场照片.png", make_png()),
    "jpg": ("现场照片.jpg", make_jpeg()),
    "docx": ("工作进展.docx", make_docx()),
    "xlsx": ("完成情况.xlsx", make_xlsx()),
    "txt": ("说明.txt", TXT_UTF8),
}


def test_every_kind_of_the_registry_has_a_good_file_here():
    assert set(evidence.KINDS) == set(GOOD)


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_each_kind_is_accepted_by_content_with_its_content_address(kind):
    name, data = GOOD[kind]
    assert Evidence(name, kind, len(data), hashlib.sha256(data).hexdigest()) == check(data, name)
    assert kind == evidence.sniff(data)


def test_other_accepted_spellings():
    assert "jpg" == check(make_jpeg(), "照片.JPEG").kind
    assert "照片.JPEG" == check(make_jpeg(), "照片.JPEG").name
    assert "pdf" == check(PDF, "纪要.PDF").kind
    assert "txt" == check(TXT_GB18030, "说明.txt").kind  # GBK/GB18030 text
    assert "txt" == check(b"\xef\xbb\xbf" + TXT_UTF8, "说明.txt").kind  # with a BOM
    assert "image/jpeg" == check(make_jpeg(), "a.jpg").mime


def test_text_may_hold_a_few_odd_characters_but_not_many():
    line = "会议纪要：召开专题协商会，形成意见建议十二条。"  # 24 characters
    assert (
        "txt" == check(("\u200b" + line + "\n").encode() * 50, "零宽空格.txt").kind
    )  # format characters are fine
    assert "txt" == check((line * 5 + "\x07\n").encode() * 50, "响铃.txt").kind  # 1 control character in 122
    with pytest.raises(UnsupportedDocument):
        check((line + "\x07\n").encode() * 50, "响铃.txt")  # 1 in 26


def test_a_name_without_extension_gets_the_contents():
    assert "会议纪要.pdf" == check(PDF, "会议纪要").name
    assert "现场照片.png" == check(make_png(), "现场照片").name
    assert "2023.06.30 会议纪要.pdf" == check(PDF, "2023.06.30 会议纪要").name  # dots, but no extension
    assert "纪要 v1.2.pdf" == check(PDF, "纪要 v1.2").name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("会议纪要.pdf", EXE, f"“会议纪要.pdf”的类型不受支持（看起来是Windows 可执行程序）：{ALLOWED}"),
        (
            "工作进展.docx",
            make_zip(["[Content_Types].xml", "other/data.xml"]),
            f"“工作进展.docx”的类型不受支持（看起来是ZIP 压缩包）：{ALLOWED}",
        ),
        (  # a docx needs both the content types and its body
            "工作进展.docx",
            make_zip(["word/document.xml"]),
            f"“工作进展.docx”的类型不受支持（看起来是ZIP 压缩包）：{ALLOWED}",
        ),
        (
            "旧文档.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            f"“旧文档.doc”的类型不受支持（看起来是旧版 .doc/.xls 文档）：{ALLOWED}",
        ),
        (
            "动图.gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            f"“动图.gif”的类型不受支持（看起来是GIF 图片）：{ALLOWED}",
        ),
        ("数据.bin", bytes(range(256)) * 4, f"“数据.bin”的类型不受支持：{ALLOWED}"),
        ("说明.txt", "会议\x00纪要".encode(), f"“说明.txt”的类型不受支持：{ALLOWED}"),
        ("说明.txt", "会议纪要".encode("utf-16"), f"“说明.txt”的类型不受支持：{ALLOWED}"),
        ("说明.txt", b"\x01\x02\x03\x04\x05abc" * 20, f"“说明.txt”的类型不受支持：{ALLOWED}"),
        ("说明.txt", b"\x80\xff\xfe\x81" * 20, f"“说明.txt”的类型不受支持：{ALLOWED}"),
    ],
)
def test_anything_else_is_refused_with_one_line_naming_the_allowed_types(name, data, message):
    with pytest.raises(UnsupportedDocument) as e:
        check(data, name)
    assert message == str(e.value)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("name", "data", "ext", "label"),
    [
        ("照片.pdf", make_png(), ".pdf", "PNG 图片"),
        ("纪要.txt", PDF, ".txt", "PDF"),  # a PDF header is ASCII, but it is a PDF
        ("纪要.pdf", TXT_UTF8, ".pdf", "文本"),
        ("表格.xlsx", make_docx(), ".xlsx", "Word 文档"),
        ("文档.docx", make_xlsx(), ".docx", "Excel 表格"),
        ("照片.png", make_jpeg(), ".png", "JPG 图片"),
        ("纪要.exe", PDF, ".exe", "PDF"),
        ("纪要.pdf.exe", PDF, ".exe", "PDF"),
    ],
)
def test_a_name_that_contradicts_the_content_is_refused(name, data, ext, label):
    with pytest.raises(UnsupportedDocument) as e:
        check(data, name)
    assert f"“{name}”的扩展名 {ext} 与内容（{label}）不符：{ALLOWED}" == str(e.value)


def test_size_limit_is_20_mb_each():
    at_limit = PDF + b"0" * (MAX_BYTES - len(PDF))
    assert MAX_BYTES == len(at_limit) == 20 * 1024 * 1024
    assert "pdf" == check(at_limit, "大文件.pdf").kind
    with pytest.raises(UnsupportedDocument) as e:
        check(PDF + b"0" * (21 * 1024 * 1024), "超大.pdf")
    assert "“超大.pdf”太大（21.0 MB），每个佐证材料不超过 20 MB" == str(e.value)
    with pytest.raises(UnsupportedDocument, match="“空.pdf”是空文件"):
        check(b"", "空.pdf")


def test_docx_is_told_from_the_central_directory_without_inflating(monkeypatch):
    docx_bytes, xlsx_bytes = make_docx(), make_xlsx()

    def refuse(*args, **kwargs):
        raise AssertionError("inflated")

    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    assert "docx" == check(docx_bytes, "a.docx").kind
    assert "xlsx" == check(xlsx_bytes, "a.xlsx").kind


def test_the_same_content_has_the_same_address_whatever_its_name():
    assert check(PDF, "甲.pdf").sha256 == check(PDF, "乙.pdf").sha256 == evidence.sha256(PDF)
    assert check(PDF, "甲.pdf").sha256 != check(PDF + b" ", "甲.pdf").sha256


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("会议纪要.pdf", "会议纪要.pdf"),
        ("C:\\fakepath\\会议纪要.pdf", "会议纪要.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("纪要\n2023.pdf", "纪要2023.pdf"),
        ("纪要\u202efdp.exe", "纪要fdp.exe"),  # the bidi override that makes it read "exe.pdf"
        ("纪要:<6月>?.pdf", "纪要__6月__.pdf"),
        ("  纪要.pdf  ", "纪要.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("纪要.pdf.", "纪要.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("nul", "_nul"),
        ("２０２３年　会议纪要.pdf", "２０２３年　会议纪要.pdf"),  # kept as typed (NFC, not NFKC)
    ],
)
def test_clean_name(raw, clean):
    assert clean == clean_name(raw)
    assert is_safe_name(clean)


def test_clean_name_shortens_long_names_keeping_the_extension():
    long = "关于" + "委员工作室建设" * 30 + "的报告.docx"
    got = clean_name(long)
    assert got.endswith(".docx")
    assert got.startswith("关于委员工作室建设")
    assert len(got.encode()) <= evidence.MAX_NAME_BYTES
    assert is_safe_name(got)
    ascii_name = "a" * 200 + ".pdf"
    assert "a" * 116 + ".pdf" == clean_name(ascii_name)


@pytest.mark.parametrize("raw", ["", "   ", "..", "/", "C:\\fakepath\\", "\x00\x01", "._."])
def test_clean_name_refuses_what_has_no_name_left(raw):
    with pytest.raises(InvalidInput, match="无效，请改名后再上传"):
        clean_name(raw)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("会议纪要.pdf", True),
        ("2023年6月 现场照片(2).jpg", True),
        ("纪" * 78 + ".pdf", True),  # 82 characters, 238 bytes
        ("纪" * 80 + ".pdf", False),  # 84 characters but 244 bytes: Linux allows 255, numbering adds some
        ("a" * 120, True),
        ("a" * 121, False),
        ("a/b.pdf", False),
        ("a\\b.pdf", False),
        ("..", False),
        (".", False),
        (".bashrc", False),
        ("a.pdf ", False),
        ("a.", False),
        ("a\tb.pdf", False),
        ("a\u200bb.pdf", False),
        ("COM1", False),
        ("con.txt", False),
        ("", False),
    ],
)
def test_is_safe_name(name, safe):
    assert safe == is_safe_name(name)


@given(st.text(max_size=300))
def test_clean_name_gives_a_safe_name_or_refuses(raw):
    try:
        name = clean_name(raw)
    except InvalidInput:
        return
    assert is_safe_name(name)
    assert clean_name(name) == name


def test_write_back_round_trip_under_original_names(tmp_path):
    files = [(name, data) for name, data in GOOD.values()]
    out = tmp_path / "佐证材料"
    paths = write_back(files, out)
    assert [out.resolve() / name for name, _ in files] == paths
    assert [data for _, data in files] == [p.read_bytes() for p in paths]


def test_write_back_numbers_clashing_names_and_is_idempotent(tmp_path):
    files = [
        ("会议纪要.pdf", PDF),
        ("会议纪要.pdf", PDF + b"v2"),
        ("会议纪要.pdf", PDF + b"v3"),
        ("会议纪要.pdf", PDF),
    ]
    first = write_back(files, tmp_path)
    assert ["会议纪要.pdf", "会议纪要(2).pdf", "会议纪要(3).pdf", "会议纪要.pdf"] == [p.name for p in first]
    assert [PDF, PDF + b"v2", PDF + b"v3", PDF] == [p.read_bytes() for p in first]
    assert first == write_back(files, tmp_path)  # again: the same files, nothing new
    assert 3 == len(os.listdir(tmp_path))


def test_write_back_never_overwrites_a_file_already_there(tmp_path):
    (tmp_path / "照片.png").write_bytes(b"someone else's")
    paths = write_back([("照片.png", make_png())], tmp_path)
    assert ["照片(2).png"] == [p.name for p in paths]
    assert b"someone else's" == (tmp_path / "照片.png").read_bytes()


def test_write_back_does_not_follow_a_symlink(tmp_path):
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "纪要.pdf").symlink_to(outside)
    (path,) = write_back([("纪要.pdf", PDF)], out)
    assert "纪要(2).pdf" == path.name
    assert b"keep" == outside.read_bytes()


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("../../evil.pdf", "evil.pdf"),
        ("/etc/cron.d/job.pdf", "job.pdf"),
        ("..", "佐证材料.pdf"),
        ("", "佐证材料.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
    ],
)
def test_write_back_of_an_unsafe_stored_name_stays_inside(tmp_path, stored, written):
    out = tmp_path / "out"
    (path,) = write_back([(stored, PDF)], out)
    assert out.resolve() / written == path
    assert [written] == os.listdir(out)
    assert ["out"] == os.listdir(tmp_path)


def test_write_back_numbers_a_name_at_the_length_limit_within_the_limit(tmp_path):
    name = "纪" * 78 + ".pdf"
    assert is_safe_name(name)
    paths = write_back([(name, PDF), (name, PDF + b"2")], tmp_path)
    assert name == paths[0].name
    assert paths[1].name.endswith("(2).pdf")
    assert is_safe_name(paths[1].name)
    assert PDF + b"2" == paths[1].read_bytes()
