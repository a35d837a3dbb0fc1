"""Government and standing-committee reports of other years and levels (tests/fixtures/genres/).

Each fixture is written in the genre's layout; the expectations were written before the extractor
was changed, from what a reader would tick off. Metric lists are complete: a figure that is not a
count of something done or a goal (a share of the nation, an old standard, a size class, a rank)
must not appear, so these tests check precision as well as recall.
"""

from collections import Counter

from tracker.model import PLAN, REVIEW

from .conftest import assert_no_metric_on, assert_verbatim, load_genre_fixture, metric, shape

load = load_genre_fixture


def values(r, part):
    return Counter((m.value, m.unit) for m in r.metrics if m.part == part)


def items(r, part):
    return [(i.section, i.title) for i in r.items if i.part == part]


def sections(r, part):
    return [(s.level, s.number, s.title) for s in r.sections if s.part == part]


# --- national, 2024 shape: 一、回顾 二、总体要求和政策取向 三、政府工作任务 with lead phrases -------------


def test_national_parts_sections_and_lead_phrases():
    r = load("national-gov-2024.txt")
    assert (r.review_year, r.plan_year, r.report_date, r.title) == (2023, 2024, "2024-03-05", "政府工作报告")
    assert sections(r, PLAN) == [
        (1, 1, "大力推进现代化产业体系建设，加快发展新质生产力"),
        (1, 2, "深入实施科教兴国战略，强化高质量发展的基础支撑"),
        (1, 3, "着力扩大国内需求，推动经济实现良性循环"),
        (1, 4, "坚持不懈抓好“三农”工作，扎实推进乡村全面振兴"),
        (1, 5, "切实保障和改善民生，加强和创新社会治理"),
    ]
    assert items(r, PLAN) == [
        (0, "积极的财政政策要适度加力、提质增效"), (0, "稳健的货币政策要灵活适度、精准有效"),
        (0, "要增强宏观政策取向一致性"),
        (1, "推动产业链供应链优化升级"), (1, "积极培育新兴产业和未来产业"), (1, "深入推进数字经济创新发展"),
        (2, "加强高质量教育体系建设"), (2, "加快推动高水平科技自立自强"), (2, "全面提高人才队伍质量"),
        (3, "促进消费稳定增长"), (3, "积极扩大有效投资"),
        (4, "毫不放松抓好粮食等重要农产品稳定安全供给"), (4, "持续巩固拓展脱贫攻坚成果"),
        (5, "多措并举稳就业促增收"), (5, "加强社会保障和服务"),
    ]  # fmt: skip
    assert [i.title for i in r.items if i.part == REVIEW] == [
        "经济总体回升向好",
        "现代化产业体系建设取得重要进展",
    ]
    assert_verbatim(r)


def test_national_expected_targets():
    r = load("national-gov-2024.txt")
    start, end = r.text.index("今年发展主要预期目标是"), r.text.index("提出上述预期目标")
    got = [(m.activity, shape(m)) for m in r.metrics if start <= m.start < end]
    assert [s for _, s in got] == [
        (5, "%", True, None), (1200, "万人", False, "min"), (5.5, "%", True, None), (3, "%", True, None),
        (1.3, "万亿斤", False, "min"), (2.5, "%", True, None),
    ]  # fmt: skip
    for want, (activity, _) in zip(
        ["国内生产总值", "城镇新增就业", "城镇调查失业率", "居民消费价格涨幅", "粮食产量", "能耗"],
        got,
        strict=True,
    ):
        assert want in activity


def test_national_metrics_are_counts_and_goals_only():
    r = load("national-gov-2024.txt")
    assert values(r, REVIEW) == Counter([
        (126, "万亿元"), (5.2, "%"), (1244, "万人"), (5.2, "%"), (0.2, "%"), (10, "%"), (1.39, "万亿斤"),
        (0.5, "%"), (8.4, "%"), (1, "万亿元"), (2.2, "万亿元"), (400, "万家"), (31, "条"), (41.8, "万亿元"),
        (1.1, "万亿元"), (100, "万个"), (337.7, "万个"), (8.1, "%"), (3.3, "万亿元"), (103, "元"), (5.3, "万个"),
        (880, "万户"),
    ])  # fmt: skip
    plan = values(r, PLAN)
    plan.pop((1179, "万人"), None)  # the year's graduates: a forecast, judged either way
    assert plan == Counter([
        (5, "%"), (1200, "万人"), (5.5, "%"), (3, "%"), (1.3, "万亿斤"), (2.5, "%"), (3, "%"), (4.06, "万亿元"),
        (1800, "亿元"), (3.9, "万亿元"), (1000, "亿元"), (1, "万亿元"), (60, "万个"), (100, "万个"), (1, "万个"),
        (10, "%"), (370, "亿元"), (7000, "亿元"), (5, "万个"), (4500, "万亩"), (100, "亿元"), (80, "万人"),
        (20, "元"), (670, "元"), (1, "所"),
    ])  # fmt: skip
    assert (10, "%", True, None) == shape(metric(r, REVIEW, 10, "%", "占国内生产总值比重达到10%左右"))
    assert (670, "元") == (metric(r, PLAN, 670, "元").value, "元")
    assert_no_metric_on(
        r,
        [
            "占全球比重超过60%",
            "比重保持在10%以上",
            "从98元",
            "640元",
            "第1位",
            "连续9年",
            "60岁",
            "3年内",
            "第十四届",
        ],
    )


