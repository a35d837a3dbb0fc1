"""How a Word document for officials looks (GB/T 9704 and the habits of a 通报): Chinese fonts and sizes,
the A4 page and margins, tables and paragraphs, and charts drawn as images for the text width (by
Chromium through kaleido). `word_brief` says what goes into the brief; this module only lays it out.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋", "黑体", "黑体"
PAGE = (210, 297)  # A4, mm
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm, GB/T 9704
TEXT_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]  # mm
PRINT_WIDTH, PRINT_FONT_SIZE = 640, 16  # px: an image the text width of A4 (156 mm) with ~11 pt type
TABLE_PT = 12  # 小四
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def set_fonts(doc) -> None:
    """Fonts for Chinese text: python-docx's font.name reaches only Latin text, so eastAsia too.
    Sizes as in official documents: body 三号 (16 pt) 仿宋, title 二号 (22 pt), headings 三号 黑体."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for style_name, font, size in (
        ("Normal", BODY_FONT, 16),
        ("Title", TITLE_FONT, 22),
        ("Heading 1", HEADING_FONT, 16),
        ("Heading 2", HEADING_FONT, 16),
        ("Caption", BODY_FONT, 12),
        ("Table Grid", BODY_FONT, TABLE_PT),
    ):
        style = doc.styles[style_name]
        style.font.name = font
        style.font.size = Pt(size)
        if style_name != "Normal" and style_name != "Table Grid":
            style.font.color.rgb = RGBColor(0, 0, 0)  # the template's headings are blue
            style.font.bold = style_name != "Caption"
            style.font.italic = False
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
        rfonts.set(qn("w:eastAsia"), font)
    title = doc.styles["Title"]
    title.paragraph_format.alignment = 1  # centred
    border = title.element.pPr.find(qn("w:pBdr")) if title.element.pPr is not None else None
    if border is not None:  # the template underlines the title with a blue rule
        title.element.pPr.remove(border)


def set_page(doc) -> None:
    """A4 with the margins of GB/T 9704 (党政机关公文格式) on every section."""
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])


def add_table(doc, frame: pd.DataFrame) -> None:
    """A table of the frame: bold header repeated on every page, columns as wide as their text needs."""
    from docx.shared import Mm, Pt

    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.autofit = False
    for cell, header in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    texts = [
        ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in row]
        for row in frame.itertuples(index=False)
    ]
    for row in texts:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    # width by the longest text of each column (a long task title gets room, a light's word little)
    weights = [
        min(24, max([len(str(h))] + [len(r[i]) for r in texts])) + 2 for i, h in enumerate(frame.columns)
    ]
    for i, column in enumerate(table.columns):
        width = Mm(TEXT_WIDTH * weights[i] / sum(weights))
        column.width = width
        for cell in column.cells:
            cell.width = width
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.first_line_indent = Pt(0)
                for run in para.runs:
                    run.font.size = Pt(TABLE_PT)
    doc.add_paragraph()  # a table followed directly by a heading runs into it


def _repeat_header(row) -> None:
    """The header row repeats at the top of every page a long table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def paragraph(doc, text: str, indent: bool = True, style: str | None = None, centred: bool = False):
    from docx.shared import Pt

    para = doc.add_paragraph(text, style=style)
    if indent:
        para.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    if centred:
        para.alignment = 1
    return para


# --- charts as images for print ---------------------------------------------------------------


def find_browser() -> str | None:
    """The Chrome/Chromium kaleido can drive: $BROWSER_PATH, else the first one on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).is_file():
        return env
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def render_png(figures: list[go.Figure], browser: str, width: int = PRINT_WIDTH) -> list[bytes]:
    """PNG images of the figures, all drawn in one browser session (about 1-2 s an image)."""
    import kaleido

    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"chart{i}.png" for i in range(len(figures))]
        specs = [
            {
                "fig": fig,
                "path": path,
                "opts": {"format": "png", "width": width, "height": fig.layout.height or 450, "scale": 2},
            }
            for fig, path in zip(figures, paths, strict=True)
        ]
        kaleido.write_fig_from_object_sync(specs, kopts={"path": browser})
        return [p.read_bytes() for p in paths]


def for_print(fig: go.Figure) -> go.Figure:
    """The figure as drawn for A4: type that reads as about 11 pt once the image fills the text width."""
    printed = go.Figure(fig)
    # the caption under the image names the chart: no title inside it, less room above the plot
    printed.update_layout(
        font={"size": PRINT_FONT_SIZE},
        paper_bgcolor="white",
        title={"text": ""},
        margin={"t": 50},
        height=max(200, (fig.layout.height or 450) - 30),
    )
    return printed
