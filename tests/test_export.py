"""Exports (issue 7): the workbook, the Word brief (with and without a browser) and the year-end draft."""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from tracker import cli, export, progress, review_draft, store, word_brief
from tracker.model import LIGHT_COLOURS, LIGHT_LABELS

AS_OF = date(2023, 7, 1)
FIRST = export.HEADER_ROW + 1  # a sheet's first data row, under the title block and the header


def category(db, rid, part: str) -> str:
    return next(m["id"] for m in store.report_metrics(db, rid, "review") if part in m["activity"])


def goal(db, rid, part: str) -> str:
    return next(m["id"] for m in store.report_metrics(db, rid, "plan") if part in m["activity"])


def item(db, rid, title: str) -> str:
    return next(it["id"] for it in store.report_items(db, rid) if it["title"] == title)


@pytest.fixture
def logged(db, seeded, users) -> str:
    """The sample with a few things done in 2023: activities logged, a goal's progress, a tick, an owner."""
    staff = users["staff"]
    store.record(db, staff, "activity", category(db, seeded, "主题党日"), amount=40, date="2023-03-01")
    store.record(db, staff, "activity", category(db, seeded, "主题党日"), amount=2, date="2023-06-01")
    store.record(db, staff, "activity", category(db, seeded, "专题议政性常委会"), amount=4, date="2023-05-10")
    store.record(db, staff, "activity", category(db, seeded, "专题协商"), amount=9, date="2023-06-20")
    wrong = store.record(db, staff, "activity", category(db, seeded, "专题协商"), amount=5, date="2023-06-21")
    store.record(db, staff, "undo", wrong)
    store.record(
        db, staff, "activity", category(db, seeded, "专题协商"), amount=3, date="2022-12-30"
    )  # last year
    store.record(db, staff, "progress", goal(db, seeded, "委员工作室"), amount=3, date="2023-05-10")
    # a tick carries its effective date (issue 12): without one it would be today, after AS_OF
    store.record(db, staff, "status", item(db, seeded, "拓展协商议政形式"), value="已完成", date="2023-06-15")
    store.record(db, staff, "owner", item(db, seeded, "强化民主监督质效"), value="提案委")
    return seeded


def test_workbook_has_four_sheets_with_chinese_headers_widths_dates_and_rows(db, logged):
    wb = openpyxl.load_workbook(io.BytesIO(export.workbook(db, logged, AS_OF)))
    assert ["概况", "任务", "数字目标", "活动记录", "历史"] == wb.sheetnames
    summary = dict(wb["概况"].iter_rows(min_row=2, values_only=True))
    assert {"统计截至": "2023-07-01", "计划任务": 12, "已完成": 1, "完成率": "8%"}.items() <= summary.items()

    tasks = wb["任务"]
    assert [
        "部分",
        "部分标题",
        "任务",
        "状态",
        "当前状态",
        "亮灯",
        "目标完成度",
        "牵头单位",
        "配合单位",
        "截止日期",
        "最近更新（北京时间）",
    ] == [c.value for c in tasks[export.HEADER_ROW]]
    assert export.HEADER_ROW + 12 == tasks.max_row  # title block, header, the sample's 12 commitments
    assert 36 == tasks.column_dimensions["C"].width
    rows = {r[2]: r for r in tasks.iter_rows(min_row=FIRST, values_only=True)}
    done = rows["拓展协商议政形式"]
    assert (2, "已完成", "已完成", "已完成") == (done[0], done[3], done[4], done[5])
    assert datetime(2023, 12, 31) == done[9]
    assert isinstance(done[10], datetime)
    assert "提案委" == rows["强化民主监督质效"][7]
    assert 0.3 == rows["畅通民意沟通渠道"][6]
    assert "yyyy-mm-dd" == tasks[f"J{FIRST}"].number_format

    goals = list(wb["数字目标"].iter_rows(min_row=FIRST, values_only=True))
    assert [("建设委员工作室", "累计", 10, "家", 3, 0.3), ("全员集中培训", "累计", 2, "次", 0, 0)] == [
        (g[0], g[1], g[3], g[4], g[6], g[8]) for g in goals
    ]

    log = list(wb["活动记录"].iter_rows(min_row=FIRST, values_only=True))
    assert 7 == len(log)  # six entries and the undo
    first = log[0]
    assert ("开展集中学习、主题党日等活动", "次", datetime(2023, 3, 1), 40, "xiaowang") == (
        first[1],
        first[2],
        first[3],
        first[4],
        first[6],
    )
    wrong = next(e for e in store.events_for(db, report_id=logged, actions=("activity",)) if e["undone_by"])
    assert [f"已被 #{wrong['undone_by']} 撤销", f"撤销 #{wrong['id']}"] == [r[8] for r in log if r[8]]

    history = list(wb["历史"].iter_rows(min_row=FIRST, values_only=True))
    actions = [r[4] for r in history]
    assert "导入报告" == actions[0]
    assert ["状态", "牵头单位"] == actions[-2:]
    assert ("拓展协商议政形式", "未开始", "已完成") == history[-2][3:4] + history[-2][5:7]


