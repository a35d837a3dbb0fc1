"""Reports of the genre the corpus lacks (tests/fixtures/genres/): layouts, numbers, refusals.

Each fixture is written the way offices type them; the expectations were written before the
extractor was changed, from what a reader of the report would tick off.
"""

import io

import pytest

from tracker.errors import NotAWorkReport
from tracker.extract import extract_document
from tracker.model import PLAN, REVIEW
from tracker.parse import GENRES, parse_report

from .conftest import (
    GENRE_FIXTURES,
    assert_no_quantity_on,
    assert_verbatim,
    genre_fixture_paths,
    load_genre_fixture,
    metric,
    shape,
    titles,
)

load = load_genre_fixture


# --- people's congress standing committee: unnumbered part headings, 一、 sections ----------------


def test_npc_standing_committee_parts_sections_and_tasks():
    r = load("npc-standing-city-2023.txt")
    assert (r.review_year, r.plan_year, r.report_date) == (2023, 2024, "2024-01-16")
    assert r.title == "人民代表大会常务委员会工作报告"
    assert [s.number for s in r.sections if s.part == REVIEW] == [1, 2, 3, 4, 5]
    plan_sections = [
        "突出重点领域，提高立法质量",
        "聚焦中心工作，增强监督实效",
        "尊重代表主体地位，提升代表工作水平",
        "全面加强自身建设",
    ]
    assert plan_sections == [s.title for s in r.sections if s.part == PLAN]
    assert plan_sections == titles(r, PLAN)  # tasks without lead phrases are items themselves
    assert [1, 2, 3, 4] == [i.section for i in r.items if i.part == PLAN]
    assert "2024-06-30" == r.items[[i.title for i in r.items].index("聚焦中心工作，增强监督实效")].due
    assert_verbatim(r)


def test_npc_standing_committee_activity_counts():
    r = load("npc-standing-city-2023.txt")
    assert (6, "次", False, None) == shape(metric(r, REVIEW, 6, "次", "常委会会议六次"))
    assert (12, "次", False, None) == shape(metric(r, REVIEW, 12, "次", "主任会议１２次"))
    assert "法规草案" in metric(r, REVIEW, 12, "件", "审议地方性法规草案12件").activity
    assert "专项工作报告" in metric(r, REVIEW, 8, "个").activity
    assert "执法检查" in metric(r, REVIEW, 5, "项", "开展执法检查5项").activity
    assert ["组织专题询问", "组织专题询问"] == [
        m.activity for m in r.metrics if (m.value, m.unit) == (1, "次")
    ]
    assert "代表建议" in metric(r, REVIEW, 312, "件").activity
    assert (200, "条", True, None) == shape(metric(r, REVIEW, 200, "条"))
    assert (136, "人次", False, None) == shape(metric(r, REVIEW, 136, "人次"))
    assert (3600, "人次", True, None) == shape(metric(r, REVIEW, 3600, "人次"))
    assert all(m.kind == "count" for m in r.metrics if m.part == REVIEW)


def test_npc_standing_committee_goals_and_traps():
    r = load("npc-standing-city-2023.txt")
    goals = sorted(shape(m) for m in r.metrics if m.part == PLAN)
    assert goals == sorted(
        [
            (10, "件", False, None),
            (9, "个", False, None),
            (4, "项", False, None),
            (2, "次", False, None),
            (10, "个", False, None),
            (100, "%", False, None),
            (95, "%", False, "min"),
            (6, "次", False, "min"),
        ]
    )
    assert all(m.kind == "target" and m.item is not None for m in r.metrics if m.part == PLAN)
    assert_no_quantity_on(r, ["第十六届", "第四次会议", "二十大", "“十四五”", "“三个一”", "2024年1月16日"])


# --- county government: 第一/第二 sections, plan announced as 2024年重点抓好以下工作 ---------------------


