"""Evidence files (佐证材料) of progress reports: type by content, size, content address, safe names.

A file is accepted when its CONTENT is one of `KINDS` (pdf, docx, xlsx, jpg, png, txt), it is at most
`MAX_BYTES` (20 MB), and its name's extension, if any, agrees with the content (a .exe renamed .pdf,
a PNG named .pdf, a zip named .docx are refused). The check never inflates anything: docx and xlsx
are recognised from the zip's central directory (the entry names), which is all `zipfile` reads on
opening. A name without an extension gets the one its content has.

Wiring (second round):
- a `blobs` table (sha256 TEXT PRIMARY KEY, kind, size, data BLOB): `check(data, name)` then
  `INSERT OR IGNORE` by `Evidence.sha256`, so the same file is stored once however often attached;
- an `attachments` table (report_id, sha256, name): `Evidence.name` (already through `clean_name`);
- `report ITEM_ID --attach FILE` reads the file with `read.read_file` (bounded at 20 MB), calls
  `check` for every file before writing anything (one refused file refuses the report, nothing
  written), and the upload form does the same; `UnsupportedDocument` / `InvalidInput` messages are
  one Chinese line for `st.error` and the CLI;
- `evidence ITEM_ID --out DIR` calls `write_back([(name, data), ...], DIR)` and prints the paths;
  the page offers `st.download_button(data=..., file_name=name, mime=KINDS[kind].mime)`.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import InvalidInput, UnsupportedDocument

MAX_BYTES = 20 * 1024 * 1024  # per file, as the issue asks
MAX_NAME = 120  # characters of an original file name, extension included
MAX_NAME_BYTES = 240  # UTF-8 bytes of a name: under Linux's 255 with room for a "(12)" suffix
# a text file may have this share of characters that are neither printable nor layout (\t \n \r \f)
MAX_UNPRINTABLE = 0.01


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _zip_names(data: bytes) -> set[str]:
    """The entry names of a zip from its central directory (nothing is inflated); empty if not a zip."""
    if not data.startswith(b"PK\x03\x04"):
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return set()


def _is_docx(data: bytes) -> bool:
    names = _zip_names(data)
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_xlsx(data: bytes) -> bool:
    names = _zip_names(data)
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _mostly_printable(text)
    return False


# layout characters and the spaces Chinese text uses, which str.isprintable() counts as unprintable
_LAYOUT = "\t\n\r\f\u3000\u00a0"


def _mostly_printable(text: str) -> bool:
    plain = text
    for c in _LAYOUT:  # str.replace, not str.translate: translate is 50 times slower on Chinese text
        plain = plain.replace(c, "")
    if plain.isprintable():  # the common case, all in C: 20 MB in a tenth of a second
        return True
    # Cc control characters (bar layout ones), private use, unassigned and surrogates: what binary
    # data decoded by GB18030 (which maps nearly every byte pair to something) turns into
    bad = sum(1 for c in text if c not in "\t\n\r\f" and unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs"))
    return bad <= len(text) * MAX_UNPRINTABLE


@dataclass(frozen=True)
class Kind:
    """One accepted type: what it is called, its extensions (the first is canonical), its MIME type."""

    label: str
    extensions: tuple[str, ...]
    mime: str
    sniff: Callable[[bytes], bool]


# the registry: the order is the order of sniffing (text last: a PDF header alone is also ASCII)
KINDS: dict[str, Kind] = {
    "pdf": Kind("PDF", (".pdf",), "application/pdf", _is_pdf),
    "png": Kind("PNG 图片", (".png",), "image/png", _is_png),
    "jpg": Kind("JPG 图片", (".jpg", ".jpeg"), "image/jpeg", _is_jpeg),
    "docx": Kind(
        "Word 文档",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _is_docx,
    ),
    "xlsx": Kind(
        "Excel 表格",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _is_xlsx,
    ),
    "txt": Kind("文本", (".txt",), "text/plain; charset=utf-8", _is_text),
}
ALLOWED = "PDF、Word（.docx）、Excel（.xlsx）、JPG、PNG 图片或 TXT 文本"
_KIND_OF_EXTENSION = {ext: key for key, kind in KINDS.items() for ext in kind.extensions}

# what common refused files are, to say so in the refusal
_REFUSED_MAGIC = {
    b"MZ": "Windows 可执行程序",
    b"\x7fELF": "可执行程序",
    b"\xd0\xcf\x11\xe0": "旧版 .doc/.xls 文档",
    b"PK\x03\x04": "ZIP 压缩包",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
    b"\x1f\x8b": "gzip 压缩包",
    b"GIF8": "GIF 图片",
    b"BM": "BMP 图片",
    b"II*\x00": "TIFF 图片",
    b"MM\x00*": "TIFF 图片",
    b"{\\rtf": "RTF 文档",
}


@dataclass(frozen=True)
class Evidence:
    """An accepted file: the name to keep, its kind (a key of `KINDS`), size and sha256 address."""

    name: str
    kind: str
    size: int
    sha256: str

    @property
    def mime(self) -> str:
        return KINDS[self.kind].mime


def sha256(data: bytes) -> str:
    """The content address of a file: the hex sha256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


def sniff(data: bytes) -> str | None:
    """The kind the content is (a key of `KINDS`), or None."""
    return next((key for key, kind in KINDS.items() if kind.sniff(data)), None)