# --- province, term report: 过去五年, 今后五年, 2023年重点工作 ---------------------------------------


def test_province_term_report_parts_and_items():
    r = load("prov-gov-2023-term.txt")
    assert (r.review_year, r.plan_year, r.report_date) == (2022, 2023, "2023-01-12")
    assert [t for _, _, t in sections(r, PLAN)] == [
        "建设创新强省", "建设制造强省", "建设交通强省", "建设健康江陵",
        "着力扩大内需，推动经济运行整体好转", "着力建设现代化产业体系", "着力保障和改善民生",
    ]  # fmt: skip
    assert items(r, PLAN) == [
        (1, "建设创新强省"), (2, "建设制造强省"), (3, "建设交通强省"), (4, "建设健康江陵"),
        (1, "全力扩大有效投资"), (1, "大力提振消费"), (2, "推动制造业高质量发展"), (2, "加快发展数字经济"),
        (3, "稳定和扩大就业"), (3, "提高社会保障水平"), (3, "办好十件民生实事"),
    ]  # fmt: skip
    assert_verbatim(r)


def test_province_term_report_metrics():
    r = load("prov-gov-2023-term.txt")
    assert values(r, REVIEW) == Counter([
        (4.8, "万亿元"), (6.1, "%"), (5.3, "%"), (6.8, "%"), (8.9, "%"), (386, "万人"), (2.6, "%"), (2.1, "万家"),
        (12, "家"), (47, "个"), (22, "%"), (15.2, "万亿元"), (1860, "公里"), (8000, "公里"), (4.7, "%"),
        (860, "万户"), (800, "亿美元"), (9.6, "%"), (50, "件"), (3100, "所"), (120, "万个"), (610, "元"),
        (3.8, "%"), (5.1, "%"), (78.6, "万人"), (2.1, "%"),
    ])  # fmt: skip
    assert values(r, PLAN) == Counter([
        (6, "%"), (6, "万亿元"), (3, "%"), (68, "%"), (5.5, "%"), (3, "万家"), (20, "家"), (3, "个"), (15, "个"),
        (12, "%"), (1500, "公里"), (3.5, "人"),
        (6.5, "%"), (6, "%"), (7, "%"), (8, "%"), (7, "%"), (70, "万人"), (5.5, "%"), (3, "%"), (640, "亿斤"),
        (1200, "个"), (1.3, "万亿元"), (500, "个"), (1800, "亿元"), (5, "亿元"), (3000, "家"), (2000, "个"),
        (2500, "家"), (3, "万个"), (1, "万家"), (80, "万人次"), (70, "万人"), (160, "元"), (1000, "万人次"),
        (10, "件"),
    ])  # fmt: skip
    assert (6, "万亿元", False, "min") == shape(metric(r, PLAN, 6, "万亿元"))
    assert (640, "亿斤", False, "min") == shape(metric(r, PLAN, 640, "亿斤"))
    assert_no_metric_on(
        r,
        [
            "3.6万亿元",
            "由2.1%",
            "由8600家",
            "由520万户",
            "490元",
            "150元",
            "占全国比重提高到4.0%",
            "占全国的比重达到3.1%",
            "第8位",
            "第5位",
            "65岁",
            "79.5岁",
            "十三届人大七次会议",
        ],
    )


# --- prefecture-level city: 1．2． tasks inside （一）, a 民生实事 appendix in categories ---------------