def test_county_government_plan_part_and_di_sections():
    r = load("county-gov-2024.txt")
    assert (r.review_year, r.plan_year) == (2023, 2024)
    assert r.title == "政府工作报告"
    assert ["项目建设提速增效", "乡村振兴扎实推进", "民生福祉持续增进"] == [
        s.title for s in r.sections if s.part == REVIEW
    ]
    plan = [
        "坚持项目为王，全力扩大有效投资",
        "坚持工业强县，加快产业转型升级",
        "坚持农业稳县，全面推进乡村振兴",
        "坚持民生为本，持续增进人民福祉",
        "坚持自我革命，全面加强政府自身建设",
    ]
    assert plan == [s.title for s in r.sections if s.part == PLAN]
    assert [1, 2, 3, 4, 5] == [s.number for s in r.sections if s.part == PLAN]
    assert plan == titles(r, PLAN)
    assert_verbatim(r)


def test_county_government_targets():
    r = load("county-gov-2024.txt")
    gdp = metric(r, PLAN, 6.5, "%", "地区生产总值增长6.5%左右")
    assert ((6.5, "%", True, None), "target") == (shape(gdp), gdp.kind)
    assert "地区生产总值" in gdp.activity
    assert (8, "%", False, "min") == shape(metric(r, PLAN, 8, "%"))
    assert (3500, "人", False, "min") == shape(metric(r, PLAN, 3500, "人"))
    assert (5.5, "%", False, None) == shape(metric(r, PLAN, 5.5, "%"))
    assert (7, "%", False, None) == shape(metric(r, PLAN, 7, "%", "5.5%和7%"))
    assert (130, "个", False, "min") == shape(metric(r, PLAN, 130, "个"))
    assert (82, "万亩", False, "min") == shape(metric(r, PLAN, 82, "万亩"))
    assert (20, "万平方米", False, None) == shape(metric(r, PLAN, 20, "万平方米"))
    assert (5, "%", False, "min") == shape(metric(r, PLAN, 5, "%", "压减5%以上"))
    road = metric(r, PLAN, 120, "公里")
    assert r.items[road.item].title == "坚持民生为本，持续增进人民福祉"
    assert (186.5, "亿元") == (metric(r, REVIEW, 186.5, "亿元").value, "亿元")
    assert_no_quantity_on(r, ["“5+2”", "12345热线", "第十八届", "二十届二中全会", "八项规定"])


# --- CPPCC: 一年来的主要工作 / 今年工作的总体要求和主要任务, lead phrases ----------------------------


def test_cppcc_county_lead_phrases():
    r = load("cppcc-county-2019.txt")
    assert (r.review_year, r.plan_year, r.report_date) == (2018, 2019, "2019-02-25")
    assert r.title == "政协常务委员会工作报告"
    assert titles(r, REVIEW) == [
        "强化理论武装",
        "坚持党的领导",
        "深化专题协商",
        "做实视察调研",
        "提案工作有序推进",
        "开展民主评议",
        "完善制度机制",
        "密切联系群众",
    ]
    assert titles(r, PLAN) == [
        "加强理论学习",
        "深化凝聚共识",
        "提高协商质量",
        "加强视察调研",
        "做好提案工作",
        "抓好委员队伍建设",
    ]
    assert [1, 1, 2, 2, 3, 4] == [i.section for i in r.items if i.part == PLAN]
    due = {i.title: i.due for i in r.items if i.part == PLAN}
    assert (due["加强视察调研"], due["抓好委员队伍建设"], due["提高协商质量"]) == (
        "2019-12-31",
        "2019-06-30",
        "2019-12-31",
    )
    assert_verbatim(r)


def test_cppcc_county_goals():
    r = load("cppcc-county-2019.txt")
    goals = {shape(m): r.items[m.item].title for m in r.metrics if m.part == PLAN}
    assert goals == {
        (12, "次", False, "min"): "加强理论学习",
        (6, "次", False, "min"): "提高协商质量",
        (10, "次", False, "min"): "加强视察调研",
        (8, "篇", False, None): "加强视察调研",
        (100, "%", False, None): "做好提案工作",
        (10, "件", True, None): "做好提案工作",
        (2, "期", False, None): "抓好委员队伍建设",
    }
    assert (300, "人次", True, None) == shape(metric(r, REVIEW, 300, "人次"))
    assert (30, "个", True, None) == shape(metric(r, REVIEW, 30, "个"))
    assert_no_quantity_on(r, ["九届二次会议", "70周年", "十九届二中、三中全会", "“三进三联”"])


