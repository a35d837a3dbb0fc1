"""Hostile files (issue 17, items 7-9 and the UTF-16 note): each test builds the attack, small, and
performs it through read_document. No timings are asserted (house rule): the floods use sizes that
are quick only with the fixes (20,000 empty paragraphs took 33 s before them)."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from tracker import read
from tracker.errors import UnsupportedDocument
from tracker.read import READERS, read_document, read_document_layout

REPORT = "二、2024年工作安排\n强化理论武装。全年组织培训2次。\n"


def _docx_with(paragraphs_xml: bytes = b"", *, heading: str = "二、2024年工作安排") -> bytes:
    """A real python-docx document (its ~160 styles included) with raw paragraphs spliced in after a
    heading: how the attack files were made."""
    import docx

    d = docx.Document()
    d.add_heading(heading, level=1)
    d.add_paragraph("强化理论武装。全年组织培训2次。")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr", paragraphs_xml + b"<w:sectPr", 1)
            zf.writestr(info.filename, data)
    return out.getvalue()


def _replace_part(docx_bytes: bytes, name: str, data: bytes, compress_type=zipfile.ZIP_DEFLATED) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != name:
                zf.writestr(info.filename, src.read(info.filename))
        zf.writestr(name, data, compress_type=compress_type)
    return out.getvalue()


def _refusal(data: bytes, name: str) -> str:
    with pytest.raises(UnsupportedDocument) as err:
        read_document(data, name)
    message = str(err.value)
    assert "\n" not in message  # one line, shown as it is by the CLI and the page
    return message


# --- issue 17 #7: many empty paragraphs ----------------------------------------------------------


def test_twenty_thousand_empty_paragraphs_are_read_without_python_docx_style_lookups(monkeypatch):
    # python-docx's Paragraph.style scanned every style twice per paragraph: 33 s for this 40 KB file
    from docx.text.paragraph import Paragraph

    def slow_path(self):
        raise AssertionError("Paragraph.style resolves the style through every style of the document")

    data = _docx_with(b"<w:p/>" * 20_000)
    monkeypatch.setattr(Paragraph, "style", property(slow_path))
    assert len(data) < 60_000
    text, layout = read_document_layout(data, "flood.docx")
    lines = text.split("\n")
    assert ["二、2024年工作安排", "强化理论武装。全年组织培训2次。"] == lines[:2]
    assert 20_002 == len(lines)
    assert {0: 1} == layout["headings"]  # the heading style is still found, through the id -> name map


def test_style_ids_resolve_as_python_docx_resolves_them():
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    d.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    d.add_heading("一、过去一年的工作", level=1)
    d.add_paragraph("（一）坚持党的领导", style="标题 2")
    for style_id in ("NoSuchStyle", "Strong", "Heading3"):  # unknown, a character style, a heading
        p = d.add_paragraph(f"段落{style_id}")
        p._p.get_or_add_pPr().get_or_add_pStyle().val = style_id
    buf = io.BytesIO()
    d.save(buf)
    text, layout = read_document_layout(buf.getvalue(), "styles.docx")
    expected = {}
    offset = 0
    for paragraph in docx.Document(io.BytesIO(buf.getvalue())).paragraphs:
        m = read._HEADING_STYLE.match(paragraph.style.name)  # python-docx's own (slow) resolution
        if m:
            expected[offset] = int(m.group(1))
        offset += len(paragraph.text) + 1
    assert {0: 1, text.index("（一）"): 2, text.index("段落Heading3"): 3} == expected
    assert expected == layout["headings"]


def test_three_hundred_thousand_paragraphs_are_refused():
    data = _docx_with(b"<w:p/>" * 300_000)  # 172 KB in the issue; more than five minutes before
    message = _refusal(data, "flood.docx")
    assert f"Word 文件的段落过多（超过 {read.MAX_PARAGRAPHS} 段），不像一份工作报告，已拒绝" == message


def test_a_long_real_report_is_far_below_the_paragraph_cap():
    assert read.MAX_PARAGRAPHS >= 10 * 5_000  # 200 pages of a report: about 5,000 paragraphs


def test_a_flood_of_other_elements_is_refused():
    data = _docx_with(b"<w:p>" + b"<w:r/>" * (read.MAX_XML_ELEMENTS + 1) + b"</w:p>")
    assert "XML 元素过多" in _refusal(data, "runs.docx")


# --- issue 17 #9: parser and memory errors -------------------------------------------------------


def test_sixteen_million_empty_paragraphs_are_refused_in_one_line():
    # 186 KB in the issue: an lxml XPathEvalError traceback at 2.2 GB
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as f:
            f.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">')
            f.write(b"<w:body>")
            for _ in range(16):
                f.write(b"<w:p/>" * (1 << 20))
            f.write(b"</w:body></w:document>")
    assert len(buf.getvalue()) < 200_000
    assert "段落过多" in _refusal(buf.getvalue(), "flood.docx")


@pytest.mark.parametrize(
    "document_xml",
    [
        b"<w:document><w:body><w:p>",  # cut off
        b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
        + b"<w:body>" + b"<w:tbl><w:tr><w:tc>" * 400 + b"</w:tc></w:tr></w:tbl>" * 400 + b"</w:body></w:document>",
        b"<?xml version='1.0'?><!DOCTYPE d [<!ENTITY a '&#x41;&#x41;'>]><w:document>&a;</w:document>",
    ],
    ids=["truncated", "nested-too-deep", "entities"],
)  # fmt: skip
def test_broken_document_xml_is_one_refusal(document_xml):
    data = _replace_part(_docx_with(), "word/document.xml", document_xml)
    assert _refusal(data, "broken.docx").startswith("Word 文件")


def test_a_part_named_by_the_relationships_but_missing_is_one_refusal():
    src = zipfile.ZipFile(io.BytesIO(_docx_with()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            if info.filename != "word/styles.xml":
                zf.writestr(info.filename, src.read(info.filename))
    assert "Word 文件已损坏，无法读取" == _refusal(out.getvalue(), "missing.docx")


def test_memory_error_while_parsing_is_one_refusal(monkeypatch):
    import docx

    def out_of_memory(*_args):
        raise MemoryError

    data = _docx_with()
    monkeypatch.setattr(docx, "Document", out_of_memory)
    assert "Word 文件过于庞大，读取时内存不足，已拒绝" == _refusal(data, "big.docx")


# --- issue 17 #8: zip bombs with false size headers ----------------------------------------------


def _lie_about_size(zip_bytes: bytes, name: str, claimed: int) -> bytes:
    """Write `claimed` as the member's uncompressed size in its local header and central directory."""
    data = bytearray(zip_bytes)
    encoded = name.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_len]) == encoded:
            struct.pack_into("<I", data, local + 22, claimed)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, central + 24, claimed)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_bzip2_member_with_a_false_size_header_is_refused_unopened(monkeypatch):
    # zipfile inflates bzip2 in one call per read: 37 KB became 300 MB before any size check
    bomb = _replace_part(_docx_with(), "word/media/image1.png", b"\x00" * (8 << 20), zipfile.ZIP_BZIP2)
    bomb = _lie_about_size(bomb, "word/media/image1.png", 1000)
    assert 1000 == zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/media/image1.png").file_size
    assert len(bomb) < 50_000

    def never(*_args, **_kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    message = _refusal(bomb, "bomb.docx")
    assert "Word 文件使用了 Word 不会使用的压缩方式（疑似压缩炸弹），已拒绝" == message


def test_deflate_member_with_a_false_size_header_is_refused():
    bomb = _replace_part(_docx_with(), "word/document.xml", b" " * (20 << 20))
    bomb = _lie_about_size(bomb, "word/document.xml", 1000)
    assert "Word 文件已损坏，无法读取" == _refusal(bomb, "bomb.docx")


def test_real_bytes_count_against_the_budget_across_parts(monkeypatch):
    monkeypatch.setattr(read, "MAX_UNZIPPED", 1 << 20)
    bomb = _docx_with()
    for n in range(3):  # each part well under the budget, together over it
        bomb = _replace_part(bomb, f"word/media/image{n}.png", b"\x00" * 400_000)
    assert "Word 文件解压后过大（疑似压缩炸弹），已拒绝" == _refusal(bomb, "bomb.docx")


def test_images_are_not_needed_to_read_the_text():
    data = _replace_part(_docx_with(), "word/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(5000))
    assert REPORT == read_document(data, "report.docx") + "\n"


# --- UTF-16 without a BOM ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [REPORT, "二、２０２４年工作安排\n强化理论武装。全年组织培训２次。一是完善制度，二是抓好落实。\n"],
    ids=["ascii-digits", "full-width-digits"],
)
def test_utf16_without_bom_is_decoded(encoding, text):
    assert text == read_document(text.encode(encoding), "report.txt")


@pytest.mark.parametrize(
    "data",
    [b"\x7fELF\x02\x01\x01\x00" + bytes(300), bytes(range(256)) * 4, b"MZ\x90\x00\x03\x00\x00\x00" * 40],
    ids=["elf", "all-bytes", "exe"],
)
def test_binary_with_zero_bytes_is_still_refused_as_binary(data):
    assert "含有二进制字节" in _refusal(data, "program.txt")


# --- .pdf ----------------------------------------------------------------------------------------


def _pdf_pages(count: int) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n in range(count):
        c.setFont("STSong-Light", 12)
        c.drawString(50, 800, f"第{n + 1}页 全年组织培训2次。")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_too_many_pdf_pages_are_refused_before_any_is_laid_out(monkeypatch):
    from pdfplumber.page import Page

    def never(self, **_kwargs):
        raise AssertionError("a page was laid out")

    monkeypatch.setattr(Page, "extract_text", never)
    message = _refusal(_pdf_pages(read.MAX_PAGES + 1), "long.pdf")
    assert f"PDF 页数过多（超过 {read.MAX_PAGES} 页），不像一份工作报告，已拒绝" == message


def test_pdf_pages_up_to_the_cap_are_read():
    text = read_document(_pdf_pages(3), "short.pdf")
    assert ["第1页 全年组织培训2次。", "第2页 全年组织培训2次。", "第3页 全年组织培训2次。"] == text.split(
        "\n"
    )


def _hand_made_pdf(content: bytes, stream_dict: bytes, resources: bytes = b"<<>>") -> bytes:
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources%s>>" % resources,
        b"<</Length %d%s>>\nstream\n" % (len(content), stream_dict) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize(
    "content, stream_dict",
    [(b"BT ET", b"/Filter/NoSuchFilter"), (b"x\x9c\x00\x01", b"/Filter/FlateDecode/DecodeParms<</Predictor 99>>"),
     (b"BT /F1 12 Tf (abc) Tj ET", b"/Filter/Crypt")],
    ids=["unknown-filter", "bad-predictor", "crypt-filter"],
)  # fmt: skip
def test_pdfminer_errors_are_one_refusal(content, stream_dict):
    assert _refusal(_hand_made_pdf(content, stream_dict), "odd.pdf").startswith("PDF ")


# --- issue 11: one registry, nothing bypasses it --------------------------------------------------


def test_reading_dispatches_through_the_registry(monkeypatch):
    calls = []

    def reader(data):
        calls.append(data)
        return "替换的读取器", {"headings": {}, "leads": {}}

    for suffix in sorted(READERS):
        monkeypatch.setitem(READERS, suffix, reader)
        assert ("替换的读取器", {"headings": {}, "leads": {}}) == read_document_layout(b"x", f"a{suffix}")
    assert len(READERS) == len(calls)


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_every_reader_returns_text_and_layout(suffix):
    samples = {".txt": REPORT.encode("utf-8"), ".docx": _docx_with(), ".pdf": _pdf_pages(1)}
    text, layout = READERS[suffix](samples[suffix])
    assert isinstance(text, str) and text
    assert (suffix == ".docx") == (layout is not None)


def _lzw_bomb() -> bytes:
    """LZW codes that each repeat the previous string plus one byte: 5 KB that decode to 8 MB."""
    bits, nbits, table, out = "", 9, 258, bytearray()
    codes = [(256, 9), (ord(" "), 9)]
    while table < 4095:
        codes.append((table, nbits))
        table += 1
        nbits = {511: 10, 1023: 11, 2047: 12}.get(table, nbits)
    codes.append((257, nbits))
    bits = "".join(format(code, f"0{width}b") for code, width in codes)
    bits += "0" * (-len(bits) % 8)
    out += int(bits, 2).to_bytes(len(bits) // 8, "big")
    return bytes(out)


@pytest.mark.parametrize(
    "stream, stream_dict",
    [(lambda: __import__("zlib").compress(b" " * (2 << 20), 9), b"/Filter/FlateDecode"),
     (_lzw_bomb, b"/Filter/LZWDecode")],
    ids=["flate", "lzw"],
)  # fmt: skip
def test_pdf_stream_bomb_is_refused(monkeypatch, stream, stream_dict):
    # pdfminer inflates a stream whole: 51 KB of PDF took 50 MB; the budget is real inflated bytes
    import pdfminer.lzw

    monkeypatch.setattr(read, "MAX_PDF_INFLATED", 1 << 20)
    assert len(b"".join(pdfminer.lzw.LZWDecoder(io.BytesIO(_lzw_bomb())).run())) > 4 << 20
    message = _refusal(_hand_made_pdf(stream(), stream_dict), "bomb.pdf")
    assert "PDF 文件解压后过大（疑似压缩炸弹），已拒绝" == message


def test_pdf_streams_within_the_budget_read_as_before():
    import zlib

    content = b"BT /F1 12 Tf 50 700 Td (2024 plan) Tj ET"
    font = b"<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>"
    pdf = _hand_made_pdf(zlib.compress(content), b"/Filter/FlateDecode", font)
    assert "2024 plan" == read_document(pdf, "plain.pdf")
