"""Pass 2: the numbered (or, in a .docx, styled) headings of each part, and the blocks of lines
under them from which items are read."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.model import PLAN, Section
from tracker.parse.lines import Line, heading, numbering, styled_heading
from tracker.parse.parts import Segment


@dataclass
class Block:
    part: str
    section: int  # level-1 section number, 0 when none
    heading: Section | None
    paras: list[Line]
    appendix: bool = False


@dataclass
class Sections:
    sections: list[Section] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def find_sections(text: str, lines: list[Line], segments: list[Segment], styled: dict[int, int]) -> Sections:
    """Sections and blocks of every segment; styled maps a line's offset to its heading level."""
    out = Sections()
    for seg in segments:
        if seg.appendix:
            _appendix_blocks(lines, seg, out)
        else:
            _part_blocks(text, lines, seg, styled, out)
    return out


def _part_blocks(text: str, lines: list[Line], seg: Segment, styled: dict[int, int], out: Sections) -> None:
    styles: list[str] = []  # numbering styles in order of first use: their levels
    counts: dict[str, int] = {}  # sections seen per styled (unnumbered) heading level
    level1 = 0
    out.blocks.append(Block(seg.part, 0, None, []))
    for idx in seg.rows:
        line = lines[idx]
        head = heading(line, False)
        if head is None and line.start in styled and len(line.text) <= 60:
            head = styled_heading(line, styled[line.start], styles, counts)
        if not head:
            out.blocks[-1].paras.append(line)
            continue
        style, n, title, tstart = head
        if style not in styles:
            styles.append(style)
        level = styles.index(style) + 1
        if level == 1:
            level1 = n
        sec = Section(seg.part, n, title, level=level, start=tstart)
        out.sections.append(sec)
        out.blocks.append(Block(seg.part, level1, sec, []))
        body = text[tstart + len(title) : line.end].lstrip("。")
        if body.strip():  # 1．全力抓好重大项目建设。年内…: the heading's line goes on
            bstart = line.end - len(body)
            out.blocks[-1].paras.append(Line(bstart, line.end, text[bstart : line.end]))


def _appendix_blocks(lines: list[Line], seg: Segment, out: Sections) -> None:
    out.blocks.append(Block(PLAN, 0, None, [], appendix=True))
    for idx in seg.rows:
        line = lines[idx]
        head = heading(line, True)
        if not head:
            out.blocks[-1].paras.append(line)
            continue
        style, n, title, tstart = head
        nxt = numbering(lines[idx + 1].text) if idx + 1 < len(lines) else None
        if "。" not in line.text and len(title) <= 20 and nxt and nxt[0] != style:
            # 一、教育民生实事 over 1.新建公办幼儿园20所: a category of entries, not an entry
            out.sections.append(Section(PLAN, n, title, level=1, start=tstart))
            continue
        out.blocks.append(Block(PLAN, 0, None, [line], appendix=True))