# --- city government: 主要预期目标 and 民生实事 listed 1. 2. in the plan --------------------------------


def test_city_government_expected_targets():
    r = load("city-gov-2024-targets.txt")
    assert (r.review_year, r.plan_year) == (2023, 2024)
    expected = [
        ("地区生产总值", (6, "%", True, None)),
        ("一般公共预算收入", (5, "%", False, None)),
        ("规模以上工业增加值", (7, "%", False, None)),
        ("固定资产投资", (6.5, "%", False, None)),
        ("社会消费品零售总额", (7, "%", True, None)),
        ("城镇新增就业", (1.2, "万人", False, None)),
        ("城镇调查失业率", (5.5, "%", False, "max")),
        ("居民消费价格涨幅", (3, "%", True, None)),
        ("能耗", (3.2, "%", False, None)),
    ]
    start = r.text.index("主要预期目标是")
    end = r.text.index("实现上述目标")
    got = [m for m in r.metrics if start <= m.start < end]
    assert [shape(m) for m in got] == [e[1] for e in expected]
    for m, (activity, _) in zip(got, expected, strict=True):
        assert activity in m.activity
        assert m.kind == "target"


def test_city_government_livelihood_projects_are_items():
    r = load("city-gov-2024-targets.txt")
    plan = titles(r, PLAN)
    assert plan[:5] == ["抓项目扩投资", "促消费稳增长", "壮大先进制造业", "稳定粮食生产", "办好民生实事"]
    projects = plan[5:]
    assert len(projects) == 10
    assert projects[0].startswith("新建改建农村公路200公里")
    assert projects[1].startswith("新增托位1000个")
    road = metric(r, PLAN, 200, "公里")
    assert r.items[road.item].title == projects[0]
    assert r.items[metric(r, PLAN, 1000, "个").item].title == projects[1]
    assert (8, "万人次", False, None) == shape(metric(r, PLAN, 8, "万人次"))
    assert all(i.section == 4 for i in r.items[-10:])
    assert (3.2, "亿美元", False, None) == shape(metric(r, REVIEW, 3.2, "亿美元"))
    assert_no_quantity_on(r, ["60岁", "第九届", "2024年2月1日"])
    assert_verbatim(r)


# --- 一是……二是…… inside paragraphs ---------------------------------------------------------------


def test_enumerations_inside_paragraphs():
    r = load("prov-npc-2017-enum.txt")
    assert (r.review_year, r.plan_year) == (2016, 2017)
    assert titles(r, PLAN) == [
        "坚持立法先行", "加强设区的市立法指导", "完善立法工作机制",
        "围绕稳增长开展监督", "开展执法检查5项", "加强预算审查监督", "健全规范性文件备案审查制度",
        "提高代表建议办理质量", "依法指导做好市县乡三级人大换届选举工作", "加强代表履职培训",
        "深入推进“两学一做”学习教育常态化制度化", "加强调查研究",
    ]  # fmt: skip
    assert [1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4] == [i.section for i in r.items if i.part == PLAN]
    assert all(i.kind == "enum" for i in r.items if i.part == PLAN)
    assert ["加强和改进立法工作", "增强监督工作实效", "做好代表工作和换届选举工作", "加强常委会自身建设"] == [
        s.title for s in r.sections if s.part == PLAN
    ]
    goals = {shape(m): r.items[m.item].title for m in r.metrics if m.part == PLAN}
    assert goals == {
        (20, "件", False, None): "坚持立法先行",
        (5, "个", False, None): "完善立法工作机制",
        (12, "个", False, None): "围绕稳增长开展监督",
        (5, "项", False, None): "开展执法检查5项",
        (15, "件", False, "min"): "提高代表建议办理质量",
        (600, "人次", False, "min"): "加强代表履职培训",
        (8, "次", False, "min"): "加强调查研究",
    }
    assert titles(r, REVIEW)[:3] == ["加强重点领域立法", "加强对设区的市立法的指导", "坚持立改废释并举"]
    assert (1200, "人次", True, None) == shape(metric(r, REVIEW, 1200, "人次"))
    assert_no_quantity_on(r, ["“一府两院”", "“两学一做”", "十二届人大六次会议", "“十三五”"])
    assert_verbatim(r)


