"""The one table of actions (store.actions) drives permissions, labels, record, undo and rebuild."""

import pytest

from tracker import store
from tracker.errors import InvalidInput, PermissionDenied
from tracker.model import Role, Status
from tracker.store.actions import ACTIONS, Apply, Reverse

from .conftest import make_report


@pytest.fixture
def rid(db, users):
    return store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")["report_id"]


def goal(db, rid) -> str:
    return next(m["id"] for m in store.report_metrics(db, rid, "plan"))


def category(db, rid) -> str:
    return next(m["id"] for m in store.report_metrics(db, rid, "review") if m["activity"] == "专题协商")


@pytest.mark.parametrize("action", list(ACTIONS.values()), ids=list(ACTIONS))
def test_every_action_has_a_label_a_role_set_and_a_reverse(action):
    assert action.label and not action.label.isascii()
    assert action.roles and action.roles <= set(Role)
    # leaders write nothing but instructions (批示, issue 16)
    assert Role.LEADER not in action.roles or action.name == "comment"
    assert isinstance(action.reverse, Reverse)
    if action.apply in (Apply.SET, Apply.ADD):  # a change of state can be reversed
        assert action.reverse in (Reverse.RESTORE, Reverse.NEGATE)
        assert action.target in ("item", "metric")
    if action.apply is Apply.SET:
        assert action.column  # the column it writes is written once, here


def test_permissions_and_labels_are_derived_from_the_table():
    assert {a.name: a.label for a in ACTIONS.values()} == store.ACTION_LABELS
    assert frozenset({"comment"}) == store.PERMISSIONS[Role.LEADER]
    assert store.STAFF_ACTIONS < store.ADMIN_ACTIONS
    assert {
        "verify",
        "category",
        "goal_type",
        "import",
        "users",
    } == store.ADMIN_ACTIONS - store.STAFF_ACTIONS - {
        "correct",
        "changed",
        "vanished",
        "merged",
        "reviewed",
        "unit",
        "cycle_open",
        "comment",
    }
    expected = {
        "status": "status",
        "owner": "owner",
        "co_owner": "co_owner",
        "due": "due",
        "assign": "assigned",
    }
    assert expected == store.ITEM_FIELDS


def test_progress_and_verify_write_their_own_column_and_undo_reverses_it(db, rid, users):
    metric = goal(db, rid)
    store.record(db, users["staff"], "progress", metric, amount=3)
    verified = store.record(db, users["admin"], "verify", metric, amount=2)
    row = store.get_row(db, "metrics", metric)
    assert (3, 2) == (row["progress"], row["verified"])
    store.record(db, users["admin"], "undo", str(verified))
    row = store.get_row(db, "metrics", metric)
    assert (3, 0) == (row["progress"], row["verified"])


# issue 17 item 1: undo requires the right to do the original action


def test_staff_cannot_undo_an_admins_verification(db, rid, users):
    metric = goal(db, rid)
    verified = store.record(db, users["admin"], "verify", metric, amount=5)
    with pytest.raises(PermissionDenied):
        store.record(db, users["staff"], "undo", str(verified))
    assert 5 == store.get_row(db, "metrics", metric)["verified"]


def test_staff_cannot_undo_a_category_rename(db, rid, users):
    metric = category(db, rid)
    renamed = store.record(db, users["admin"], "category", metric, value="专题协商会")
    with pytest.raises(PermissionDenied):
        store.record(db, users["staff"], "undo", str(renamed))
    assert "专题协商会" == store.get_row(db, "metrics", metric)["category"]


def test_staff_cannot_undo_the_undo_of_a_verification(db, rid, users):
    metric = goal(db, rid)
    verified = store.record(db, users["admin"], "verify", metric, amount=5)
    undone = store.record(db, users["admin"], "undo", str(verified))
    with pytest.raises(PermissionDenied):
        store.record(db, users["staff"], "undo", str(undone))
    assert 0 == store.get_row(db, "metrics", metric)["verified"]
    assert [] == [e for e in store.events_for(db, metric) if e["user"] == users["staff"]]


def test_staff_may_undo_staff_actions_and_leaders_nothing(db, rid, users):
    item = store.report_items(db, rid)[0]["id"]
    event = store.record(db, users["staff"], "status", item, value=Status.DONE)
    with pytest.raises(PermissionDenied):
        store.record(db, users["leader"], "undo", str(event))
    store.record(db, users["staff"], "undo", str(event))
    assert Status.NOT_STARTED == store.get_item(db, item)["status"]


def test_may_undo_follows_the_original_action():
    assert store.may_undo(Role.STAFF, "progress") and store.may_undo(Role.ADMIN, "verify")
    assert not store.may_undo(Role.STAFF, "verify") and not store.may_undo(Role.STAFF, "category")
    assert not store.may_undo(Role.ADMIN, "import") and not store.may_undo(Role.LEADER, "progress")


def test_library_bookkeeping_cannot_be_recorded_or_undone(db, rid, users):
    with pytest.raises(InvalidInput):
        store.record(db, users["admin"], "changed", store.report_items(db, rid)[0]["id"])
    imported = store.events_for(db, report_id=rid, actions=("import",))[0]["id"]
    with pytest.raises(InvalidInput):
        store.record(db, users["admin"], "undo", str(imported))


def test_rebuild_reads_every_action_from_the_table(db, rid, users):
    item, metric, cat = store.report_items(db, rid)[0]["id"], goal(db, rid), category(db, rid)
    store.record(db, users["staff"], "status", item, value=Status.BLOCKED)
    store.record(db, users["staff"], "owner", item, value="办公室")
    store.record(db, users["staff"], "progress", metric, amount=4)
    store.record(db, users["admin"], "verify", metric, amount=1)
    store.record(db, users["admin"], "category", cat, value="协商会")
    before = (
        store.get_item(db, item),
        store.get_row(db, "metrics", metric),
        store.get_row(db, "metrics", cat),
    )
    store.rebuild_state(db)
    after = (
        store.get_item(db, item),
        store.get_row(db, "metrics", metric),
        store.get_row(db, "metrics", cat),
    )
    assert before == after
