"""Reminders (督办提醒) per unit, as of a date, and mailing them: pure data in, messages out.

For each unit, as of a day:
- commitments due within `DUE_SOON_DAYS` (30) days, today included, not done by then;
- overdue commitments (due before that day, not done by then);
  both for the lead unit and the co-units (marked 配合);
- progress reports missing for periods whose due date has passed (lead unit only, as in
  `periods.missing`; reports filed after the day do not count);
- leaders' instructions (批示) on the unit's commitments that the unit has not marked read.
Units with nothing to do get no reminder; disabled units get none.

Input rows (plain dicts, other keys ignored):
- items: `{"id", "title", "lead": unit or "", "co": [unit, ...], "due": date/ISO or None,
  "done_on": date/ISO or None}` (see `tracker.periods` for `done_on`);
- reports and periods as in `tracker.periods`;
- instructions: `{"id", "item", "text", "by", "at": date/ISO date-time, "read_by": [unit, ...]}`;
- units: `{"name", "email", "active"}`.

Wiring (second round):
- an `instructions` table (id, item_id, text, by, at) written by an event `comment` (the one write a
  leader may make), and `instruction_reads` (instruction_id, unit, by, at) written by an event
  `instruction_read` (the unit's staff) that fills `read_by`;
- `remind --as-of DATE` builds the rows above (items with `done_on` from the status events, see
  `store.done_dates`), calls `reminders(...)`, and prints `render_text` for each (or `to_json` with
  `--json`); with `--send`, `outbox(reminders, --from)` then `send(messages, host, port, starttls,
  user, password-from-env)`, printing the units skipped for want of an address and any refused
  recipients; `MailError` is a `TrackerError`, shown as one line. The README's cron line:
  `0 8 * * 1-5 cd /srv/luoshi && .venv/bin/python -m tracker remind --as-of $(date +\\%F) --send
  --smtp mail.example.gov.cn:25 --from duban@example.gov.cn`;
- 我的任务 can show the same lists from `reminders(...)` filtered to the user's unit.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from tracker.dates import cn_date
from tracker.errors import InvalidInput, TrackerError
from tracker.periods import Period, as_date, as_period, normalise_label, owes_report, sort_periods

# the same window as the lights' "due soon" (progress.DUE_SOON_DAYS)
DUE_SOON_DAYS = 30
# the reply date the message asks for: this many days after the reminder's day
REPLY_DAYS = 3
SENDER_NAME = "落实督办系统"
TIMEOUT = 30  # seconds to wait for the mail server
LEAD, CO = "lead", "co"
_NUMERALS = "一二三四五六七八九十"


class MailError(TrackerError):
    """The mail server cannot be reached or refuses the session (not one recipient: see SendResult)."""


@dataclass(frozen=True)
class Task:
    """A commitment due soon (`days` left, 0 = today) or overdue (`days` past its due date)."""

    item: str
    title: str
    due: date
    days: int
    role: str = LEAD  # LEAD | CO


@dataclass(frozen=True)
class MissingReport:
    """A period past its due date without the unit's report on one of the commitments it leads."""

    item: str
    title: str
    period: str  # label, e.g. 2023-06
    period_name: str  # 2023年6月
    due: date
    days: int  # days past the due date


@dataclass(frozen=True)
class Instruction:
    """A leader's instruction (批示) the unit has not marked read."""

    id: object
    item: str
    title: str
    text: str
    by: str
    at: date


@dataclass
class Reminder:
    """What one unit has to do as of a day."""

    unit: str
    email: str | None
    as_of: date
    reply_by: date
    due_soon: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    missing: list[MissingReport] = field(default_factory=list)
    instructions: list[Instruction] = field(default_factory=list)

    @property
    def tasks(self) -> int:
        """How many commitments the reminder is about (a commitment both overdue and unreported counts once)."""
        lists = (self.due_soon, self.overdue, self.missing, self.instructions)
        return len({entry.item for entries in lists for entry in entries})