# --- full-width digits and Chinese numerals ----------------------------------------------------------


def test_full_width_digits_and_chinese_numerals():
    r = load("county-npc-2011-fullwidth.txt")
    assert (r.review_year, r.plan_year, r.report_date) == (2010, 2011, "2011-03-02")
    assert [s.title for s in r.sections if s.part == PLAN] == [
        "突出重点，增强监督实效", "依法做好县乡两级人大换届选举工作", "密切联系代表，提高代表建议办理质量", "加强自身建设，提高履职水平"
    ]  # fmt: skip
    review = {(shape(m)) for m in r.metrics if m.part == REVIEW}
    assert {(6, "次", False, None), (12, "次", False, None), (23, "项", False, None), (9, "项", False, None),
            (11, "次", False, None), (47, "人次", False, None), (40, "条", True, None), (106, "件", False, None),
            (96.2, "%", False, None), (210, "人次", False, None)} <= review  # fmt: skip
    plan = sorted(shape(m) for m in r.metrics if m.part == PLAN)
    assert plan == sorted([(6, "个", False, None), (3, "次", False, None), (4, "次", False, "min"), (2, "个", False, "min"),
                           (90, "%", False, "min"), (100, "%", False, None), (95, "%", False, "min"), (3, "期", False, None),
                           (5, "项", False, None)])  # fmt: skip
    assert_no_quantity_on(r, ["十五届人大四次会议", "“十二五”", "第十五届"])
    assert_verbatim(r)


# --- a term report: 过去五年, 今后五年, then this year's plan ------------------------------------------


def test_term_report_five_years_and_this_year():
    r = load("city-gov-2008-term.txt")
    # the review covers the term up to last year; the plan is the next five years and this year
    assert (r.review_year, r.plan_year, r.report_date) == (2007, 2008, "2008-02-18")
    assert [s.title for s in r.sections if s.part == PLAN] == [
        "大力推进新型工业化", "加快城乡一体化进程", "着力扩大投资", "着力发展现代农业", "着力改善民生"
    ]  # fmt: skip
    assert "2008年工作安排" not in [i.title for i in r.items]
    assert (12, "%", False, "min") == shape(metric(r, PLAN, 12, "%", "年均增长12%以上"))
    assert (2000, "亿元", False, "min") == shape(metric(r, PLAN, 2000, "亿元"))
    assert (13, "%", True, None) == shape(metric(r, PLAN, 13, "%"))
    assert (4.5, "%", False, "max") == shape(metric(r, PLAN, 4.5, "%"))
    assert (6, "‰", False, "max") == shape(metric(r, PLAN, 6, "‰"))
    assert (1500, "套", False, None) == shape(metric(r, PLAN, 1500, "套"))
    assert (1052, "亿元", False, None) == shape(metric(r, REVIEW, 1052, "亿元"))
    assert (21.6, "万人", False, None) == shape(metric(r, REVIEW, 21.6, "万人"))
    assert_no_quantity_on(r, ["2002年", "“三个代表”", "第十四届"])
    assert_verbatim(r)


# --- .docx: heading styles and bold lead runs ------------------------------------------------------------