def test_workbook_sheets_have_a_title_block_coloured_lights_and_print_setup(db, logged):
    """Issue 14: title, organisation, 统计截至 on every sheet; lights coloured; A4 landscape, fit to width."""
    wb = openpyxl.load_workbook(io.BytesIO(export.workbook(db, logged, AS_OF)))
    report = store.get_report(db, logged)
    org = export.org_name(report)
    for ws in wb.worksheets:
        assert f"{org}2023年工作安排落实台账（{ws.title}）" == ws["A1"].value
        assert f"单位：{org}　　计划年度：2023年" == ws["A2"].value
        assert ws["A3"].value.startswith("统计截至：2023年7月1日　　生成时间：")
        assert "landscape" == ws.page_setup.orientation
        assert str(ws.PAPERSIZE_A4) == str(ws.page_setup.paperSize)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert 1 == ws.page_setup.fitToWidth and 0 == ws.page_setup.fitToHeight
        assert f"${export.HEADER_ROW}:${export.HEADER_ROW}" == ws.print_title_rows
        assert f"A{FIRST}" == ws.freeze_panes
        assert ws.auto_filter.ref.startswith(f"A{export.HEADER_ROW}:")
    tasks = wb["任务"]
    light_col = 6
    colours = {}
    for row in tasks.iter_rows(min_row=FIRST, min_col=light_col, max_col=light_col):
        colours[row[0].value] = row[0].fill.fgColor.rgb
    expected = {
        label: "FF" + LIGHT_COLOURS[light].lstrip("#").upper() for light, label in LIGHT_LABELS.items()
    }
    assert colours and all(expected[label] == rgb for label, rgb in colours.items())
    assert "已完成" in colours and "滞后" in colours


def test_workbook_events_read_as_chinese_not_raw_values(db, logged):
    """Issue 14: the import event's 新值 showed a raw "filename=…"."""
    wb = openpyxl.load_workbook(io.BytesIO(export.workbook(db, logged, AS_OF)))
    history = list(wb["历史"].iter_rows(min_row=FIRST, values_only=True))
    assert "导入文件“cppcc-city-2022.txt”：条目" in history[0][6]
    for row in history:
        assert "filename=" not in str(row[5]) + str(row[6])
        assert "{" not in str(row[5]) + str(row[6])


