"""The genres a document may belong to: the work reports read here, and the look-alikes refused.

A work report's genre gives its canonical title (recognised from the words of its header). A
document of a refused genre speaks about a report, or in another form, and is refused with the
reason shown to the user. Adding a genre is one entry in GENRES and one fixture folder under
tests/fixtures/genres/ named by its key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from tracker.errors import NotAWorkReport
from tracker.parse.lines import Line

_ADDRESS = re.compile(r"各位(?:代表|委员|常委|同志)")
_YEARBOOK_HEAD = re.compile(r"^【[^】]{1,12}】")
_NEWS_BYLINE = re.compile(r"本报讯|本报记者|[（(]?记者\s*\S{1,4}|新华社|通讯员|[0-9０-９]日电|央视网消息")
_NEWS_THIRD_PERSON = re.compile(r"(?:工作)?报告(?:指出|提出|显示|明确|强调|称|要求|说|透露)")
_SPEECH_TITLE = re.compile(r"讲话(?:稿)?$|致辞$|^同志们")
_ORG = re.compile(r"([^\n—]{0,20}?(?:人民政府|国务院|常务委员会|委员会))")


@dataclass
class Clues:
    """What tells a document's form apart, read from its text and first lines."""

    text: str
    lines: list[Line]

    @cached_property
    def head(self) -> list[str]:
        return [line.text for line in self.lines[:6]]

    @cached_property
    def addressed(self) -> bool:
        """The text speaks to an assembly (各位代表/委员): a report delivered, not reported on."""
        return bool(_ADDRESS.search(self.text, 0, min(len(self.text), 3000)))

    def yearbook_heads(self) -> int:
        return sum(1 for line in self.lines[:80] if _YEARBOOK_HEAD.match(line.text))

    def news(self) -> bool:
        third_person = len(_NEWS_THIRD_PERSON.findall(self.text))
        return third_person >= 2 or bool(_NEWS_BYLINE.search("\n".join(self.head[:4])))

    def speech_title(self) -> bool:
        return not any("工作报告" in t for t in self.head[:3]) and any(
            _SPEECH_TITLE.search(t) for t in self.head
        )


@dataclass(frozen=True)
class Genre:
    key: str  # also the name of its fixture folder
    title: str = ""  # a work report's canonical title
    header: Callable[[str], bool] | None = None  # a work report's genre, from its header without blanks
    refusal: str = ""  # why a document of a refused genre is not read, shown to the user
    document: Callable[[Clues], bool] | None = None  # a refused genre, from the document's clues


def _cppcc(compact: str) -> bool:
    return "政治协商会议" in compact or "政协" in compact


def _standing(compact: str) -> bool:
    return "常务委员会" in compact or "常委会" in compact


# in the order they are tried: the first genre that recognises a document is its genre
GENRES: tuple[Genre, ...] = (
    Genre("cppcc_standing", "政协常务委员会工作报告", header=lambda c: _cppcc(c) and _standing(c)),
    Genre("cppcc", "政协工作报告", header=_cppcc),
    Genre(
        "npc_standing",
        "人民代表大会常务委员会工作报告",
        header=lambda c: bool(re.search(r"人民代表大会常务委员会|人大常委会", c)),
    ),
    Genre("government", "政府工作报告", header=lambda c: "政府工作报告" in c),
    Genre(
        "yearbook",
        refusal="看起来是年鉴条目（【概况】式的分条记述），不像一份工作报告",
        document=lambda d: d.yearbook_heads() >= 3,
    ),
    Genre(
        "news",
        refusal="看起来是关于报告的新闻报道（转述“报告指出/提出”），不像一份工作报告",
        document=lambda d: not d.addressed and d.news(),
    ),
    Genre(
        "speech",
        refusal="看起来是讲话稿（致“同志们”，没有工作安排部分），不像一份工作报告",
        document=lambda d: not d.addressed and d.speech_title(),
    ),
    # a work summary (工作总结) reviews a year and plans nothing: the parts pass refuses it
    Genre("summary", refusal="未找到工作安排部分（如“2023年工作安排”“今年工作任务”），不像一份工作报告"),
)
BY_KEY = {g.key: g for g in GENRES}


def refuse_other_genres(text: str, lines: list[Line]) -> None:
    """Raise NotAWorkReport for a document of a refused genre recognised from its form."""
    clues = Clues(text, lines)
    for genre in GENRES:
        if genre.document is not None and genre.document(clues):
            raise NotAWorkReport(genre.refusal)


def org_and_title(header: str) -> tuple[str, str]:
    """(title, org): the genre's title (else the header's own …工作报告) and the body reporting."""
    compact = re.sub(r"[\s\u3000]+", "", header)
    m = _ORG.search(header)
    org = m.group(1).strip(" —-") if m else ""
    for genre in GENRES:
        if genre.header is not None and genre.header(compact):
            return genre.title, org
    found = re.search(r"[^\n]{0,30}工作报告", header)
    return (found.group(0).strip() if found else ""), org