def _docx(paragraphs):
    import docx

    d = docx.Document()
    for style, parts in paragraphs:
        if style.startswith("Heading"):
            d.add_heading(parts, level=int(style[-1]))
            continue
        p = d.add_paragraph()
        for bold, text in parts if isinstance(parts, list) else [(False, parts)]:
            p.add_run(text).bold = bold
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_heading_styles_are_sections_and_bold_runs_are_leads():
    data = _docx([
        ("p", "政协某市委员会常务委员会工作报告"),
        ("p", "各位委员："),
        ("Heading 1", "过去一年的工作"),
        ("Heading 2", "坚持党的领导，把牢正确政治方向"),
        ("p", [(True, "强化理论武装。"), (False, "全年开展集中学习12次，举办专题讲座3期。")]),
        ("Heading 2", "聚焦中心大局，协商议政提质增效"),
        ("p", [(True, "围绕“5+2”现代产业体系建设深化专题协商，"), (False, "开展专题协商5次，提出意见建议120余条。")]),
        ("Heading 1", "2024年工作建议"),
        ("Heading 2", "聚焦高质量发展履职尽责"),
        ("p", [(True, "推进“1+6”协商平台建设"), (False, "。全年开展专题协商6次以上，年内建设委员工作室10家。")]),
        ("p", [(True, "做实民主监督："), (False, "组织委员视察调研不少于8次。")]),
        ("Heading 2", "加强委员队伍建设"),
        ("p", [(True, "提升委员履职能力。"), (False, "上半年举办委员培训班2期。")]),
    ])  # fmt: skip
    r = extract_document(data, "报告.docx")
    assert (r.review_year, r.plan_year) == (2023, 2024)
    assert [(s.part, s.number, s.title) for s in r.sections] == [
        (REVIEW, 1, "坚持党的领导，把牢正确政治方向"), (REVIEW, 2, "聚焦中心大局，协商议政提质增效"),
        (PLAN, 1, "聚焦高质量发展履职尽责"), (PLAN, 2, "加强委员队伍建设"),
    ]  # fmt: skip
    assert [(i.part, i.section, i.title) for i in r.items] == [
        (REVIEW, 1, "强化理论武装"), (REVIEW, 2, "围绕“5+2”现代产业体系建设深化专题协商"),
        (PLAN, 1, "推进“1+6”协商平台建设"), (PLAN, 1, "做实民主监督"), (PLAN, 2, "提升委员履职能力"),
    ]  # fmt: skip
    goals = {shape(m): r.items[m.item].title for m in r.metrics if m.part == PLAN}
    assert goals == {
        (6, "次", False, "min"): "推进“1+6”协商平台建设",
        (10, "家", False, None): "推进“1+6”协商平台建设",
        (8, "次", False, "min"): "做实民主监督",
        (2, "期", False, None): "提升委员履职能力",
    }
    assert_verbatim(r)


@pytest.mark.parametrize(
    "plan_heading",
    ["二、2024年的主要工作", "二、做好2024年各项工作", "2024年重点抓好以下工作：", "二、２０２４年工作安排"],
)
def test_plan_heading_naming_the_next_year(plan_heading):
    text = f"某县人大常委会工作报告\n各位代表：\n一、2023年工作回顾\n强化监督。开展执法检查5项。\n{plan_heading}\n深化监督。开展执法检查4项。\n"
    r = parse_report(text)
    assert (r.review_year, r.plan_year) == (2023, 2024)
    assert [(i.part, i.title) for i in r.items] == [(REVIEW, "强化监督"), (PLAN, "深化监督")]


# --- documents that are not work reports --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [("neg-news-report-coverage.txt", "新闻"), ("neg-yearbook-npc.txt", "年鉴"), ("neg-speech.txt", "讲话"),
     ("neg-work-summary.txt", "工作安排")],
)  # fmt: skip
def test_not_work_reports_are_refused_with_a_reason(name, reason):
    with pytest.raises(NotAWorkReport) as err:
        load(name)
    message = str(err.value)
    assert reason in message
    assert "\n" not in message


# --- every genre: one entry in GENRES, one fixture folder named by its key ------------------------------


def test_each_genre_has_a_fixture_folder_and_each_folder_is_a_genre():
    folders = {p.name for p in GENRE_FIXTURES.iterdir() if p.is_dir() and any(p.glob("*.txt"))}
    assert {g.key for g in GENRES} == folders


@pytest.mark.parametrize("path", genre_fixture_paths(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_fixture_is_read_or_refused_as_its_genre(path):
    genre = {g.key: g for g in GENRES}[path.parent.name]
    text = path.read_text(encoding="utf-8")
    if genre.refusal:
        with pytest.raises(NotAWorkReport) as err:
            parse_report(text)
        assert genre.refusal == str(err.value)
        return
    r = parse_report(text)
    assert genre.title == r.title
    assert r.review_year is not None
    assert r.review_year + 1 == r.plan_year
    assert titles(r, PLAN)
    assert any(m.part == PLAN and m.kind == "target" for m in r.metrics)
    assert_verbatim(r)
