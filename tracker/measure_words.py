"""The measure words a count or goal is stated in, and a pattern builder for word lists.

A registry apart from tracker.numbers (which re-exports UNITS), so that module stays readable."""

from __future__ import annotations

import re

# Registry of measure words a count or goal is stated in, longest first so that 人次 wins over 人.
# The value is the set of characters that, right after the measure word, show it is only the first
# character of another word (***场景, ***街道 are names, not counts; 24个月 is a duration).
UNITS: dict[str, str] = {
    "个百分点": "",
    "百分点": "",
    "人次": "",
    "户次": "",
    "场次": "",
    "批次": "",
    "架次": "",
    "辆次": "",
    "车次": "",
    "班次": "",
    "件次": "",
    "标准箱": "",
    "标箱": "",
    "平方公里": "",
    "平方米": "",
    "立方米": "",
    "千瓦时": "",
    "千瓦": "",
    "千米": "",
    "公里": "",
    "千克": "",
    "公斤": "",
    "公顷": "",
    "美元": "",
    "%": "",
    "‰": "",
    "元": "素旦首件宵年月化",
    "亩": "",
    "吨": "",
    "斤": "",
    "米": "面饭粮袋",
    "次": "要序生日级数年月第",
    "件": "事",
    "项": "目链",
    "个": "人体性案别月数",
    "家": "庭长属乡园具电政族居底风门国人务常用访境级",
    "名": "单称义录牌片胜优字额次列誉气",
    "人": "民口才大群们士均身工类事文格生性物选道权心情力手",
    "场": "景所地馆合面域主站内外上",
    "条": "件例款线幅理约令块形状文目",
    "篇": "章幅",
    "期": "间限刊望待货末初中满内",
    "所": "有在以属得需谓长见作辖提述",
    "座": "谈位右",
    "套": "餐路用",
    "户": "籍外型口主内头均",
    "处": "理置级长室罚于在分处事方境",
    "栋": "梁",
    "间": "隔接断歇",
    "张": "力扬贴开",
    "台": "账风阶湾商胞",
    "辆": "",
    "部": "门分署队长委位属落",
    "批": "准示评发复判",
    "位": "置于数列",
    "支": "持付出部撑柱援",
    "艘": "",
    "架": "构子",
    "块": "",
    "本": "地身级科土质领着来届次",
    "册": "",
    "份": "额子",
    "宗": "旨教族师",
    "例": "如外行会",
    "起": "来步点草诉始",
    "倍": "数增",
    "只": "要有是能",
    "头": "部脑等条",
    "株": "",
    "棵": "",
    "床": "",
    "盏": "",
    # issue 13: compound measure words and ones the genre uses less often (from a list of Chinese
    # measure words, not from one report): 万头只 of livestock, 台套 of machines, 款 of products
    "头只": "",
    "台套": "",
    "款": "式项待额",
    "羽": "毛绒",
    "尾": "气声款部矿",
    "匹": "配",
    "颗": "粒",
    "枚": "举",
    "眼": "前光界里睛神",
    "口": "岸径号罩碑头语气味令腔",
    "首": "都府先要次批届位个席创发付",
    "幅": "度员",
    "轮": "流换胎值岗训",
    "门": "户类槛店诊票口禁",
    "双": "创向方边重语层",
    "副": "食业主市县区书秘本作",
    "顶": "层级尖端部",
    "节": "约能点日目省水奏庆制",
    "集": "团中体聚成群约镇市资",
    "卷": "入烟宗",
    "箱": "",
    "兆瓦": "",
    "吉瓦": "",
    "千伏安": "",
    "千伏": "",
    "延米": "",
}


def longest_first_tree(words) -> str:
    """A pattern matching what the alternation of words longest first matches (the longest word at
    a position), as a tree of their characters: 人次? for 人次|人. re tries an alternation's words
    one by one, the tree one branch per first character (issue 15; tests/test_numbers.py compares).
    Branches keep the order of the words' first appearance."""
    tree: dict = {}
    for w in words:
        node = tree
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        parts = [re.escape(c) + branch(child) for c, child in node.items() if c]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"
        # a word ends here: the longer ones first, then this one; (?:…|) and not (?:…)?, which re
        # runs as a repeat (see SCAN_RE in tracker.numbers)
        if "" in node:
            body = f"{body}?" if len(parts) == 1 and len(parts[0]) == 1 else f"(?:{body}|)"
        return body

    return branch(tree)