def test_city_numbered_tasks_are_items_and_their_parents_are_not():
    r = load("city-gov-2022-numbered.txt")
    assert (r.review_year, r.plan_year, r.report_date) == (2021, 2022, "2022-01-18")
    plan = sections(r, PLAN)
    assert plan[:4] == [
        (1, 1, "坚持项目为王，持续扩大有效投资"), (2, 1, "全力抓好重大项目建设"), (2, 2, "持续强化招商引资"),
        (2, 3, "积极争取政策资金"),
    ]  # fmt: skip
    assert [t for level, _, t in plan if level == 1] == [
        "坚持项目为王，持续扩大有效投资", "坚持工业强市，加快产业转型升级", "坚持人民至上，持续增进民生福祉",
        "教育民生实事", "医疗卫生民生实事", "城乡建设民生实事", "社会保障民生实事",
    ]  # fmt: skip
    tasks = items(r, PLAN)
    assert tasks[:9] == [
        (1, "全力抓好重大项目建设"), (1, "持续强化招商引资"), (1, "积极争取政策资金"),
        (2, "做大做强主导产业"), (2, "大力培育市场主体"), (2, "推动数字化转型"),
        (3, "抓好就业增收"), (3, "提高社会保障水平"), (3, "办好民生实事"),
    ]  # fmt: skip
    projects = [t for _, t in tasks[9:]]
    assert len(projects) == 10
    assert projects[0] == "新建公办幼儿园20所，新增学位6000个"
    assert projects[9] == "对1500户困难残疾人家庭实施无障碍改造"
    assert r.items[metric(r, PLAN, 20, "所").item].title == projects[0]
    assert r.items[metric(r, PLAN, 1050, "亿元").item].title == "全力抓好重大项目建设"
    assert_verbatim(r)


def test_city_metrics_leave_out_size_classes_old_standards_and_ranks():
    r = load("city-gov-2022-numbered.txt")
    assert values(r, REVIEW) == Counter([
        (2315, "亿元"), (8.6, "%"), (142.3, "亿元"), (10.2, "%"), (41280, "元"), (8.1, "%"), (19650, "元"),
        (10.4, "%"), (326, "个"), (986, "亿元"), (158, "个"), (37, "个"), (412, "亿元"), (42, "条"), (8600, "户"),
        (85, "万平方米"), (620, "公里"), (92, "%"), (79.6, "%"), (3.8, "万人"), (9.6, "亿元"), (16, "所"),
        (1.2, "万个"), (186, "件"), (241, "件"), (100, "%"),
    ])  # fmt: skip
    assert values(r, PLAN) == Counter([
        (7.5, "%"), (6, "%"), (10, "%"), (9, "%"), (3.5, "万人"), (5.5, "%"), (3, "%"),
        (350, "个"), (1050, "亿元"), (160, "个"), (120, "个"), (40, "个"), (15, "个"), (450, "亿元"), (120, "亿元"),
        (1500, "亿元"), (100, "家"), (50, "家"), (80, "家"), (120, "个"), (20, "个"), (3, "万人次"), (5000, "人"),
        (710, "元"), (550, "元"), (10, "件"),
        (20, "所"), (6000, "个"), (12, "所"), (15, "万人次"), (200, "个"), (60, "个"), (1.8, "万户"), (3000, "个"),
        (1500, "个"), (300, "公里"), (30, "个"), (1.2, "万名"), (1500, "户"),
    ])  # fmt: skip
    assert_no_metric_on(
        r, ["5亿元以上", "10亿元以上", "680元", "520元", "第2位", "18个月", "“十四五”", "65岁", "第七届"]
    )


# --- township: short, colloquial, 一是/二是 inside a section --------------------------------------------


def test_township_report():
    r = load("town-gov-2024.txt")
    assert (r.review_year, r.plan_year, r.report_date, r.title) == (2023, 2024, "2024-01-09", "政府工作报告")
    assert [t for _, _, t in sections(r, PLAN)] == [
        "在项目建设上再加力", "在产业发展上再加力", "在环境整治上再加力", "在民生保障上再加力",
    ]  # fmt: skip
    assert items(r, PLAN) == [
        (1, "在项目建设上再加力"), (2, "做优茶产业"), (2, "做大中药材"), (2, "做活乡村旅游"),
        (3, "在环境整治上再加力"), (4, "在民生保障上再加力"),
    ]  # fmt: skip
    assert items(r, REVIEW) == []  # 过去一年的成绩来之不易。 is a remark, not a lead phrase
    assert r.items[metric(r, PLAN, 200, "亩").item].due == "2024-12-31"  # 全年 comes first: the whole task
    assert (5, "亿元", False, None) == shape(metric(r, PLAN, 5, "亿元", "全年完成固定资产投资5亿元"))
    assert (300, "户", False, None) == shape(metric(r, PLAN, 300, "户", "新增市场主体300户"))
    assert_verbatim(r)