def check(data: bytes, name: str) -> Evidence:
    """Accept one evidence file or refuse it with a one-line Chinese `UnsupportedDocument`.

    The name goes through `clean_name` (InvalidInput when nothing usable is left); a name without an
    extension gets the content's.
    """
    shown = _shown(name)
    if not data:
        raise UnsupportedDocument(f"“{shown}”是空文件")
    if len(data) > MAX_BYTES:
        raise UnsupportedDocument(
            f"“{shown}”太大（{len(data) / 1024 / 1024:.1f} MB），每个佐证材料不超过 {MAX_BYTES // 1024 // 1024} MB"
        )
    kind = sniff(data)
    if kind is None:
        what = next((w for magic, w in _REFUSED_MAGIC.items() if data.startswith(magic)), "")
        seen = f"（看起来是{what}）" if what else ""
        raise UnsupportedDocument(f"“{shown}”的类型不受支持{seen}：佐证材料只能是 {ALLOWED}")
    clean = clean_name(name)
    ext = _split(clean)[1].lower()
    if not ext:
        clean = clean_name(clean + KINDS[kind].extensions[0])
    elif _KIND_OF_EXTENSION.get(ext) != kind:
        raise UnsupportedDocument(
            f"“{shown}”的扩展名 {ext} 与内容（{KINDS[kind].label}）不符：佐证材料只能是 {ALLOWED}"
        )
    return Evidence(clean, kind, len(data), sha256(data))


_UNSAFE_CHARS = set('/\\<>:"|?*')
_RESERVED = re.compile(r"(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\..*)?", re.IGNORECASE)


def _bad_char(c: str) -> bool:
    # control characters, format characters (a bidi override turns "报告\u202efdp.exe" into a name
    # that reads as a .pdf) and the characters Windows refuses in names
    return c in _UNSAFE_CHARS or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def is_safe_name(name: str) -> bool:
    """Whether a name can be written as is into a directory: one plain file name, no path in it.

    No path separators, no control or format characters, none of < > : " | ? *, no leading dot, no
    leading or trailing space, no trailing dot, not a Windows device name (CON, NUL, COM1...), at most
    `MAX_NAME` characters and `MAX_NAME_BYTES` bytes of UTF-8 (Linux allows 255 bytes, and 120 Chinese
    characters are 360). Chinese names are of course fine.
    """
    return (
        0 < len(name) <= MAX_NAME
        and len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
        and name == name.strip()
        and not name.startswith(".")
        and not name.endswith(".")
        and not any(_bad_char(c) for c in name)
        and not _RESERVED.fullmatch(name)
    )


def clean_name(name: str) -> str:
    """The name to keep for an uploaded file: its last path part, unsafe characters dropped or replaced
    by `_`, shortened to `MAX_NAME` characters / `MAX_NAME_BYTES` bytes with its extension kept;
    InvalidInput if nothing is left. The result always passes `is_safe_name`.

    Browsers on Windows may send `C:\\fakepath\\x.pdf`: only `x.pdf` is kept.
    """
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", str(name)))[-1]
    base = "".join("_" if c in _UNSAFE_CHARS else c for c in base if not _bad_char(c) or c in _UNSAFE_CHARS)
    base = base.strip().strip(". ").strip()
    stem, ext = _split(base)
    if not stem.strip(" ._"):
        raise InvalidInput(f"文件名“{_shown(name)}”无效，请改名后再上传")
    if _RESERVED.fullmatch(base):
        stem = "_" + stem
    return _fit(stem, ext)


# what counts as an extension: a few ASCII letters or digits, one letter at least ("2023.06.30会议纪要"
# has none; ".30会议纪要" is part of the name)
_EXTENSION = re.compile(r"\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,10}")


def _split(name: str) -> tuple[str, str]:
    """(stem, extension) of a file name; the extension "" when the last dotted part is not one."""
    stem, ext = os.path.splitext(name)
    return (stem, ext) if _EXTENSION.fullmatch(ext) else (name, "")


def _fit(stem: str, tail: str) -> str:
    """`stem + tail`, the stem shortened until it fits `MAX_NAME` characters and `MAX_NAME_BYTES` bytes."""
    while stem and (
        len(stem) + len(tail) > MAX_NAME
        or len((stem + tail).encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES
    ):
        stem = stem[:-1]
    return stem.rstrip(". ") + tail


def write_back(files: Iterable[tuple[str, bytes]], out_dir: str | Path) -> list[Path]:
    """Write `(name, data)` pairs into `out_dir` (created if missing) under their original names.

    A name taken by a different file becomes `名称(2).pdf`, `名称(3).pdf`...; a file already there with
    the same bytes is reused, so running it twice writes nothing new. Nothing is overwritten, nothing
    is written through a symlink, nothing outside `out_dir`: an unsafe stored name (a tampered or
    restored database) is cleaned first, or replaced by `佐证材料.<ext>`. Returns the paths, in order.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    root = out.resolve()
    written = []
    for name, data in files:
        stem, ext = _split(_writable_name(name, data))
        n = 1
        while True:
            candidate = stem + ext if n == 1 else _fit(stem, f"({n}){ext}")
            target = root / candidate
            if not is_safe_name(candidate) or target.parent != root:  # the last line of defence
                raise InvalidInput(f"文件名“{_shown(name)}”无效")
            if _same_file(target, data):
                break
            try:
                fd = os.open(
                    target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644
                )
            except FileExistsError:
                n += 1
                continue
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            break
        written.append(target)
    return written


def _writable_name(name: str, data: bytes) -> str:
    if is_safe_name(name):
        return name
    try:
        return clean_name(name)
    except InvalidInput:
        kind = sniff(data)
        return "佐证材料" + (KINDS[kind].extensions[0] if kind else ".bin")


def _same_file(path: Path, data: bytes) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    return path.stat().st_size == len(data) and path.read_bytes() == data


def _shown(name: str) -> str:
    """A file name fit to quote in a one-line message."""
    text = "".join(c for c in str(name) if not _bad_char(c) or c in "/\\")
    return text if len(text) <= 60 else text[:57] + "…"
