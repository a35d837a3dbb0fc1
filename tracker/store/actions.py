"""The one table of actions: each kind of event once, with everything that follows from it.

A row says what the action targets, which state column it writes, how it applies and how it is
reversed, which roles may do it and how people see it named. `record`, undo and `rebuild_state`
(in `ledger`) dispatch on it; `PERMISSIONS` and `ACTION_LABELS` are derived from it. A new action
is one more row here (plus, when it needs one, its check in `ledger.CHECKS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tracker.model import Part, Role


class Apply(StrEnum):
    """How an event of the action changes the state columns."""

    SET = "set"  # the column takes the event's `after`
    ADD = "add"  # the event's `amount` is added to the column (a log when there is no column)
    NOTE = "note"  # a remark: no state changes
    LOG = "log"  # bookkeeping written by the library (imports, accounts, review marks): no state
    UNDO = "undo"  # appends the reverse of another event
    ROW = "row"  # a row of the action's own table (督办: units, periods, reports, instructions), see WRITERS


class Reverse(StrEnum):
    """How undo reverses an event of the action."""

    RESTORE = "restore"  # set the column back to the event's `before`
    NEGATE = "negate"  # append the same amount with the opposite sign
    RETRACT = "retract"  # mark the note retracted
    REFUSE = "refuse"  # cannot be undone (it is itself an undo, or the library's bookkeeping)


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # how people see it named (history, exports)
    roles: frozenset[Role]  # who may do it
    apply: Apply
    reverse: Reverse
    target: str | None = None  # "item", "metric", "item|metric", "report", "user", "source"
    column: str | None = None  # the state column it writes (in the target's table)
    part: Part | None = None  # the part a metric must belong to

    @property
    def table(self) -> str | None:
        return {"item": "items", "metric": "metrics"}.get(self.target or "")


STAFF = frozenset({Role.ADMIN, Role.STAFF})
ADMIN = frozenset({Role.ADMIN})
LEADERS = frozenset({Role.ADMIN, Role.LEADER})  # a leader's one write: an instruction (批示)

# fmt: off
ACTIONS: dict[str, Action] = {a.name: a for a in (
    #      name        label           roles  apply        reverse          target        column           part
    Action("status",   "状态",         STAFF, Apply.SET,  Reverse.RESTORE, "item",       "status"),
    Action("owner",    "牵头单位",     STAFF, Apply.SET,  Reverse.RESTORE, "item",       "owner"),
    Action("co_owner", "协办单位",     STAFF, Apply.SET,  Reverse.RESTORE, "item",       "co_owner"),
    Action("due",      "截止日期",     STAFF, Apply.SET,  Reverse.RESTORE, "item",       "due"),
    Action("note",     "备注",         STAFF, Apply.NOTE, Reverse.RETRACT, "item|metric"),
    Action("progress", "进度填报",     STAFF, Apply.ADD,  Reverse.NEGATE,  "metric",     "progress",      Part.PLAN),
    Action("verify",   "进度核实",     ADMIN, Apply.ADD,  Reverse.NEGATE,  "metric",     "verified",      Part.PLAN),
    Action("fill",     "填写数字",     STAFF, Apply.SET,  Reverse.RESTORE, "metric",     "filled_value"),
    Action("activity", "登记活动",     STAFF, Apply.ADD,  Reverse.NEGATE,  "metric",     None,            Part.REVIEW),
    Action("category", "类别名称",     ADMIN, Apply.SET,  Reverse.RESTORE, "metric",     "category",      Part.REVIEW),
    Action("goal_type", "目标类型",    ADMIN, Apply.SET,  Reverse.RESTORE, "metric",     "goal_type",     Part.PLAN),
    Action("undo",     "撤销",         STAFF, Apply.UNDO, Reverse.REFUSE,  None),
    Action("import",   "导入报告",     ADMIN, Apply.LOG,  Reverse.REFUSE,  "report"),
    Action("users",    "账号变更",     ADMIN, Apply.LOG,  Reverse.REFUSE,  "user"),
    Action("correct",  "导入核对修改", ADMIN, Apply.LOG,  Reverse.REFUSE,  "source"),
    Action("changed",  "新版本有改动", ADMIN, Apply.LOG,  Reverse.REFUSE,  "item"),
    Action("vanished", "新版本中消失", ADMIN, Apply.LOG,  Reverse.REFUSE,  "item"),
    Action("merged",   "导入时合并",   ADMIN, Apply.LOG,  Reverse.REFUSE,  "item"),
    Action("reviewed", "已核对",       ADMIN, Apply.LOG,  Reverse.REFUSE,  "item"),
    # 督办 (issue 16): the assignment is a state column; the rest are rows of their own tables
    Action("assign",   "分配单位",     STAFF, Apply.SET,  Reverse.RESTORE, "item",       "assigned"),
    Action("unit",     "单位变更",     ADMIN, Apply.ROW,  Reverse.REFUSE,  "unit"),
    Action("cycle_open", "开启报告期", ADMIN, Apply.ROW,  Reverse.REFUSE,  "period"),
    Action("report",   "报送进展",     STAFF, Apply.ROW,  Reverse.REFUSE,  "item"),
    Action("comment",  "领导批示",   LEADERS, Apply.ROW,  Reverse.REFUSE,  "item"),
    Action("read",     "批示已阅",     STAFF, Apply.ROW,  Reverse.REFUSE,  "item"),
)}
# fmt: on

# what only office staff (an account without a unit) may do, whatever the role allows
OFFICE_ONLY = frozenset({"assign", "owner", "co_owner"})
# what each role may do; leaders write nothing but instructions
PERMISSIONS: dict[str, frozenset[str]] = {
    role: frozenset(a.name for a in ACTIONS.values() if role in a.roles) for role in Role
}
STAFF_ACTIONS = PERMISSIONS[Role.STAFF]
ADMIN_ACTIONS = PERMISSIONS[Role.ADMIN]
# how each kind of event is named to people (history, exports)
ACTION_LABELS = {a.name: a.label for a in ACTIONS.values()}
# item fields a person sets directly, and the column each lives in
ITEM_FIELDS = {a.name: a.column for a in ACTIONS.values() if a.target == "item" and a.apply is Apply.SET}


def may_undo(role: str, action: str) -> bool:
    """Whether a role may undo an event of `action`: it must be reversible and the role must be allowed
    both to undo and to do the original action (issue 17)."""
    spec = ACTIONS.get(action)
    allowed = PERMISSIONS.get(role, frozenset())
    return spec is not None and spec.reverse is not Reverse.REFUSE and {"undo", action} <= allowed


# what a re-import says about an item until someone marks it reviewed
REVIEW_EVENTS = ("changed", "vanished")
