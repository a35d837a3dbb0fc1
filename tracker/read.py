"""File bytes -> text, for .txt (any Chinese encoding), .docx and .pdf: one reader per file type."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePath

from tracker.errors import UnsupportedDocument

MAX_BYTES = 20 * 1024 * 1024  # larger files are refused: no work report comes near this
MAX_UNZIPPED = 100 * 1024 * 1024  # a .docx that inflates beyond this is a zip bomb

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


def _decode_or_refuse(data: bytes, encoding: str) -> str:
    try:
        return _clean(data.decode(encoding))
    except UnicodeDecodeError as e:
        raise UnsupportedDocument(f"文件声明为 {encoding} 编码，但内容无法按该编码解码") from e


def _check_zip(data: bytes) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedDocument("这是加密（设有密码）的或旧版 .doc 文档，请另存为不加密的 .docx 后再导入")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(info.file_size for info in zf.infolist())
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise UnsupportedDocument("Word 文件已损坏或不是 .docx 格式") from e
    if total > MAX_UNZIPPED:
        raise UnsupportedDocument("Word 文件解压后过大（疑似压缩炸弹），已拒绝")
    if "word/document.xml" not in names:
        raise UnsupportedDocument("Word 文件已损坏或不是 .docx 格式（缺少正文）")


_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def read_docx(data: bytes) -> str:
    """Paragraphs and table cells of a .docx, in document order, one paragraph a line."""
    return read_docx_layout(data)[0]


def _paragraph_layout(block, text: str, offset: int, layout: dict) -> None:
    """Record a heading style (level) or a bold run opening the paragraph (lead phrase end)."""
    lead = len(text) - len(text.lstrip())
    start = offset + lead
    style = block.style.name if block.style is not None else ""
    m = _HEADING_STYLE.match(style or "")
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
    """The text of a .docx and its layout: {"headings": {offset: level}, "leads": {offset: end}}."""
    _check_size(data)
    _check_zip(data)
    import docx  # python-docx, imported here so reading .txt stays fast
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
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
                    _paragraph_layout(block, text, offset[0], layout)
                    lines.append(text)
                    offset[0] += len(text) + 1

        walk(document)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, XMLSyntaxError) as e:
        raise UnsupportedDocument("Word 文件已损坏，无法读取") from e
    text = "\n".join(lines)  # cleaned paragraph by paragraph, so the layout's offsets hold
    if not text.strip():
        raise UnsupportedDocument("Word 文件里没有文字")
    return text, layout


def read_pdf(data: bytes) -> str:
    """The text layer of a .pdf; scanned (image-only) or (cid:N)-garbled files are refused."""
    _check_size(data)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnsupportedDocument("PDF 文件已损坏或不是 PDF 格式")
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise UnsupportedDocument("PDF 文件设有密码，无法读取") from e
    except PdfminerException as e:  # pdfplumber wraps whatever pdfminer raised while opening
        cause = e.args[0] if e.args else e
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise UnsupportedDocument("PDF 文件设有密码，无法读取") from e
        raise UnsupportedDocument("PDF 文件已损坏，无法读取") from e
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as e:
        raise UnsupportedDocument("PDF 文件已损坏，无法读取") from e
    text = _clean("\n".join(pages))
    if not text.strip():
        raise UnsupportedDocument("PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）或提供 .docx/.txt")
    cids = len(_CID.findall(text))
    if cids and cids * 6 > len(text) * 0.2:
        raise UnsupportedDocument("PDF 的字体缺少 Unicode 映射，提取出的是乱码（cid），请提供 .docx 或 .txt")
    return text


READERS: dict[str, Callable[[bytes], str]] = {".txt": read_text, ".docx": read_docx, ".pdf": read_pdf}


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
    if suffix == ".docx":
        return read_docx_layout(data)
    return reader(data), None


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