def test_workbook_writes_formula_like_text_as_text(db, logged, users):
    """Issue 17 #2: a note, owner or section title =HYPERLINK(...) became a live formula on every sheet."""
    attack = '=HYPERLINK("http://x","x")'
    staff = users["staff"]
    target = item(db, logged, "畅通民意沟通渠道")  # the item of the goal 建设委员工作室
    store.record(db, staff, "owner", target, value=attack)
    store.record(db, staff, "note", target, note="+1+2")
    store.record(
        db, staff, "activity", category(db, logged, "专题协商"), amount=1, date="2023-06-22", note=attack
    )
    store.record(
        db, staff, "progress", goal(db, logged, "委员工作室"), amount=1, date="2023-06-22", note="@SUM(1)"
    )
    with db.conn:
        db.execute("UPDATE items SET section_title = ? WHERE report_id = ?", ["-" + attack, logged])
    data = export.workbook(db, logged, AS_OF)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [] == [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {attack, "-" + attack} <= texts
    assert all(c.quotePrefix for c in cells if c.value in (attack, "-" + attack))
    sheets = {ws.title for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == attack}
    assert {"任务", "数字目标", "活动记录", "历史"} == sheets
    assert b"<f>" not in _sheet_xml(data)


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_file_names_carry_organisation_year_and_date(db, logged):
    report = store.get_report(db, logged)
    org = export.org_name(report)
    assert f"{org}2023落实台账_2023-07-01.xlsx" == export.file_name(report, "xlsx", AS_OF)
    assert f"{org}2023落实情况简报_2023-07-01.docx" == export.file_name(report, "docx", AS_OF)
    odd = dict(report, org='某/区:政协"*')
    assert "某_区_政协_2023落实台账_2023-07-01.xlsx" == export.file_name(odd, "xlsx", AS_OF)


def test_brief_without_charts_gives_tables_and_never_mentions_a_browser(db, logged):
    doc = docx.Document(io.BytesIO(word_brief.brief(db, logged, AS_OF, browser=None)))
    text = [p.text for p in doc.paragraphs]
    org = word_brief.report_name(store.get_report(db, logged))
    assert f"{org}2023年工作安排落实情况简报" == text[0]
    assert org == text[1]
    assert text[2].startswith("统计截至 2023年7月1日")
    assert (
        "截至7月1日，12项工作任务已完成1项，正常推进0项，需关注9项，滞后2项，已超期0项，完成率8%。" in text[4]
    )
    assert not any("浏览器" in t for t in text)  # issue 14: none was asked for
    assert [] == list(doc.inline_shapes)
    captions = [t for t in text if t.startswith("表")]
    assert [
        "表1　各部分完成情况",
        "表2　亮灯情况",
        "表3　完成进度（累计）",
        "表4　数字目标完成情况",
        "表5　活动数量同比（上年 / 今年）",
    ] == captions
    lights, behind, sections, _lights, cumulative = doc.tables[:5]
    assert [["亮灯", "任务数", "占比"]] + [[label, str(n), f"{n / 12:.0%}"] for label, n in [
        ("已完成", 1), ("正常", 0), ("关注", 9), ("滞后", 2), ("已超期", 0)
    ]] == [[c.text for c in r.cells] for r in lights.rows]  # fmt: skip
    assert ["二、以更高质量的协商议政,围绕中心大局“献良策”", "3", "1", "33%"] == [
        c.text for c in sections.rows[2].cells
    ]
    # issue 14: "完成进度（累计）" came out as a bare header; now one row a month up to the as-of date
    assert ["月份", "当月完成", "累计完成", "均衡进度"] == [c.text for c in cumulative.rows[0].cells]
    assert ["7月", "0", "1", "7"] == [c.text for c in cumulative.rows[-1].cells]  # ticked with effect 15 June
    assert 8 == len(cumulative.rows)
    assert ["部分", "任务", "状态", "亮灯", "牵头单位", "截止日期"] == [c.text for c in behind.rows[0].cells]
    owners = {r.cells[1].text: r.cells[4].text for r in behind.rows[1:]}
    assert "提案委" == owners["强化民主监督质效"]
    assert "未指定" == owners["坚持党的领导不动摇"]
    assert ["滞后", "滞后"] == [r.cells[3].text for r in behind.rows[1:3]]  # the worst first
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert "仿宋" == normal.get(qn("w:eastAsia"))
    assert "黑体" == doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia"))


def test_brief_is_a4_with_official_margins_and_names_every_goal_in_words(db, logged):
    """Issue 14: the page was US Letter, and the numeric goals existed only inside images."""
    doc = docx.Document(io.BytesIO(word_brief.brief(db, logged, AS_OF, browser=None)))
    for section in doc.sections:
        assert (210, 297) == (round(section.page_width.mm), round(section.page_height.mm))
        assert (37, 35, 28, 26) == tuple(
            round(m.mm)
            for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        )
    text = [p.text for p in doc.paragraphs]
    assert "1. 建设委员工作室目标10家，已完成3家，完成30%，序时进度50%，滞后。" in text
    assert "2. 全员集中培训目标2次，已完成0次，完成0%，序时进度50%，滞后。" in text
    assert "2项数字目标中，0项达到序时进度。" in text[4]


def test_brief_says_once_when_charts_are_asked_and_there_is_no_browser(db, logged, monkeypatch):
    monkeypatch.setattr(word_brief, "find_browser", lambda: None)
    doc = docx.Document(io.BytesIO(word_brief.brief(db, logged, AS_OF, browser="auto")))
    said = [p.text for p in doc.paragraphs if "浏览器" in p.text]
    assert ["本机未找到可用的浏览器（Chromium），无法生成图表图片，以下以表格列出图表数据。"] == said
    assert 5 == len([p for p in doc.paragraphs if p.text.startswith("表")])


def _unwrap(label: str) -> str:
    import html

    return html.unescape(label.replace("<br>", ""))


def test_brief_chart_labels_are_whole(db, logged):
    """Issue 14: the images cut goal, section and category names to "…"; the figures hold them whole."""
    from tracker import service

    ov = service.overview(db, logged, AS_OF)
    expected = {
        "sections": [
            f"{s}. {t}" for s, t in zip(ov.by_section["section"], ov.by_section["section_title"], strict=True)
        ],
        "goals": [
            f"{a}（{t:g}{u}）"
            for a, t, u in zip(ov.goals["activity"], ov.goals["target"], ov.goals["unit"], strict=True)
        ],
        "yoy": progress.counted_categories(ov.yoy)[0]["category"].tolist(),
    }
    for name, labels in expected.items():
        shown = [_unwrap(y) for fig in word_brief.CHARTS[name].printed(ov, AS_OF) for y in fig.data[0].y]
        assert labels == shown, name
        for fig in word_brief.CHARTS[name].printed(ov, AS_OF):
            assert fig.layout.yaxis.automargin and fig.layout.xaxis.automargin
            assert "Noto Sans CJK SC" in fig.layout.font.family
            assert not any("…" in y for trace in fig.data for y in trace.y)
    # the 27 categories: those with a figure drawn (one image on A4), the rest named in one line
    counted, unknown = progress.counted_categories(ov.yoy)
    assert (6, 21) == (len(counted), len(unknown))
    assert 1 == len(word_brief.CHARTS["yoy"].printed(ov, AS_OF))
    words = word_brief.CHARTS["yoy"].words(ov, AS_OF)
    assert f"另有{len(unknown)}个类别上年数未公开、今年尚未登记：" in words


def test_brief_with_chromium_embeds_the_charts_as_images_with_their_figures_in_text(db, logged):
    browser = word_brief.find_browser()
    if browser is None:  # CI installs Debian's chromium (.ci/run); a bare machine may lack it
        pytest.skip("no Chromium on this machine")
    data = word_brief.brief(
        db, logged, AS_OF, browser=browser, chart_names=["sections", "lights", "goals"]
    )  # 3 images: slow
    doc = docx.Document(io.BytesIO(data))
    assert 3 <= len(doc.inline_shapes)
    text = [p.text for p in doc.paragraphs]
    assert ["图1　各部分完成情况", "图2　亮灯情况", "图3　数字目标完成情况"] == [
        t for t in text if t.startswith("图")
    ]
    after = {t: text[i + 1] for i, t in enumerate(text) if t.startswith("图")}
    assert after["图2　亮灯情况"] == "亮灯情况：已完成1项，正常0项，关注9项，滞后2项，已超期0项。"
    assert after["图3　数字目标完成情况"].startswith("数字目标：建设委员工作室3/10家（完成30%，序时进度50%）")
    assert not any("浏览器" in t for t in text)
    blobs = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert all(b.startswith(b"\x89PNG") for b in blobs)
    text_width = 210 - 28 - 26
    assert all(text_width == round(shape.width.mm) for shape in doc.inline_shapes)


def test_draft_reads_as_the_review_would(db, logged):
    draft = review_draft.draft(db, logged, today=date(2023, 12, 31))
    lines = draft.splitlines()
    assert [
        "2023年工作回顾（草稿）",
        "根据本系统登记的2023年活动数量生成（截至2023-12-31），请核实、补充后修改使用。",
        "",
        "一、把牢政治方向,始终坚持和切实加强党的全面领导",
        "全年开展集中学习、主题党日等活动42次。",
        "",
        "二、聚焦中心工作,认真履行和充分发挥协商议政职责",
        "全年召开专题议政性常委会4次，进行专题协商9次。",
        "",
    ] == lines[:9]
    assert lines[9].startswith("以下类别今年没有登记数量，请核实是否开展：")
    tail = draft[draft.index("附：") :].splitlines()
    assert "已完成1/3项：拓展协商议政形式。" == tail[4]
    assert "建设委员工作室3家（年度目标10家）。" == tail[7]


@pytest.mark.parametrize(
    ("quote", "activity", "unit", "value", "expected"),
    [
        (
            "全年开展集中学习、主题党日等活动39次",
            "开展集中学习、主题党日等活动",
            "次",
            42.0,
            "开展集中学习、主题党日等活动42次",
        ),
        ("参加听证和监督活动***余次", "参加听证和监督活动", "次", 12.0, "参加听证和监督活动12次"),
        ("遴选***件重点提案", "重点提案", "件", 15.0, "遴选15件重点提案"),
        (
            "委员们提出了100余条具有前瞻性的意见建议",
            "具有前瞻性的意见建议",
            "条",
            120.0,
            "委员们提出了120条具有前瞻性的意见建议",
        ),
        ("捐赠款物***余万元", "捐赠款物", "万元", 2.5, "捐赠款物2.5万元"),
        ("召开常委会三次", "召开常委会", "次", 4.0, "召开常委会4次"),
        ("没有数字的原文", "登记的类别", "次", 2.0, "登记的类别2次"),
    ],
)
def test_phrase_puts_the_logged_number_in_the_reviews_wording(quote, activity, unit, value, expected):
    assert expected == review_draft.phrase(quote, activity, unit, value)


def test_cli_export_writes_each_format(db, logged, tmp_path, capsys):
    for fmt in ("xlsx", "draft"):
        out = tmp_path / f"out.{fmt}"
        assert 0 == cli.main(
            ["export", "--report", logged, "--format", fmt, "--out", str(out), "--as-of", "2023-07-01"]
        )
    assert ["概况", "任务", "数字目标", "活动记录", "历史"] == openpyxl.load_workbook(
        tmp_path / "out.xlsx"
    ).sheetnames
    assert "全年召开专题议政性常委会4次，进行专题协商9次。" in (tmp_path / "out.draft").read_text("utf-8")
    out = tmp_path / "brief.docx"
    assert 0 == cli.main(["export", "--report", logged, "--format", "docx", "--out", str(out), "--no-charts"])
    paragraphs = [p.text for p in docx.Document(out).paragraphs]
    assert not any("浏览器" in t for t in paragraphs)  # issue 14: --no-charts asks for no browser
    assert any(t.startswith("表1　") for t in paragraphs)
    assert 2 == cli.main(
        ["export", "--report", "nope", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")]
    )
    assert "错误：找不到编号为 nope 的记录" in capsys.readouterr().err