def reminders(
    items: Iterable[Mapping],
    reports: Iterable[Mapping],
    periods: Iterable[Period | Mapping | str],
    instructions: Iterable[Mapping],
    units: Iterable[Mapping],
    as_of: date,
    reply_days: int = REPLY_DAYS,
) -> list[Reminder]:
    """One `Reminder` per unit with something to do as of `as_of`, sorted by unit name."""
    items = list(items)
    known = {u["name"]: u for u in units}
    by_unit: dict[str, Reminder] = {}

    def reminder(unit: str) -> Reminder:
        if unit not in by_unit:
            email = (known.get(unit) or {}).get("email") or None
            by_unit[unit] = Reminder(unit, email, as_of, as_of + timedelta(days=reply_days))
        return by_unit[unit]

    titles = {it["id"]: it.get("title", "") for it in items}
    for it in items:
        due = it.get("due")
        if due in (None, "") or _done_by(it, as_of):
            continue
        due = as_date(due)
        days = (due - as_of).days
        for unit, role in _units_of(it):
            if 0 <= days <= DUE_SOON_DAYS:
                reminder(unit).due_soon.append(Task(it["id"], titles[it["id"]], due, days, role))
            elif days < 0:
                reminder(unit).overdue.append(Task(it["id"], titles[it["id"]], due, -days, role))

    filed = {
        (normalise_label(r["period"]), r["unit"], r["item"])
        for r in reports
        if as_date(r["filed"]) <= as_of
    }  # fmt: skip
    for p in sort_periods(as_period(x) for x in periods):
        if p.due >= as_of:
            continue
        for it in items:
            if owes_report(it, p) and (p.label, it["lead"], it["id"]) not in filed:
                entry = MissingReport(
                    it["id"], titles[it["id"]], p.label, p.name, p.due, (as_of - p.due).days
                )
                reminder(it["lead"]).missing.append(entry)

    by_item = {it["id"]: it for it in items}
    for ins in sorted(instructions, key=lambda i: str(i["at"])):
        it = by_item.get(ins["item"])
        at = as_date(ins["at"])
        if it is None or at > as_of:
            continue
        read_by = set(ins.get("read_by") or ())
        for unit, _ in _units_of(it):
            if unit not in read_by:
                entry = Instruction(ins["id"], it["id"], titles[it["id"]], ins["text"], ins["by"], at)
                reminder(unit).instructions.append(entry)

    out = []
    for unit in sorted(by_unit):
        r = by_unit[unit]
        if unit in known and not known[unit].get("active", True):
            continue
        r.due_soon.sort(key=lambda t: (t.due, t.role != LEAD))
        r.overdue.sort(key=lambda t: (t.due, t.role != LEAD))
        out.append(r)
    return out


def _done_by(item: Mapping, day: date) -> bool:
    done_on = item.get("done_on")
    return done_on not in (None, "") and as_date(done_on) <= day


def _units_of(item: Mapping) -> list[tuple[str, str]]:
    """The units of a commitment with their role, the lead first, each once."""
    seen, out = set(), []
    for unit, role in [(item.get("lead") or "", LEAD), *((u, CO) for u in item.get("co") or ())]:
        if unit and unit not in seen:
            seen.add(unit)
            out.append((unit, role))
    return out


def subject(r: Reminder) -> str:
    return f"【督办提醒】{_one_line(r.unit)}：{r.tasks}项任务待办"


def render_text(r: Reminder) -> str:
    """The reminder as the office writes it: salutation, numbered sections, what to do by when."""
    sections = []
    if r.due_soon:
        lines = [
            f"{_role(t)}{t.title}（截止{cn_date(t.due)}，{'今天到期' if t.days == 0 else f'还有{t.days}天'}）"
            for t in r.due_soon
        ]
        sections.append((f"{DUE_SOON_DAYS}天内到期的任务（{len(r.due_soon)}项）", lines))
    if r.overdue:
        lines = [f"{_role(t)}{t.title}（截止{cn_date(t.due)}，已超期{t.days}天）" for t in r.overdue]
        sections.append((f"已超期的任务（{len(r.overdue)}项）", lines))
    if r.missing:
        lines = [
            f"{m.period_name}进展情况：{m.title}（应于{cn_date(m.due)}前报送，已逾期{m.days}天）"
            for m in r.missing
        ]
        sections.append((f"未报送的进展情况（{len(r.missing)}项）", lines))
    if r.instructions:
        lines = [f"{i.by}于{cn_date(i.at)}对“{i.title}”批示：{i.text}" for i in r.instructions]
        sections.append((f"未阅的领导批示（{len(r.instructions)}条）", lines))

    out = [f"{r.unit}：", "", f"截至{cn_date(r.as_of)}，贵单位有以下{r.tasks}项任务需要办理："]
    for n, (heading, lines) in enumerate(sections):
        out += ["", f"{_NUMERALS[n]}、{heading}"]
        out += [f"{k}. {line}" for k, line in enumerate(lines, 1)]
    asks = []
    if r.missing:
        asks.append(f"请于{cn_date(r.reply_by)}前补报上述进展情况及佐证材料")
    if r.due_soon or r.overdue:
        asks.append("请抓紧推进即将到期和已超期的任务，按时报送进展情况")
    if r.instructions:
        asks.append("请及时阅知领导批示并抓好落实")
    out += ["", "；".join(asks) + "。", "", SENDER_NAME, cn_date(r.as_of)]
    return "\n".join(out) + "\n"


def _role(t: Task) -> str:
    return "（配合）" if t.role == CO else ""


