"""File bytes -> text, for .txt (any Chinese encoding), .docx and .pdf: one reader per file type."""

from __future__ import annotations

import codecs
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePath

from tracker.errors import UnsupportedDocument
from tracker.pdf_limits import inflation_budget

MAX_BYTES = 20 * 1024 * 1024  # larger files are refused: no work report comes near this
MAX_UNZIPPED = 100 * 1024 * 1024  # a .docx whose parts really inflate beyond this is a zip bomb
MAX_PARAGRAPHS = 50_000  # a 200-page report has about 5,000 paragraphs, table cells included
MAX_XML_ELEMENTS = 1_000_000  # a long, richly formatted report has about 200,000; each parsed costs ~130 B
MAX_PDF_INFLATED = 10 * MAX_BYTES  # all streams of a .pdf, inflated: real ones inflate 3-5 times
MAX_PAGES = 500  # a work report has under 200 pages; laying out 500 takes about half a minute

# magic numbers of binary formats people rename to .txt by mistake
_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office",
    b"\xd0\xcf\x11\xe0": "Office 97-2003 (OLE)",
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"BM": "BMP 图片",
    b"II*\x00": "TIFF 图片",
    b"MM\x00*": "TIFF 图片",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
    b"\x1f\x8b": "gzip 压缩包",
    b"{\\rtf": "RTF",
}
_CID = re.compile(r"\(cid:\d+\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
# anything a Chinese report is not made of (ASCII, general and CJK punctuation, ideographs, full-width forms)
_FOREIGN = re.compile(
    r"[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2460-\u24ff\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
)


def _check_size(data: bytes) -> None:
    if not data:
        raise UnsupportedDocument("文件是空的")
    if len(data) > MAX_BYTES:
        raise UnsupportedDocument(
            f"文件太大（{len(data) / 1024 / 1024:.1f} MB），上限为 {MAX_BYTES // 1024 // 1024} MB"
        )


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def read_text(data: bytes) -> str:
    """Decode a plain-text file: BOM, strict UTF-8, GB18030, then charset-normalizer as a last resort."""
    _check_size(data)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_or_refuse(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_or_refuse(data, "utf-16")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedDocument(f"这不是文本文件（看起来是 {kind}），请上传 .txt、.docx 或 .pdf")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:4096]:
        raise UnsupportedDocument("这不是文本文件（含有二进制字节），请上传 .txt、.docx 或 .pdf")
    for enc in ("utf-8", "gb18030"):
        try:
            return _clean(data.decode(enc))
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes  # only here: slow to import, rarely needed

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnsupportedDocument("无法识别文件的文字编码（不是 UTF-8、GBK/GB18030 等中文编码）")
    text = str(best)
    if sum(1 for c in text if "\u4e00" <= c <= "\u9fff") < len(text) // 20:
        raise UnsupportedDocument("无法识别文件的文字编码（解码后不是中文文本）")
    return _clean(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM (issue 17), or None. Both byte orders are tried: the right one
    reads as Chinese, ASCII and punctuation throughout, the wrong one turns newlines and punctuation
    into other scripts. A text with control characters is not text, so binary files stay refused."""
    if len(data) % 2 or b"\x00" not in data[:4096]:
        return None
    odd: dict[str, int] = {}  # decoded text -> characters foreign to a report in its first 64 K
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            odd[text] = len(_FOREIGN.findall(text[:65536]))
    ranked = sorted(odd.items(), key=lambda pair: pair[1])
    if not ranked or ranked[0][1] > 0.1 * min(len(ranked[0][0]), 65536):
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return _clean(ranked[0][0])


def _decode_or_refuse(data: bytes, encoding: str) -> str:
    try:
        return _clean(data.decode(encoding))
    except UnicodeDecodeError as e:
        raise UnsupportedDocument(f"文件声明为 {encoding} 编码，但内容无法按该编码解码") from e


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def _inflate(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, counts: dict | None
) -> tuple[bytes, int]:
    """A member's real bytes and their number, read in chunks and refused past `budget` (size headers
    can lie, issue 17). With `counts`, an XML part is kept and its elements and paragraphs counted as
    it inflates, so a flood of paragraphs is refused after its first few hundred KB; without, the
    bytes are only counted."""
    from lxml import etree

    chunks, size = [], 0
    parser = None
    if counts is not None:
        parser = etree.XMLPullParser(events=("end",), resolve_entities=False, no_network=True)
    with zf.open(info) as f:
        while chunk := f.read(1 << 16):
            size += len(chunk)
            if size > budget:
                raise UnsupportedDocument("Word 文件解压后过大（疑似压缩炸弹），已拒绝")
            if counts is None:
                continue
            chunks.append(chunk)
            if parser is not None:
                try:
                    parser.feed(chunk)
                    _count(parser.read_events(), counts)
                except etree.XMLSyntaxError:
                    # python-docx's parser stops at the same place (and refuses the file if it needs the part)
                    parser = None
    return b"".join(chunks), size


def _count(events, counts: dict) -> None:
    for _event, element in events:
        counts["elements"] += 1
        if element.tag == _W + "p":
            counts["paragraphs"] += 1
            if counts["paragraphs"] > MAX_PARAGRAPHS:
                raise UnsupportedDocument(
                    f"Word 文件的段落过多（超过 {MAX_PARAGRAPHS} 段），不像一份工作报告，已拒绝"
                )
        if counts["elements"] > MAX_XML_ELEMENTS:
            raise UnsupportedDocument("Word 文件的结构过于庞大（XML 元素过多），已拒绝")
        element.clear()  # the count needs no text: keep the tree built so far small


def _checked_docx(data: bytes) -> bytes:
    """The .docx rebuilt from checked bytes, for python-docx to open: every part inflated under one
    budget of MAX_UNZIPPED real bytes, XML parts counted (elements, paragraphs) before any tree is
    built; other parts (images, embedded files: never read for text) are passed on empty."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedDocument("这是加密（设有密码）的或旧版 .doc 文档，请另存为不加密的 .docx 后再导入")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise UnsupportedDocument("Word 文件已损坏或不是 .docx 格式") from e
    parts: dict[str, bytes] = {}  # a repeated name keeps its last copy, as zipfile reads it
    counts = {"elements": 0, "paragraphs": 0}
    budget = MAX_UNZIPPED
    with zf:
        if any(
            info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in zf.infolist()
        ):
            # zipfile inflates bzip2 and lzma without a bound per read: 37 KB can become 300 MB at once
            raise UnsupportedDocument("Word 文件使用了 Word 不会使用的压缩方式（疑似压缩炸弹），已拒绝")
        for info in zf.infolist():
            if info.is_dir():
                continue
            is_xml = info.filename.lower().endswith((".xml", ".rels"))
            parts[info.filename], size = _inflate(zf, info, budget, counts if is_xml else None)
            budget -= size
    if "word/document.xml" not in parts:
        raise UnsupportedDocument("Word 文件已损坏或不是 .docx 格式（缺少正文）")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
        for name, blob in parts.items():
            rebuilt.writestr(name, blob)
    return out.getvalue()


def _style_names(document) -> tuple[dict[str, str], str]:
    """Paragraph style id -> UI name, and the default paragraph style's name, once per document.

    The same resolution as python-docx's `Paragraph.style` (first style with the id; a missing id or
    one of another type means the last default paragraph style), which costs two scans of every
    style per paragraph: 33 s for 20,000 empty paragraphs (issue 17)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.styles import BabelFish

    first: dict[str, object] = {}
    default = None
    for style in document.styles.element.style_lst:
        if style.styleId is not None:
            first.setdefault(style.styleId, style)
        if style.type == WD_STYLE_TYPE.PARAGRAPH and style.default:
            default = style

    def name(style) -> str:
        return BabelFish.internal2ui(style.name_val) if style is not None and style.name_val else ""

    default_name = name(default)
    by_id = {
        style_id: name(style) if style.type == WD_STYLE_TYPE.PARAGRAPH else default_name
        for style_id, style in first.items()
    }
    return by_id, default_name


def read_docx(data: bytes) -> str:
    """Paragraphs and table cells of a .docx, in document order, one paragraph a line."""
    return read_docx_layout(data)[0]


def _paragraph_layout(block, style: str, text: str, offset: int, layout: dict) -> None:
    """Record a heading style (level) or a bold run opening the paragraph (lead phrase end)."""
    lead = len(text) - len(text.lstrip())
    start = offset + lead
    m = _HEADING_STYLE.match(style)
    if m:
        layout["headings"][start] = int(m.group(1))
        return
    bold = []
    for run in block.runs:
        if run.bold:
            bold.append(run.text)
        elif run.text.strip():
            break
    prefix = "".join(bold).strip()
    body = text.strip()
    if not prefix or not body.startswith(prefix):
        return
    if len(prefix) == len(body):
        if len(body) <= 40:  # a short paragraph typed all in bold is a heading without a style
            layout["headings"][start] = 9
        return
    layout["leads"][start] = start + len(prefix)


def read_docx_layout(data: bytes) -> tuple[str, dict]:
    """The text of a .docx and its layout: {"headings": {offset: level}, "leads": {offset: end}}.

    Nothing is inflated or parsed unchecked: sizes are counted on the real bytes, paragraphs and
    elements before python-docx builds its tree; parser and memory errors become one refusal."""
    _check_size(data)
    import docx  # python-docx, imported here so reading .txt stays fast
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import LxmlError

    try:
        document = docx.Document(io.BytesIO(_checked_docx(data)))
        style_by_id, default_style = _style_names(document)
        lines: list[str] = []
        layout: dict = {"headings": {}, "leads": {}}
        offset = [0]

        def walk(container) -> None:
            for block in container.iter_inner_content():
                if isinstance(block, Table):
                    for row in block.rows:
                        seen = set()
                        for cell in row.cells:
                            if id(cell._tc) in seen:  # merged cells repeat
                                continue
                            seen.add(id(cell._tc))
                            walk(cell)
                else:
                    text = block.text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
                    style_id = block._p.style  # w:pPr/w:pStyle/@w:val
                    style = style_by_id.get(style_id, default_style) if style_id else default_style
                    _paragraph_layout(block, style, text, offset[0], layout)
                    lines.append(text)
                    offset[0] += len(text) + 1

        walk(document)
    except MemoryError as e:
        raise UnsupportedDocument("Word 文件过于庞大，读取时内存不足，已拒绝") from e
    except (
        PackageNotFoundError, KeyError, ValueError, TypeError, AttributeError, IndexError, RecursionError,
        zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, OSError,
        zlib.error, LxmlError,
    ) as e:  # fmt: skip
        raise UnsupportedDocument("Word 文件已损坏，无法读取") from e
    text = "\n".join(lines)  # cleaned paragraph by paragraph, so the layout's offsets hold
    if not text.strip():
        raise UnsupportedDocument("Word 文件里没有文字")
    return text, layout


def read_pdf(data: bytes) -> str:
    """The text layer of a .pdf; scanned (image-only) or (cid:N)-garbled files are refused.

    Pages are counted (up to MAX_PAGES + 1) before any is laid out; whatever pdfminer raises, and a
    memory error, becomes one refusal (issue 17)."""
    _check_size(data)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnsupportedDocument("PDF 文件已损坏或不是 PDF 格式")
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with inflation_budget(MAX_PDF_INFLATED), pdfplumber.open(io.BytesIO(data)) as pdf:
            if sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), MAX_PAGES + 1)) > MAX_PAGES:
                raise UnsupportedDocument(f"PDF 页数过多（超过 {MAX_PAGES} 页），不像一份工作报告，已拒绝")
            pages = [page.extract_text() or "" for page in pdf.pages]
    except PDFEncryptionError as e:
        raise UnsupportedDocument("PDF 文件设有密码，无法读取") from e
    except PdfminerException as e:  # pdfplumber wraps whatever pdfminer raised while opening
        cause = e.args[0] if e.args else e
        if isinstance(cause, UnsupportedDocument):
            raise cause from None
        if isinstance(cause, PDFEncryptionError):
            raise UnsupportedDocument("PDF 文件设有密码，无法读取") from e
        raise UnsupportedDocument("PDF 文件已损坏，无法读取") from e
    except MemoryError as e:
        raise UnsupportedDocument("PDF 文件过于庞大，读取时内存不足，已拒绝") from e
    except (
        PSException, ValueError, KeyError, TypeError, IndexError, AttributeError, RuntimeError, EOFError,
        OSError, zlib.error, AssertionError,
    ) as e:  # fmt: skip
        raise UnsupportedDocument("PDF 文件已损坏，无法读取") from e
    text = _clean("\n".join(pages))
    if not text.strip():
        raise UnsupportedDocument("PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）或提供 .docx/.txt")
    cids = len(_CID.findall(text))
    if cids and cids * 6 > len(text) * 0.2:
        raise UnsupportedDocument("PDF 的字体缺少 Unicode 映射，提取出的是乱码（cid），请提供 .docx 或 .txt")
    return text


def _without_layout(reader: Callable[[bytes], str]) -> Callable[[bytes], tuple[str, None]]:
    def read(data: bytes) -> tuple[str, None]:
        return reader(data), None

    read.__doc__ = reader.__doc__
    return read


# every file type's reader returns (text, layout): the layout (heading styles, bold lead runs) for .docx,
# None for types that have none. Reading goes through this table and nothing else.
READERS: dict[str, Callable[[bytes], tuple[str, dict | None]]] = {
    ".txt": _without_layout(read_text),
    ".docx": read_docx_layout,
    ".pdf": _without_layout(read_pdf),
}


def read_document(data: bytes, filename: str) -> str:
    """Decode a document's bytes by its file type; only the filename's suffix matters."""
    return read_document_layout(data, filename)[0]


def read_document_layout(data: bytes, filename: str) -> tuple[str, dict | None]:
    """Text and, for .docx, its layout (heading styles, bold lead runs); None for other types."""
    name = str(filename).replace("\\", "/")
    suffix = PurePath(name.rsplit("/", 1)[-1]).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        kinds = "、".join(READERS)
        raise UnsupportedDocument(f"不支持的文件类型“{suffix or '无扩展名'}”，请上传 {kinds} 文件")
    return reader(data)


def read_path(path: str | Path) -> str:
    """Read a document from disk (size checked before reading it whole)."""
    return read_path_layout(path)[0]


def read_file(path: str | Path) -> bytes:
    """A document's bytes from disk, its size checked before it is read whole."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise UnsupportedDocument(
                f"文件太大（{size / 1024 / 1024:.1f} MB），上限为 {MAX_BYTES // 1024 // 1024} MB"
            )
        return p.read_bytes()
    except FileNotFoundError as e:
        raise UnsupportedDocument(f"找不到文件：{p}") from e
    except IsADirectoryError as e:
        raise UnsupportedDocument(f"这是一个文件夹，不是文件：{p}") from e
    except PermissionError as e:
        raise UnsupportedDocument(f"没有权限读取文件：{p}") from e


def read_path_layout(path: str | Path) -> tuple[str, dict | None]:
    """Read a document and its layout from disk (size checked before reading it whole)."""
    return read_document_layout(read_file(path), Path(path).name)
