"""The only package that speaks SQL (SQLite through sqlite-utils): the day a second engine is wanted,
this package is the whole change.

Functions take `db` (a `Database`) first. Modules: `schema` (connect, transactions, migrations as
named steps, stable ids), `actions` (the one table of event actions), `ledger` (record, undo,
rebuild), `users` (account rows, permissions), `importer` (imports and re-imports), `queries`
(reads), `backup` (file backup and restore). Callers use the names re-exported here, as `store.x`.
"""

from tracker.store.actions import (
    ACTION_LABELS,
    ACTIONS,
    ADMIN_ACTIONS,
    ITEM_FIELDS,
    PERMISSIONS,
    REVIEW_EVENTS,
    STAFF_ACTIONS,
    Action,
    Apply,
    Reverse,
    may_undo,
)
from tracker.store.events import get_row
from tracker.store.importer import (
    corrections_for,
    default_due,
    document_ids,
    import_report,
    import_reviewed,
    items_to_review,
    mark_reviewed,
    report_by_hash,
    report_id_for,
    text_hash,
)
from tracker.store.ledger import parse_amount, rebuild_state, record, undo
from tracker.store.queries import (
    activity_counts,
    bulk_insert,
    data_version,
    done_dates,
    events_for,
    get_item,
    get_report,
    list_reports,
    logged_by_category,
    next_report_id,
    previous_report,
    report_count,
    report_events,
    report_items,
    report_metrics,
    report_sections,
    table_counts,
)
from tracker.store.schema import (
    DEFAULT_DB,
    MIGRATIONS,
    SAMPLE_REPORT,
    TABLES,
    Database,
    close,
    connect,
    db_path,
    engine_version,
    migrate,
    now,
    schema_version,
    stable_id,
    transaction,
)
from tracker.store.users import (
    SYSTEM_USER,
    check_permission,
    count_users,
    get_user,
    insert_user,
    list_users,
    may,
    role_label,
    update_user,
)

__all__ = [
    "ACTION_LABELS", "ACTIONS", "ADMIN_ACTIONS", "ITEM_FIELDS", "PERMISSIONS", "REVIEW_EVENTS",
    "STAFF_ACTIONS", "Action", "Apply", "Reverse", "may_undo", "get_row", "corrections_for", "default_due",
    "document_ids", "import_report", "import_reviewed", "items_to_review", "mark_reviewed",
    "report_by_hash", "report_id_for", "text_hash", "parse_amount", "rebuild_state", "record", "undo",
    "activity_counts", "bulk_insert", "data_version", "done_dates", "events_for", "get_item", "get_report",
    "list_reports", "logged_by_category", "next_report_id", "previous_report", "report_count",
    "report_events", "report_items", "report_metrics", "report_sections", "table_counts", "DEFAULT_DB",
    "MIGRATIONS", "SAMPLE_REPORT", "TABLES", "Database", "close", "connect", "engine_version", "db_path", "migrate", "now",
    "schema_version", "stable_id", "transaction", "SYSTEM_USER", "check_permission", "count_users",
    "get_user", "insert_user", "list_users", "may", "role_label", "update_user",
]  # fmt: skip