def to_json(rs: Iterable[Reminder]) -> list[dict]:
    """The reminders as JSON-ready dicts (dates ISO), what `remind --json` prints."""

    def plain(value):
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return [{**plain(asdict(r)), "tasks": r.tasks} for r in rs]


def check_address(addr: str) -> str:
    """An e-mail address as typed, trimmed, or InvalidInput (plain ASCII addresses: what every relay takes)."""
    text = str(addr).strip()
    local, at, domain = text.rpartition("@")
    labels = domain.split(".")
    ok = (
        at
        and text.isascii()
        and 0 < len(local) <= 64
        and not any(c in local for c in ' "(),:;<>[\\]')
        and len(labels) >= 2
        and all(label and label.replace("-", "").isalnum() for label in labels)
    )
    if not ok:
        raise InvalidInput(f"“{addr}”不是有效的电子邮箱地址")
    return text


def build_message(r: Reminder, sender: str) -> EmailMessage:
    """One UTF-8 message to the unit: Chinese subject, the `render_text` body, proper headers.

    `sender` is an address or `名称 <address>`; a bare address is shown as `SENDER_NAME`.
    InvalidInput when the unit has no e-mail (use `outbox` to skip those) or an address is invalid.
    """
    if not r.email:
        raise InvalidInput(f"{r.unit}没有登记电子邮箱")
    name, addr = parseaddr(sender)
    addr = check_address(addr or sender)
    msg = EmailMessage()
    msg["From"] = Address(display_name=_one_line(name) or SENDER_NAME, addr_spec=addr)
    msg["To"] = Address(display_name=_one_line(r.unit), addr_spec=check_address(r.email))
    msg["Subject"] = subject(r)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=addr.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a robot
    msg.set_content(render_text(r), charset="utf-8")
    return msg


def outbox(rs: Iterable[Reminder], sender: str) -> tuple[list[EmailMessage], list[str]]:
    """Messages for the units with an e-mail address, and the names of the units without one."""
    messages, skipped = [], []
    for r in rs:
        if r.email:
            messages.append(build_message(r, sender))
        else:
            skipped.append(r.unit)
    return messages, skipped


@dataclass
class SendResult:
    """Who got a message, and the recipients the server refused with its reason."""

    sent: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def send(
    messages: Iterable[EmailMessage],
    host: str,
    port: int,
    starttls: bool = False,
    user: str | None = None,
    password: str | None = None,
    timeout: float = TIMEOUT,
) -> SendResult:
    """Send the messages over one SMTP session (standard library smtplib).

    A recipient the server refuses is listed in the result and the others still go; a server that
    cannot be reached, refuses STARTTLS or the login, or drops the session raises `MailError` with one
    Chinese line.
    """
    where = f"{host}:{port}"
    result = SendResult()
    try:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    except (OSError, smtplib.SMTPException) as e:
        raise MailError(f"无法连接邮件服务器 {where}（{_reason(e, timeout)}）") from e
    with smtp:
        stage = "STARTTLS"
        try:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            stage = "登录（AUTH）"
            if user:
                smtp.login(user, password or "")
        except smtplib.SMTPNotSupportedError as e:
            raise MailError(f"邮件服务器 {where} 不支持{stage}") from e
        except smtplib.SMTPAuthenticationError as e:
            raise MailError(f"邮件服务器 {where} 拒绝了用户名或密码") from e
        except (OSError, smtplib.SMTPException) as e:
            raise MailError(f"与邮件服务器 {where} 建立会话失败（{_reason(e, timeout)}）") from e
        for msg in messages:
            to = msg["To"].addresses[0].addr_spec
            try:
                smtp.send_message(msg)
            except smtplib.SMTPRecipientsRefused as e:
                code, text = next(iter(e.recipients.values()))
                result.refused.append((to, f"{code} {_text(text)}"))
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as e:
                result.refused.append((to, f"{e.smtp_code} {_text(e.smtp_error)}"))
            except (OSError, smtplib.SMTPException) as e:
                raise MailError(
                    f"邮件服务器 {where} 中断了会话（已发送 {len(result.sent)} 封）：{_reason(e, timeout)}"
                ) from e
            else:
                result.sent.append(to)
    return result


def _reason(e: BaseException, timeout: float) -> str:
    if isinstance(e, ConnectionRefusedError):
        return "连接被拒绝，请检查地址和端口"
    if isinstance(e, socket.gaierror):
        return "找不到该主机"
    if isinstance(e, TimeoutError):
        return f"{timeout:g} 秒内无响应"
    if isinstance(e, ssl.SSLError):
        return f"TLS 握手失败：{e.reason or e}"
    if isinstance(e, smtplib.SMTPResponseException):
        return f"{e.smtp_code} {_text(e.smtp_error)}"
    return _one_line(str(e)) or type(e).__name__


def _text(value: bytes | str) -> str:
    return _one_line(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