def test_township_metrics():
    r = load("town-gov-2024.txt")
    assert values(r, REVIEW) == Counter([
        (4.6, "亿元"), (12, "%"), (286, "户"), (42, "户"), (21860, "元"), (7.5, "%"), (9, "个"), (2, "个"),
        (6.8, "亿元"), (5, "家"), (2.2, "万平方米"), (2000, "亩"), (800, "亩"), (3200, "亩"), (15, "家"), (8, "家"),
        (10, "万元"), (3, "个"), (46, "处"), (1.3, "万平方米"), (320, "座"), (18, "公里"), (4, "个"), (600, "盏"),
        (1360, "万元"), (320, "人"), (127, "起"),
    ])  # fmt: skip
    assert values(r, PLAN) == Counter([
        (5, "亿元"), (8, "%"), (300, "户"), (7, "%"), (12, "万元"), (3, "个"), (8, "亿元"), (3, "万平方米"),
        (200, "亩"), (1500, "亩"), (2, "个"), (1000, "亩"), (15, "万人次"), (300, "座"), (3, "个"), (120, "人"),
        (800, "人"), (25, "户"), (2, "个"),
    ])  # fmt: skip
    assert_no_metric_on(r, ["50万元以上的村", "80岁", "第五届", "第十八届", "二期", "三期", "一起重大"])


# --- provincial people's congress standing committee: plan announced by a sentence ---------------------


def test_npc_standing_committee_review_and_plan():
    r = load("npc-standing-prov-2024.txt")
    assert (r.review_year, r.plan_year, r.report_date) == (2023, 2024, "2024-01-24")
    assert r.title == "人民代表大会常务委员会工作报告"
    assert [t for _, _, t in sections(r, REVIEW)] == [
        "聚焦高质量发展，立法工作取得新成效", "聚焦重大决策部署，监督工作取得新成效",
        "聚焦代表主体地位，代表工作取得新成效", "聚焦“四个机关”建设，自身建设取得新成效",
    ]  # fmt: skip
    assert items(r, REVIEW) == [
        (1, "坚持立法先行"), (1, "提高立法质量"), (1, "加强对设区的市立法指导"),
        (2, "强化经济运行监督"), (2, "加强民生领域监督"), (2, "做好备案审查工作"),
    ]  # fmt: skip
    plan = [
        "坚持立法引领，推进重点领域立法",
        "坚持正确监督，增强监督工作实效",
        "坚持代表主体地位，提升代表工作水平",
        "坚持全面从严治党，加强常委会自身建设",
    ]
    assert [t for _, _, t in sections(r, PLAN)] == plan
    assert items(r, PLAN) == list(enumerate(plan, 1))
    assert r.items[metric(r, PLAN, 10, "个").item].due == "2024-12-31"
    assert_verbatim(r)


def test_npc_standing_committee_metrics():
    r = load("npc-standing-prov-2024.txt")
    assert values(r, REVIEW) == Counter([
        (8, "次"), (42, "件"), (21, "个"), (6, "次"), (2, "次"), (11, "项"), (96, "人次"), (9, "件"), (14, "件"),
        (3, "件"), (12, "个"), (38, "个"), (2300, "条"), (16, "件"), (40, "次"), (2, "个"), (13, "个"), (45, "个"),
        (86, "个"), (120, "条"), (287, "件"), (5, "件"), (380, "名"), (162, "人次"), (836, "件"), (98.6, "%"),
        (4, "期"), (900, "人次"), (12, "次"), (26, "篇"),
    ])  # fmt: skip
    assert values(r, PLAN) == Counter([
        (20, "件"), (10, "个"), (18, "个"), (5, "项"), (2, "次"), (8, "项"), (3, "名"), (2, "次"), (3, "期"),
    ])  # fmt: skip
    assert all(m.item is not None for m in r.metrics if m.part == PLAN)
    assert (3, "名", False, "min") == shape(metric(r, PLAN, 3, "名"))
    assert (2300, "条", True, None) == shape(metric(r, REVIEW, 2300, "条"))
    assert_no_metric_on(
        r,
        [
            "第十四届",
            "省十四届人大一次会议",
            "二十大",
            "“十四五”",
            "75周年",
            "“四个机关”",
            "第一年",
            "连续3年",
        ],
    )
