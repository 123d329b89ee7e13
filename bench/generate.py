"""City-scale data for the benchmarks: N work orders over 20 units, 300 staff and 3 years, loaded with COPY.

    python bench/generate.py --n 1000000            # into hotline_bench (derived from DATABASE_URL)
    python bench/generate.py --n 20000 --database hotline_bench_smoke --reset

What it writes, per ticket, is what the services would have written (tickets.services walks every
step through ticket_transition): the ticket row, its tracks, its clocks (due times from the real
working-day calendar and the deadline rules), the timeline events, the outbox (status updates) and
the approval requests. Distributions: kinds (complaints ~55%, reports ~25%, composite ~5%, inquiries
and suggestions), sources, categories, tags, a long tail of businesses (Zipf), an open backlog of a
few percent of the tickets (~100,000 open clocks at N=1,000,000), returns for redo, reopened tickets,
extensions, paused clocks, and two clusters: one closed education company with hundreds of
complaints in one month, and one complainant phone with dozens of "organic vegetables" reports.

Speed: two worker processes each build chunks of rows in memory and COPY them in (text format);
foreign-key triggers are off while loading (session_replication_role = replica) because the rows
are consistent by construction; sequences are set past the ids used. The schema is never changed:
run `manage.py migrate` first (this script does it). Columns come from each model's _meta, so a
field added later with a default is filled with that default; a later capability fills its own
tables through the hooks at the end of this file (see `HOOKS`).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import io
import json
import math
import multiprocessing
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

CHUNK = 5000
HOUR = 3600
DAY = 86400
SHANGHAI_OFFSET = 8 * HOUR  # no daylight saving in China since 1991
# Ids are assigned from the ticket id so that chunks never collide: row k of ticket t gets t * STRIDE + k.
STRIDE = {"clock": 12, "event": 24, "update": 20, "track": 2, "request": 2}

KINDS = [("complaint", 55), ("report", 25), ("composite", 5), ("inquiry", 10), ("suggestion", 5)]
SOURCES = [("12345", 75), ("12315", 20), ("walk_in", 2), ("phone", 2), ("letter", 1)]
PLATFORM_SOURCES = {"12345", "12315"}
CATEGORY_WEIGHTS = {
    "food-catering": 10,
    "food-sales": 8,
    "education": 9,
    "prepaid": 12,
    "advertising": 5,
    "price": 9,
    "product-quality": 12,
    "special-equipment": 1,
    "drugs": 2,
    "cosmetics": 3,
    "online-trade": 11,
    "contract": 5,
    "licensing": 4,
    "measurement": 2,
    "other": 7,
}
SUBJECTS = {
    "food-catering": ("餐厅食品变质", "在{b}就餐后腹泻，怀疑菜品变质，要求赔偿医药费{a}元。"),
    "food-sales": ("超市销售过期食品", "在{b}购买的酸奶已过保质期，要求依法处理。"),
    "education": ("预付卡商家关门", "{b}突然停业，已预付课时费{a}元无法退还，要求退款。"),
    "prepaid": ("健身房跑路", "{b}关门，会员卡余额{a}元，商家联系不上。"),
    "advertising": ("虚假宣传", "{b}宣传“全市最低价”“绝对有效”，涉嫌虚假广告。"),
    "price": ("价格欺诈", "{b}标价与结算价不一致，多收费{a}元。"),
    "product-quality": ("家电质量问题", "在{b}新买的空调三天就坏，商家拒绝退换，价款{a}元。"),
    "special-equipment": ("电梯故障", "{b}管理的电梯多次困人，要求检查。"),
    "drugs": ("药店销售处方药", "{b}未凭处方销售处方药。"),
    "cosmetics": ("化妆品过敏", "使用{b}推荐的化妆品后皮肤过敏，花费{a}元。"),
    "online-trade": ("网购不发货", "{b}网店收款{a}元后不发货，客服不回复。"),
    "contract": ("霸王条款", "{b}合同规定“概不退款”，消费者认为属于不公平格式条款。"),
    "licensing": ("无照经营", "{b}无照经营餐饮，油烟扰民。"),
    "measurement": ("缺斤短两", "在{b}购买的水果缺斤短两，称重少了约{a}克。"),
    "other": ("其他消费纠纷", "与{b}发生消费纠纷，涉及金额{a}元。"),
}
AMOUNTS = [98, 380, 680, 1200, 2680, 5000, 12800, 36000]
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建文"
ROADS = ["人民北路", "中山中路", "荣乐东路", "新松江路", "谷阳北路", "文诚路", "九亭大街", "泗泾路", "沪松公路"]
BUSINESS_WORDS = ["华", "盛", "鑫", "润", "达", "恒", "宏", "嘉", "佳", "德", "泰", "丰", "源", "瑞", "祥", "通"]
BUSINESS_TRADES = ["餐饮管理", "教育科技", "健身服务", "商贸", "电器销售", "美容美发", "网络科技", "超市", "食品"]
REPLY_TEXTS = [
    "经调查核实，已督促商家整改并与诉求人沟通，详见办理情况。",
    "经现场检查，商家已按要求退款，诉求人表示认可。",
    "经核查，未发现所反映的违法行为，已向诉求人解释说明。",
]
RETURN_REASONS = ["grounds_insufficient", "facts_unclear", "evidence_missing", "wrong_classification"]
RULE_REPLY_DAYS = {"complaint": 15, "report": 15, "composite": 15, "inquiry": 3, "suggestion": 5}
RECEIPT_CLOCKS = {
    "complaint": ["first_contact", "reply", "acceptance"],
    "report": ["first_contact", "reply", "verification"],
    "composite": ["first_contact", "reply", "acceptance", "verification"],
    "inquiry": ["first_contact", "reply"],
    "suggestion": ["first_contact", "reply"],
}
CLOCK_DAYS = {
    "first_contact": 1,
    "acceptance": 7,
    "mediation": 45,
    "verification": 15,
    "reporter_notice": 5,
    "advertising": 7,
    "redo": 3,
}
EXTENSION_DAYS = 15
WORKING_DAY_COUNTS = sorted({1, 3, 5, 7, 15, 45, EXTENSION_DAYS})
HANDLING = {"accepted", "in_progress", "reopened"}
FIRST_CONTACT_JSON = '{"note":"已电话联系诉求人，了解情况。","contacted_at":"%s"}'
TRACKS = {
    "complaint": ["complaint"],
    "report": ["report"],
    "composite": ["complaint", "report"],
    "inquiry": [],
    "suggestion": [],
}


# ---------------------------------------------------------------- COPY plumbing


def copy_escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_value(value, model_field=None) -> str:
    """One value in COPY text format."""
    from django.db import models

    if value is None:
        return "\\N"
    if model_field is not None and isinstance(model_field, models.JSONField):
        return copy_escape(json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return copy_escape(str(value))


_JSON_CACHE: dict[str, str] = {}


def json_text(value) -> str:
    """JSON in COPY text format; the few distinct small documents are rendered once (json.dumps is slow)."""
    key = repr(value)
    text = _JSON_CACHE.get(key)
    if text is None:
        text = copy_escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        if len(_JSON_CACHE) < 10000:
            _JSON_CACHE[key] = text
    return text


_DAY_TEXT: dict[int, str] = {}
_SECOND_TEXT = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(DAY)]


def ts(epoch: float) -> str:
    """A UTC timestamp in COPY text format (strftime is ten times slower, and this runs ~40 times a ticket)."""
    day, second = divmod(int(epoch), DAY)
    prefix = _DAY_TEXT.get(day)
    if prefix is None:
        prefix = _DAY_TEXT[day] = time.strftime("%Y-%m-%d ", time.gmtime(day * DAY))
    return prefix + _SECOND_TEXT[second]


def opt_ts(epoch: float | None) -> str:
    return "\\N" if epoch is None else ts(epoch)


class Table:
    """A model's table for COPY: the generator provides some columns; every other column gets the field's default.

    A later migration that adds a field with a default therefore keeps the generator working.
    """

    def __init__(self, model, provided: list[str], *, now: dt.datetime):
        self.model = model
        self.db_table = model._meta.db_table
        self.provided = provided
        fields = model._meta.concrete_fields
        known = {f.attname for f in fields}
        unknown = set(provided) - known
        if unknown:
            raise RuntimeError(f"{self.db_table} has no column(s) {sorted(unknown)}")
        parts = []
        for f in fields:
            if f.attname in provided:
                parts.append(f"{{{provided.index(f.attname)}}}")
            else:
                parts.append(copy_value(self._default(f, now), f).replace("{", "{{").replace("}", "}}"))
        self.columns = [f.column for f in fields]
        self.template = "\t".join(parts) + "\n"
        self.rows: list[str] = []

    @staticmethod
    def _default(f, now):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        value = f.get_default()
        if value is None and not f.null:
            raise RuntimeError(
                f"{f.model._meta.db_table}.{f.column} is NOT NULL without a default: bench/generate.py must fill it"
            )
        return value

    def add(self, *values: str) -> None:
        self.rows.append(self.template.format(*values))

    def flush(self, cursor) -> int:
        if not self.rows:
            return 0
        count = len(self.rows)
        stream = io.StringIO("".join(self.rows))
        cursor.copy_expert(f'COPY "{self.db_table}" ({", ".join(self.columns)}) FROM STDIN', stream)
        self.rows = []
        return count


def copy_rows(model, provided: list[str], rows: list[tuple], *, now: dt.datetime) -> int:
    """COPY a small list of Python-valued rows (organisation, businesses)."""
    from django.db import connection

    table = Table(model, provided, now=now)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    for row in rows:
        table.add(*(copy_value(value, fields[name]) for name, value in zip(provided, row, strict=True)))
    with connection.cursor() as cursor:
        return table.flush(cursor)


# ---------------------------------------------------------------- the context every worker shares


@dataclass
class Context:
    n: int
    seed: int
    now: float
    start: float
    day0: int  # Shanghai day number (days since the epoch) of `start`
    day_cum: list[float]
    hour_cum: list[float]
    bureau_id: int
    units: list[dict]
    unit_cum: list[float]
    dispatchers: list[int]
    reviewers: list[int]
    chiefs: list[int]
    categories: dict[str, int]
    category_codes: list[str]
    category_cum: list[float]
    business_count: int
    business_cum: list[float]
    business_names: list[str]
    edu_business: int
    edu_window: tuple[float, float]
    edu_p: float
    phone_window: tuple[float, float]
    phone_p: float
    pro_phone: str
    tau_days: float
    stuck_share: float
    due: dict[int, list[tuple[float, str, str]]] = field(default_factory=dict)
    rules: dict[tuple[str, str], int] = field(default_factory=dict)


CTX: Context | None = None


def shanghai_day(epoch: float) -> int:
    return int((epoch + SHANGHAI_OFFSET) // DAY)


def due_for(ctx: Context, days: int, start_epoch: float) -> tuple[float, str, str]:
    """(due epoch, due as COPY text, calendar warning): the end of the `days`-th working day after the start day."""
    table = ctx.due[days]
    index = shanghai_day(start_epoch) - ctx.day0
    if index < len(table):
        return table[index]
    from workdays import calendar

    deadline = calendar.add_working_days(dt.datetime.fromtimestamp(start_epoch, tz=dt.UTC), days)
    return deadline.due_at.timestamp(), deadline.due_at.isoformat(), deadline.warning


def build_due_tables(ctx: Context, horizon_days: int) -> None:
    """Precompute the due time for every start day and working-day count in use (the calendar is slow per call)."""
    from workdays import calendar

    cal = calendar.get_calendar()
    for days in WORKING_DAY_COUNTS:
        rows = []
        for index in range(horizon_days):
            day = dt.date(1970, 1, 1) + dt.timedelta(days=ctx.day0 + index)
            deadline = cal.add_working_days(day, days)
            rows.append((deadline.due_at.timestamp(), ts(deadline.due_at.timestamp()), copy_escape(deadline.warning)))
        ctx.due[days] = rows


# ---------------------------------------------------------------- one ticket's life


def cumulative(weights) -> list[float]:
    total = float(sum(weights))
    out, running = [], 0.0
    for weight in weights:
        running += weight
        out.append(running / total)
    out[-1] = 1.0
    return out


def pick(rng: random.Random, items: list, cum: list[float]):
    return items[bisect.bisect_left(cum, rng.random())]


KIND_ITEMS, KIND_CUM = [k for k, _ in KINDS], cumulative([w for _, w in KINDS])
SOURCE_ITEMS, SOURCE_CUM = [s for s, _ in SOURCES], cumulative([w for _, w in SOURCES])


def open_stage(rng: random.Random, age_days: float) -> str:
    if age_days < 0.2:
        table = [("received", 60), ("dispatched", 30), ("accepted", 10)]
    elif age_days < 2:
        table = [("received", 8), ("dispatched", 20), ("accepted", 22), ("in_progress", 50)]
    else:
        table = [
            ("received", 1),
            ("dispatched", 2),
            ("accepted", 3),
            ("in_progress", 70),
            ("unit_review", 10),
            ("section_review", 7),
            ("reopened", 7),
        ]
    return pick(rng, [s for s, _ in table], cumulative([w for _, w in table]))


@dataclass
class Tables:
    ticket: Table
    track: Table
    clock: Table
    event: Table
    update: Table
    request: Table

    def all(self):
        return [self.ticket, self.track, self.clock, self.event, self.update, self.request]


TICKET_COLUMNS = [
    "id",
    "bureau_id",
    "source",
    "external_id",
    "kind",
    "title",
    "content",
    "category_id",
    "tags",
    "is_advertising",
    "is_urgent",
    "complainant_name",
    "complainant_phone",
    "complainant_id_number",
    "complainant_address",
    "complainant_is_real_name",
    "is_confidential",
    "may_publish",
    "business_id",
    "respondent_name",
    "respondent_credit_code",
    "respondent_address",
    "location_address",
    "location_lat",
    "location_lng",
    "received_at",
    "reply_due_working_days",
    "reply_due_at",
    "status",
    "unit_id",
    "handler_id",
    "dispatched_at",
    "accepted_at",
    "first_contact_at",
    "replied_at",
    "completed_at",
    "next_clock_due_at",
    "reply_text",
    "merged_into_id",
    "return_count",
    "request_hash",
    "version",
    "created_at",
    "updated_at",
]
TRACK_COLUMNS = ["id", "ticket_id", "track", "finding", "outcome", "grounds", "case_number", "is_violation_suspected"]
CLOCK_COLUMNS = [
    "id",
    "ticket_id",
    "clock",
    "rule_id",
    "working_days",
    "starts_at",
    "due_at",
    "status",
    "met_at",
    "paused_at",
    "extended_working_days",
    "paused_working_days",
    "calendar_warning",
]
EVENT_COLUMNS = ["id", "ticket_id", "code", "data", "actor_id", "at", "is_internal"]
UPDATE_COLUMNS = [
    "id",
    "ticket_id",
    "status",
    "updated_at",
    "reply",
    "delivery_status",
    "attempts",
    "next_attempt_at",
    "last_error",
]
REQUEST_COLUMNS = [
    "id",
    "ticket_id",
    "kind",
    "status",
    "clock",
    "working_days",
    "reason_code",
    "reason",
    "requested_by_id",
    "requested_at",
    "decided_by_id",
    "decided_at",
    "decision_note",
]


def make_tables(now: dt.datetime) -> Tables:
    from tickets.models import StatusUpdate, Ticket, TicketClock, TicketEvent, TicketRequest, TicketTrack

    return Tables(
        ticket=Table(Ticket, TICKET_COLUMNS, now=now),
        track=Table(TicketTrack, TRACK_COLUMNS, now=now),
        clock=Table(TicketClock, CLOCK_COLUMNS, now=now),
        event=Table(TicketEvent, EVENT_COLUMNS, now=now),
        update=Table(StatusUpdate, UPDATE_COLUMNS, now=now),
        request=Table(TicketRequest, REQUEST_COLUMNS, now=now),
    )


def step_seconds(rng: random.Random, step: str, reply_days: int) -> float:
    """How long a step takes after the previous one (calendar seconds)."""
    if step == "dispatch":
        return rng.uniform(0.2, 20) * HOUR
    if step == "accept":
        return rng.uniform(0.5, 24) * HOUR
    if step == "contact":
        return rng.uniform(0.5, 20) * HOUR if rng.random() > 0.04 else rng.uniform(24, 72) * HOUR
    if step == "decide":
        return rng.uniform(1, 5) * DAY
    if step == "reply":
        # Most replies land well inside the reply deadline; a few are late.
        budget = reply_days * 1.4 * DAY
        return budget * (rng.uniform(0.15, 0.85) if rng.random() > 0.06 else rng.uniform(1.05, 1.6))
    if step == "redo_reply":
        return rng.uniform(0.5, 3) * DAY
    if step in ("return", "unit_approve", "complete"):
        return rng.uniform(2, 40) * HOUR
    if step == "archive":
        return rng.uniform(5, 15) * DAY
    if step == "reopen":
        return rng.uniform(3, 10) * DAY
    if step in ("return_request", "return_approve"):
        return rng.uniform(1, 30) * HOUR
    return HOUR


def plan_steps(kind: str, target: str, *, returns: int, reopened_before: bool, decides: bool) -> list[str]:
    if target == "returned_to_platform":
        return ["return_request", "return_approve"]
    handling = ["dispatch", "accept", "contact"] + (["decide"] if decides else [])
    review = ["reply"] + ["return", "redo_reply"] * returns + ["unit_approve", "complete"]
    reopen = ["reopen", "redo_reply", "unit_approve", "complete"]
    full = handling + review + (reopen if reopened_before else [])
    cut = {
        "received": 0,
        "dispatched": 1,
        "accepted": 2,
        "in_progress": len(handling),
        "unit_review": len(handling) + 1,
        "section_review": len(handling) + 1 + 2 * returns + 1,
    }
    if target in cut:
        return full[: cut[target]]
    if target == "reopened":
        return handling + review + ["reopen"]
    if target == "archived":
        return full + ["archive"]
    return full  # completed


class TicketDraft:
    """One ticket while it is built: what each phase of ticket_build draws, for the phases after it.

    The phases draw from the chunk's `rng` in a fixed order (receipt, course, people, timeline, clocks,
    requests, tracks, the ticket row): the same seed gives the same rows, so a phase must not draw more,
    less or earlier than it does.
    """

    __slots__ = (
        "tid", "stid", "rng", "ctx", "t",
        "received", "age_days", "kind", "source", "category", "tags", "phone", "business",
        "target", "returns", "reopened_before", "decides", "platform", "reply_days", "reply_due_wd", "steps",
        "times", "unit", "handler", "dispatcher", "reviewer", "chief",
        "status", "version", "last_change", "reply_text", "fields", "first_reply", "first_complete", "decide_at",
        "reopen_at", "accepted_complaint", "real_name",
        "cancelled", "paused_at", "extended", "pending_extension", "open_clocks", "nearest",
        "ev_k", "up_k", "cl_k", "ev_base", "up_base", "cl_base",
        "event_row", "event_format", "update_row", "update_format",
    )  # fmt: skip

    def __init__(self, tid: int, rng: random.Random, ctx: Context, t: Tables):
        self.tid, self.stid, self.rng, self.ctx, self.t = tid, str(tid), rng, ctx, t
        self.ev_k = self.up_k = self.cl_k = 0
        self.ev_base, self.up_base, self.cl_base = tid * STRIDE["event"], tid * STRIDE["update"], tid * STRIDE["clock"]
        self.event_row, self.event_format = t.event.rows.append, t.event.template.format
        self.update_row, self.update_format = t.update.rows.append, t.update.template.format
        self.reply_text = ""

    def event(self, code, at, actor, data=None) -> None:
        """A timeline event (TicketEvent)."""
        text = data if data.__class__ is str else json_text(data) if data else "{}"
        actor_text = "\\N" if actor is None else str(actor)
        self.event_row(self.event_format(str(self.ev_base + self.ev_k), self.stid, code, text, actor_text, ts(at), "f"))
        self.ev_k += 1

    def update(self, new_status, at) -> None:
        """A status update for the platform (the StatusUpdate outbox); delivered unless it is minutes old."""
        if self.platform:
            delivery, attempts = ("pending", "0") if self.ctx.now - at < 300 else ("delivered", "1")
        else:
            delivery, attempts = "not_required", "0"
        reply = copy_escape(self.reply_text) if new_status == "completed" else ""
        at_text = ts(at)
        self.update_row(
            self.update_format(
                str(self.up_base + self.up_k), self.stid, new_status, at_text, reply, delivery, attempts, at_text, ""
            )
        )
        self.up_k += 1


def ticket_build(tid: int, rng: random.Random, ctx: Context, t: Tables) -> dict:
    """Every row of one ticket, phase by phase. Returns counters for the caller's summary."""
    d = TicketDraft(tid, rng, ctx, t)
    receipt_draw(d)
    course_plan(d)
    people_pick(d)
    timeline_write(d)
    clocks_write(d)
    requests_write(d)
    if d.ev_k > STRIDE["event"] or d.up_k > STRIDE["update"] or d.cl_k > STRIDE["clock"]:
        raise RuntimeError(f"ticket {tid}: too many rows for the id stride")
    tracks_write(d)
    ticket_row_write(d)
    return {"open": d.status not in ("completed", "archived", "returned_to_platform"), "open_clocks": d.open_clocks}


def receipt_draw(d: TicketDraft) -> None:
    """When it came in (ticket ids follow receipt time, with more work in recent months), what about, from whom
    and against which business; the two clusters; the tags."""
    rng, ctx = d.rng, d.ctx
    u = (d.tid - 1 + rng.random()) / ctx.n
    day_index = bisect.bisect_left(ctx.day_cum, u)
    hour = bisect.bisect_left(ctx.hour_cum, rng.random())
    received = (ctx.day0 + day_index) * DAY - SHANGHAI_OFFSET + hour * HOUR + rng.random() * HOUR
    if received > ctx.now - 60:
        received = ctx.now - 60 - rng.random() * HOUR

    kind = pick(rng, KIND_ITEMS, KIND_CUM)
    source = pick(rng, SOURCE_ITEMS, SOURCE_CUM)
    category = pick(rng, ctx.category_codes, ctx.category_cum)
    tags = []
    phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    business = None
    if kind in ("complaint", "report", "composite") or rng.random() < 0.3:
        business = bisect.bisect_left(ctx.business_cum, rng.random()) + 1
    if ctx.edu_window[0] <= received < ctx.edu_window[1] and rng.random() < ctx.edu_p:
        business, kind, category, source = ctx.edu_business, "complaint", "education", "12345"
        tags.append("mass")
    elif ctx.phone_window[0] <= received < ctx.phone_window[1] and rng.random() < ctx.phone_p:
        phone, kind, category = ctx.pro_phone, "report", "food-sales"
        tags.append("professional")
    if category == "advertising":
        tags.append("advertising")
    roll = rng.random()
    if roll < 0.02:
        tags.append("urgent")
    elif roll < 0.035:
        tags.append("major")
    elif roll < 0.06 and "professional" not in tags:
        tags.append("professional")
    tags.sort()
    d.received, d.age_days = received, (ctx.now - received) / DAY
    d.kind, d.source, d.category, d.tags, d.phone, d.business = kind, source, category, tags, phone, business


def course_plan(d: TicketDraft) -> None:
    """Where it stands today, the steps that took it there (returns, a reopening) and when each was taken."""
    rng, ctx, kind = d.rng, d.ctx, d.kind
    if rng.random() < 0.025:
        target = "returned_to_platform"
    elif rng.random() < 0.95 * math.exp(-d.age_days / ctx.tau_days) + ctx.stuck_share:
        target = open_stage(rng, d.age_days)
    elif d.age_days < 20 or rng.random() < 0.12:
        target = "completed"
    else:
        target = "archived"
    returns = 0
    roll = rng.random()
    if roll < 0.01:
        returns = 2
    elif roll < 0.07:
        returns = 1
    reopened_before = target in ("completed", "archived") and rng.random() < 0.03
    has_complaint = kind in ("complaint", "composite")
    decides = has_complaint and rng.random() < 0.8
    platform = d.source in PLATFORM_SOURCES
    reply_days = RULE_REPLY_DAYS[kind]
    reply_due_wd = None
    if platform and rng.random() < 0.8:
        reply_due_wd = rng.choice((3, 5, 15, 15, 15)) if kind in ("complaint", "report", "composite") else 3
        reply_days = reply_due_wd
    steps = plan_steps(kind, target, returns=returns, reopened_before=reopened_before, decides=decides)
    durations = [step_seconds(rng, step, reply_days) for step in steps]
    available = ctx.now - d.received - 30
    total = sum(durations)
    if total > available:
        factor = available / total * rng.uniform(0.5, 0.95)
        durations = [duration * factor for duration in durations]
    at = d.received
    times = []
    for duration in durations:
        at += duration
        times.append(at)
    d.target, d.returns, d.reopened_before, d.decides, d.platform = target, returns, reopened_before, decides, platform
    d.reply_days, d.reply_due_wd, d.steps, d.times = reply_days, reply_due_wd, steps, times


def people_pick(d: TicketDraft) -> None:
    """The unit and handler (once dispatched), and the dispatcher, reviewer and chief who act on it."""
    rng, ctx = d.rng, d.ctx
    d.unit = d.handler = None
    if d.steps and d.steps[0] == "dispatch":
        d.unit = ctx.units[bisect.bisect_left(ctx.unit_cum, rng.random())]
        if len(d.steps) >= 2:
            d.handler = rng.choice(d.unit["handlers"])
    d.dispatcher = rng.choice(ctx.dispatchers)
    d.reviewer = rng.choice(ctx.reviewers)
    d.chief = rng.choice(ctx.chiefs)


def timeline_write(d: TicketDraft) -> None:
    """The timeline events and the platform's status updates of each step, and the fields the steps set."""
    rng, tid, unit, handler, event = d.rng, d.tid, d.unit, d.handler, d.event
    status = "received"
    version = 1
    last_change = d.received
    fields = {"dispatched": None, "accepted": None, "contact": None, "replied": None, "completed": None}
    first_reply = first_complete = decide_at = reopen_at = None
    accepted_complaint = d.decides and rng.random() < 0.75
    d.real_name = rng.random() < 0.7

    event("received", d.received, None, {"source": d.source})
    d.update("received", d.received)
    for step, at in zip(d.steps, d.times, strict=True):
        new_status = None
        if step == "dispatch":
            new_status = "dispatched"
            fields["dispatched"] = at
            event("dispatched", at, d.dispatcher, {"unit": unit["code"], "note": ""})
        elif step == "accept":
            new_status = "accepted"
            fields["accepted"] = at
            event("accepted", at, handler)
        elif step == "contact":
            new_status = "in_progress"
            fields["contact"] = at
            event("first_contact", at, handler, FIRST_CONTACT_JSON % ts(at))
        elif step == "decide":
            decide_at = at
            event("acceptance_decided", at, handler, {"accepted": accepted_complaint, "note": ""})
            version -= 1  # not a transition
        elif step in ("reply", "redo_reply"):
            new_status = "unit_review"
            d.reply_text = REPLY_TEXTS[tid % len(REPLY_TEXTS)]
            fields["replied"] = at
            first_reply = first_reply or at
            event("reply_submitted", at, handler, {"tracks": {}})
        elif step == "return":
            new_status = "in_progress"
            # returned by the unit's deputy leader or by the section (reviews.Return rows follow these events)
            stage, by = ("unit", unit["deputy"]) if rng.random() < 0.6 else ("section", d.reviewer)
            event("review_returned", at, by, {"stage": stage, "reason_codes": [rng.choice(RETURN_REASONS)]})
        elif step == "unit_approve":
            new_status = "section_review"
            event("unit_approved", at, unit["deputy"])
        elif step == "complete":
            new_status = "completed"
            fields["completed"] = at
            first_complete = first_complete or at
            event("completed", at, d.reviewer)
        elif step == "reopen":
            new_status = "reopened"
            reopen_at = at
            fields["completed"] = None
            event("reopened", at, None, {"reason": "unsatisfied", "source": "platform"})
        elif step == "archive":
            new_status = "archived"
            event("archived", at, d.reviewer)
        elif step == "return_request":
            event(
                "return_to_platform_requested",
                at,
                d.dispatcher,
                {"reason_code": "not_jurisdiction", "reason": "涉及外区经营者，不属本局管辖。"},
            )
            version -= 1
        elif step == "return_approve":
            new_status = "returned_to_platform"
            event("returned_to_platform", at, d.chief, {"reason_code": "not_jurisdiction", "note": ""})
        version += 1
        last_change = at
        if new_status and new_status != status:
            status = new_status
            d.update(status, at)
    if d.target == "reopened" and status == "reopened":
        fields["completed"] = None
    d.status, d.version, d.last_change, d.fields = status, version, last_change, fields
    d.first_reply, d.first_complete, d.decide_at, d.reopen_at = first_reply, first_complete, decide_at, reopen_at
    d.accepted_complaint = accepted_complaint


def clocks_write(d: TicketDraft) -> None:
    """The clocks, as deadlines.receipt_clocks and the later services open and close them; a pause."""
    rng, ctx, kind, received, first_reply = d.rng, d.ctx, d.kind, d.received, d.first_reply
    d.cancelled = d.target == "returned_to_platform"
    d.paused_at = None
    if d.status == "in_progress" and rng.random() < 0.03:
        d.paused_at = d.last_change + (ctx.now - d.last_change) * rng.random()
        d.event("clocks_paused", d.paused_at, d.handler, {"reason": "样品送检"})
    d.extended = first_reply is not None and rng.random() < 0.03
    d.pending_extension = d.status in HANDLING and not d.extended and rng.random() < 0.03
    d.open_clocks = 0
    d.nearest = (float("inf"), "\\N")  # the nearest open clock: Ticket.next_clock_due_at

    for code in RECEIPT_CLOCKS[kind]:
        if code == "reply":
            days = d.reply_due_wd or RULE_REPLY_DAYS[kind]
            clock_add(d, code, received, days, d.first_complete, extend=d.extended)
        elif code == "first_contact":
            clock_add(d, code, received, 1, d.fields["contact"])
        elif code == "acceptance":
            clock_add(d, code, received, 7, d.decide_at or first_reply)
        else:
            clock_add(d, code, received, CLOCK_DAYS[code], first_reply)
    if "advertising" in d.tags:
        clock_add(d, "advertising", received, 7, first_reply, rule_kind="")
    if d.decide_at is not None and d.accepted_complaint:
        clock_add(d, "mediation", d.decide_at, 45, first_reply)
    if first_reply is not None and kind in ("report", "composite") and d.real_name:
        notified = first_reply + rng.uniform(0.5, 4) * DAY
        notified = notified if notified < ctx.now else None
        clock_add(d, "reporter_notice", first_reply, 5, notified)
        if notified:
            d.event("reporter_notified", notified, d.handler, {"note": ""})
    if d.reopen_at is not None:
        met = d.fields["completed"] if d.status != "reopened" else None
        clock_add(d, "redo", d.reopen_at, 3, met, rule_kind="")


def clock_add(d: TicketDraft, code, starts, days, met, rule_kind=None, extend=False) -> None:
    """One clock: due `days` working days after `starts` (and the extension); met, paused, cancelled or open.
    `rule_kind` None: the rule of the ticket's kind."""
    ctx = d.ctx
    due_epoch, due_text, warning = due_for(ctx, days, starts)
    ext = 0
    if extend:
        due_epoch, due_text, warning = due_for(ctx, EXTENSION_DAYS, due_epoch)
        ext = EXTENSION_DAYS
    if d.cancelled:
        state, met_text, paused_text = "cancelled", "\\N", "\\N"
    elif met is not None:
        state, met_text, paused_text = "met", ts(met), "\\N"
    elif d.paused_at is not None:
        state, met_text, paused_text = "paused", "\\N", ts(d.paused_at)
    else:
        state, met_text, paused_text = "open", "\\N", "\\N"
        d.open_clocks += 1
        d.nearest = min(d.nearest, (due_epoch, due_text))
    rule = ctx.rules.get((code, d.kind if rule_kind is None else rule_kind)) or ctx.rules.get((code, ""))
    d.t.clock.add(
        str(d.cl_base + d.cl_k),
        d.stid,
        code,
        opt_id(rule),
        str(days),
        ts(starts),
        due_text,
        state,
        met_text,
        paused_text,
        str(ext),
        "0",
        warning,
    )
    d.cl_k += 1


def requests_write(d: TicketDraft) -> None:
    """The approval requests: an extension (approved, or pending while in hand), a return to the platform."""
    rng, ctx, tid, handler, chief = d.rng, d.ctx, d.tid, d.handler, d.chief
    rq_base = tid * STRIDE["request"]
    if d.extended:
        asked = d.first_reply - rng.uniform(1, 3) * DAY
        d.t.request.add(
            str(rq_base),
            str(tid),
            "extension",
            "approved",
            "reply",
            str(EXTENSION_DAYS),
            "",
            "需要检验检测，申请延期。",
            opt_id(handler),
            ts(asked),
            opt_id(chief),
            ts(asked + HOUR),
            "",
        )
        d.event("extension_requested", asked, handler, {"clock": "reply", "working_days": EXTENSION_DAYS})
        d.event("extension_approved", asked + HOUR, chief, {"clock": "reply", "working_days": EXTENSION_DAYS})
    elif d.pending_extension and handler is not None:
        asked = d.last_change + (ctx.now - d.last_change) * rng.random()
        d.t.request.add(
            str(rq_base),
            str(tid),
            "extension",
            "pending",
            "reply",
            str(EXTENSION_DAYS),
            "",
            "商家配合调查需要时间，申请延期。",
            str(handler),
            ts(asked),
            "\\N",
            "\\N",
            "",
        )
        d.event("extension_requested", asked, handler, {"clock": "reply", "working_days": EXTENSION_DAYS})
    if d.target == "returned_to_platform":
        d.t.request.add(
            str(rq_base + 1),
            str(tid),
            "return_to_platform",
            "approved",
            "",
            "\\N",
            "not_jurisdiction",
            "涉及外区经营者，不属本局管辖。",
            str(d.dispatcher),
            ts(d.times[0]),
            str(chief),
            ts(d.times[1]),
            "",
        )


def tracks_write(d: TicketDraft) -> None:
    """The tracks (one, two for a composite) with their findings once a reply was submitted."""
    rng, tid = d.rng, d.tid
    for index, track in enumerate(TRACKS[d.kind]):
        finding = outcome = grounds = case_number = ""
        suspected = "\\N"
        if d.first_reply is not None:
            if track == "complaint":
                if d.decides and not d.accepted_complaint:
                    outcome, finding, grounds = "not_accepted", "unsubstantiated", "经核查，不符合受理条件。"
                else:
                    roll = rng.random()
                    outcome = "mediated" if roll < 0.6 else "mediation_failed" if roll < 0.85 else "accepted"
                    finding = "substantiated" if rng.random() < 0.6 else "partly"
                    if outcome == "mediated":
                        suspected = "f"
            else:
                if rng.random() < 0.2:
                    case_number = f"沪市监松处〔{tid % 3 + 2024}〕{tid}号"
                    outcome, finding = "case_opened", "substantiated"
                else:
                    outcome, finding, grounds = "not_opened", "unsubstantiated", "经核查，违法事实不成立，不予立案。"
        d.t.track.add(
            str(tid * STRIDE["track"] + index), str(tid), track, finding, outcome, grounds, case_number, suspected
        )


def ticket_row_write(d: TicketDraft) -> None:
    """The ticket row: what the citizen wrote and the fields the phases before it worked out."""
    rng, ctx, tid, business, status, unit, fields = d.rng, d.ctx, d.tid, d.business, d.status, d.unit, d.fields
    amount = AMOUNTS[tid % len(AMOUNTS)]
    business_name = ctx.business_names[business] if business else ""
    title, template = SUBJECTS[d.category]
    content = template.format(b=business_name or "某商家", a=amount)
    has_location = rng.random() < 0.6
    day_text = time.strftime("%Y%m%d", time.gmtime(d.received + SHANGHAI_OFFSET))
    prefix = {"12345": "SH12345", "12315": "12315"}.get(d.source, "HL")
    d.t.ticket.add(
        str(tid),
        str(ctx.bureau_id),
        d.source,
        f"{prefix}-{day_text}-{tid:07d}",
        d.kind,
        title,
        content,
        str(ctx.categories[d.category]),
        json_text(d.tags),
        "t" if "advertising" in d.tags else "f",
        "t" if "urgent" in d.tags else "f",
        FAMILY[tid % len(FAMILY)] + GIVEN[(tid // 7) % len(GIVEN)],
        d.phone,
        f"310117{1950 + tid % 50}{(tid % 12) + 1:02d}{(tid % 28) + 1:02d}{tid % 10000:04d}",
        f"松江区{ROADS[tid % len(ROADS)]}{tid % 999 + 1}号",
        "t" if d.real_name else "f",
        "t" if rng.random() < 0.1 else "f",
        "t" if rng.random() < 0.3 else "f",
        opt_id(business),
        business_name,
        ctx_credit_code(business, ctx),
        "松江区" if business else "",
        f"松江区{ROADS[(tid // 3) % len(ROADS)]}{tid % 500 + 1}号" if has_location else "",
        f"{31.03 + rng.uniform(-0.08, 0.08):.6f}" if has_location else "\\N",
        f"{121.22 + rng.uniform(-0.1, 0.1):.6f}" if has_location else "\\N",
        ts(d.received),
        opt_id(d.reply_due_wd),
        "\\N",
        status,
        opt_id(unit["id"] if unit and status != "received" else None),
        opt_id(d.handler if status not in ("received", "dispatched") else None),
        opt_ts(fields["dispatched"] if status != "received" else None),
        opt_ts(fields["accepted"]),
        opt_ts(fields["contact"]),
        opt_ts(fields["replied"]),
        opt_ts(fields["completed"]),
        d.nearest[1],
        copy_escape(d.reply_text),
        "\\N",
        str(d.returns if d.first_reply else 0),
        "",
        str(d.version),
        ts(d.received),
        ts(max(d.last_change, d.paused_at or 0)),
    )


def opt_id(value) -> str:
    return "\\N" if value is None else str(value)


def ctx_credit_code(business: int | None, ctx: Context) -> str:
    if not business or business % 5 == 0:
        return ""
    return f"913101{business:011d}X"


# ---------------------------------------------------------------- chunks, in worker processes


def chunk_generate(chunk: int) -> dict:
    """Build and COPY one chunk of tickets in its own transaction; deterministic per chunk."""
    from django.db import connection, transaction

    ctx = CTX
    first = chunk * CHUNK + 1
    last = min(ctx.n, first + CHUNK - 1)
    rng = random.Random(ctx.seed * 1_000_003 + chunk)
    tables = make_tables(dt.datetime.fromtimestamp(ctx.now, tz=dt.UTC))
    summary = {"tickets": 0, "open": 0, "open_clocks": 0}
    started = time.perf_counter()
    for tid in range(first, last + 1):
        result = ticket_build(tid, rng, ctx, tables)
        summary["tickets"] += 1
        summary["open"] += result["open"]
        summary["open_clocks"] += result["open_clocks"]
    built = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        for table in tables.all():
            summary[table.db_table] = table.flush(cursor)
    # CPU seconds of the workers, summed: building rows in Python, and waiting for PostgreSQL's COPY
    summary["worker_build_s"] = built - started
    summary["worker_copy_s"] = time.perf_counter() - built
    return summary


# ---------------------------------------------------------------- organisation and businesses

SECTIONS = [("xbk", "消费者权益保护科", True), ("ggk", "广告监督管理科", False), ("spk", "食品经营监督管理科", False)]
SECTION_PRICE = ("jgk", "价格监督检查科", False)
TOWNS = [
    "岳阳",
    "方松",
    "中山",
    "永丰",
    "广富林",
    "九亭",
    "泗泾",
    "佘山",
    "车墩",
    "新桥",
    "洞泾",
    "九里亭",
    "小昆山",
    "石湖荡",
]


def org_create(now: dt.datetime, password_hash: str) -> dict:
    """20 units (4 sections, 14 offices, 2 brigades) and 300 staff with roles; the bench accounts among them."""
    from org.choices import RoleCode, UnitKind
    from org.models import Bureau, Role, Unit, User

    bureau = Bureau.objects.create(code="bench", name="基准测试区市场监督管理局")
    units = []
    for code, name, is_cp in [*SECTIONS, SECTION_PRICE]:
        units.append(
            Unit.objects.create(
                bureau=bureau, code=code, name=name, kind=UnitKind.SECTION, is_consumer_protection=is_cp
            )
        )
    for index, town in enumerate(TOWNS):
        units.append(
            Unit.objects.create(
                bureau=bureau, code=f"o{index:02d}", name=f"{town}市场监管所", kind=UnitKind.OFFICE, town=town
            )
        )
    for index in range(2):
        units.append(
            Unit.objects.create(bureau=bureau, code=f"b{index}", name=f"执法{index + 1}大队", kind=UnitKind.BRIGADE)
        )
    roles = {role.code: role for role in Role.objects.all()}
    people: list[tuple[str, Unit, list[str]]] = []
    cp = units[0]
    people.append((common.DISPATCHER, cp, [RoleCode.DISPATCHER]))
    people += [(f"bench_xbk_dispatcher{i}", cp, [RoleCode.DISPATCHER]) for i in range(1, 6)]
    people.append((common.SECTION_REVIEWER, cp, [RoleCode.SECTION_REVIEWER]))
    people += [(f"bench_xbk_reviewer{i}", cp, [RoleCode.SECTION_REVIEWER]) for i in range(1, 4)]
    people.append((common.SECTION_CHIEF, cp, [RoleCode.SECTION_CHIEF]))
    people.append(("bench_leader", cp, [RoleCode.BUREAU_LEADER]))
    people.append(("bench_admin", cp, [RoleCode.ADMIN]))
    for unit in units[1:4]:
        people.append((f"bench_{unit.code}_chief", unit, [RoleCode.SECTION_CHIEF]))
        people.append((f"bench_{unit.code}_deputy", unit, [RoleCode.UNIT_DEPUTY]))
        people.append((f"bench_{unit.code}_leader", unit, [RoleCode.UNIT_LEADER]))
        people += [(f"bench_{unit.code}_handler{i}", unit, [RoleCode.HANDLER]) for i in range(6)]
    field_units = units[4:]
    for index, unit in enumerate(field_units):
        first = index == 0
        people.append((common.UNIT_LEADER if first else f"bench_{unit.code}_leader", unit, [RoleCode.UNIT_LEADER]))
        people.append((common.UNIT_DEPUTY if first else f"bench_{unit.code}_deputy", unit, [RoleCode.UNIT_DEPUTY]))
        count = 18 if first else 14
        for i in range(count):
            name = common.HANDLER if first and i == 0 else f"bench_{unit.code}_handler{i}"
            people.append((name, unit, [RoleCode.HANDLER]))
    assert len(people) == 300, len(people)
    users = User.objects.bulk_create(
        [
            User(
                username=username,
                password=password_hash,
                unit=unit,
                last_name=FAMILY[i % len(FAMILY)],
                first_name=GIVEN[i % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)],
                email=f"{username}@bench.example.gov.cn",
                is_staff=RoleCode.ADMIN in codes,
                is_superuser=RoleCode.ADMIN in codes,
                date_joined=now,
            )
            for i, (username, unit, codes) in enumerate(people)
        ]
    )
    through = User.roles.through
    through.objects.bulk_create(
        [
            through(user_id=user.pk, role_id=roles[code].pk)
            for user, (_, _, codes) in zip(users, people, strict=True)
            for code in codes
        ]
    )
    by_unit: dict[int, dict] = {}
    for user, (_, unit, codes) in zip(users, people, strict=True):
        entry = by_unit.setdefault(unit.pk, {"id": unit.pk, "code": unit.code, "handlers": [], "deputy": None})
        if RoleCode.HANDLER in codes:
            entry["handlers"].append(user.pk)
        if RoleCode.UNIT_DEPUTY in codes:
            entry["deputy"] = user.pk
    # Field units carry ~92% of the work (the first, busiest, the most); the three business sections the rest.
    working_units, weights = [], []
    for rank, unit in enumerate(field_units):
        working_units.append(by_unit[unit.pk])
        weights.append(1 / (1 + 0.15 * rank))
    field_total = sum(weights)
    weights = [92 * w / field_total for w in weights]
    for unit in units[1:4]:
        working_units.append(by_unit[unit.pk])
        weights.append(8 / 3)
    ids = {username: user.pk for user, (username, _, _) in zip(users, people, strict=True)}
    return {
        "bureau_id": bureau.pk,
        "units": working_units,
        "unit_cum": cumulative(weights),
        "dispatchers": [ids[p[0]] for p in people if RoleCode.DISPATCHER in p[2]],
        "reviewers": [ids[p[0]] for p in people if RoleCode.SECTION_REVIEWER in p[2]],
        "chiefs": [ids[common.SECTION_CHIEF]],
    }


def businesses_create(count: int, rng: random.Random, now: dt.datetime) -> list[str]:
    """`count` businesses with a long tail (ids 1..count), and the closed education company (id count + 1)."""
    from tickets.models import Business
    from tickets.names import business_name_key

    names = [""]
    rows = []
    for index in range(1, count + 1):
        words = BUSINESS_WORDS
        trade = BUSINESS_TRADES[index % len(BUSINESS_TRADES)]
        name = f"上海{words[index % 16]}{words[(index // 16) % 16]}{words[(index // 256) % 16]}{trade}有限公司{index}"
        names.append(name)
        rows.append(
            (
                index,
                name,
                business_name_key(name),
                ctx_credit_code(index, None),
                f"松江区{ROADS[index % len(ROADS)]}{index % 999 + 1}号",
                0,
            )
        )
    edu = "上海某某教育科技有限公司（已停业）"
    names.append(edu)
    rows.append((count + 1, edu, business_name_key(edu), "91310117MA1EDU0001", "松江区荣乐东路1号", 0))
    copy_rows(Business, ["id", "name", "name_key", "credit_code", "address", "ticket_count"], rows, now=now)
    return names


# ---------------------------------------------------------------- hooks for later capabilities


def hook_business_counts(ctx: Context) -> str:
    """The denormalised Business.ticket_count, as ticket_create keeps it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE tickets_business b SET ticket_count = c.n
               FROM (SELECT business_id, count(*) AS n FROM tickets_ticket
                     WHERE business_id IS NOT NULL GROUP BY business_id) c
               WHERE b.id = c.business_id"""
        )
        return f"{cursor.rowcount} businesses counted"


def hook_reviews(ctx: Context) -> str:
    """Returns for redo (with reason lines), callbacks, callback tasks and special supervision, in SQL.

    Derived from the timeline the tickets already have: a Return per `review_returned` event; an
    unsatisfied platform callback (and a special supervision) per `reopened` event; a satisfied or
    basically satisfied callback (~80% / 20%) per `archived` event; a booked callback task per ticket
    completed but not yet archived. Inspection campaigns, key points and training are left empty.
    A column this hook does not know (NOT NULL) skips it with a message rather than failing.
    """
    from django.db import connection

    if not all(_model_exists("reviews", name) for name in ("Return", "Callback", "CallbackTask")):
        return "not built yet (no reviews models)"
    from django.apps import apps

    wanted = {
        "Return": ["id", "ticket_id", "unit_id", "stage", "reason_codes", "comment", "actor_id", "at"],
        "ReturnReasonLine": ["id", "ret_id", "code", "unit_id", "at"],
        "CallbackTask": ["id", "ticket_id", "status", "due_at", "attempts", "last_attempt_at", "note", "created_at"],
        "Callback": [
            "id", "ticket_id", "task_id", "source", "resolved", "satisfaction", "comment", "called_at",
            "unit_id", "actor_id", "recorded_at", "fingerprint",
        ],
        "SpecialSupervision": [
            "id", "ticket_id", "callback_id", "unit_id", "status", "opened_at", "cause_analysis",
            "responsible_person", "is_typical_case", "closed_at",
        ],
    }  # fmt: skip
    tables = {}
    for name, columns in wanted.items():
        model = apps.get_model("reviews", name)
        unknown = [f.column for f in model._meta.concrete_fields if f.column not in columns and not f.null]
        if unknown:
            return f"skipped: reviews.{name} has column(s) {unknown} this hook does not fill"
        tables[name] = model._meta.db_table
    t = tables
    statements = [
        # a return per review_returned event (its id is the event's)
        f"""INSERT INTO {t["Return"]} (id, ticket_id, unit_id, stage, reason_codes, comment, actor_id, at)
            SELECT e.id, e.ticket_id, tk.unit_id, COALESCE(e.data->>'stage', 'section'),
                   COALESCE(e.data->'reason_codes', '[]'::jsonb), '', e.actor_id, e.at
            FROM tickets_ticketevent e JOIN tickets_ticket tk ON tk.id = e.ticket_id
            WHERE e.code = 'review_returned' AND tk.unit_id IS NOT NULL AND e.actor_id IS NOT NULL""",
        f"""INSERT INTO {t["ReturnReasonLine"]} (id, ret_id, code, unit_id, at)
            SELECT r.id, r.id, r.reason_codes->>0, r.unit_id, r.at FROM {t["Return"]} r
            WHERE jsonb_array_length(r.reason_codes) > 0""",
        # a booked callback task for each completed ticket, due three days after completion
        f"""INSERT INTO {t["CallbackTask"]} (id, ticket_id, status, due_at, attempts, last_attempt_at, note, created_at)
            SELECT tk.id, tk.id, 'booked', tk.completed_at + interval '3 days', 0, NULL, '', tk.completed_at
            FROM tickets_ticket tk WHERE tk.status = 'completed' AND tk.completed_at IS NOT NULL""",
        # unsatisfied platform callbacks: the reopened tickets (id: the reopened event's)
        f"""INSERT INTO {t["Callback"]} (id, ticket_id, task_id, source, resolved, satisfaction, comment, called_at,
                                          unit_id, actor_id, recorded_at, fingerprint)
            SELECT e.id, e.ticket_id, NULL, 'platform', 'unresolved', 'unsatisfied', '', e.at - interval '1 hour',
                   tk.unit_id, NULL, e.at, md5('cb' || e.id) || md5('cb2' || e.id)
            FROM tickets_ticketevent e JOIN tickets_ticket tk ON tk.id = e.ticket_id WHERE e.code = 'reopened'""",
        # callbacks of archived tickets: satisfied or basically satisfied, mostly resolved
        f"""INSERT INTO {t["Callback"]} (id, ticket_id, task_id, source, resolved, satisfaction, comment, called_at,
                                          unit_id, actor_id, recorded_at, fingerprint)
            SELECT e.id, e.ticket_id, NULL,
                   CASE WHEN tk.source IN ('12345', '12315') THEN 'platform' ELSE 'staff' END,
                   CASE WHEN e.id % 100 < 78 THEN 'resolved' WHEN e.id % 100 < 95 THEN 'partly' ELSE 'unresolved' END,
                   CASE WHEN e.id % 10 < 8 THEN 'satisfied' ELSE 'basically_satisfied' END,
                   '', e.at - interval '1 hour', tk.unit_id, CASE WHEN tk.source IN ('12345', '12315') THEN NULL
                   ELSE e.actor_id END, e.at, md5('cb' || e.id) || md5('cb2' || e.id)
            FROM tickets_ticketevent e JOIN tickets_ticket tk ON tk.id = e.ticket_id WHERE e.code = 'archived'""",
        # special supervision for each unsatisfied platform callback; closed once the redo was completed
        f"""INSERT INTO {t["SpecialSupervision"]} (id, ticket_id, callback_id, unit_id, status, opened_at,
                                                   cause_analysis, responsible_person, is_typical_case, closed_at)
            SELECT c.id, c.ticket_id, c.id, c.unit_id,
                   CASE WHEN tk.status = 'reopened' THEN 'open' ELSE 'closed' END, c.recorded_at, '', '',
                   c.id % 10 = 0, CASE WHEN tk.status = 'reopened' THEN NULL ELSE tk.completed_at END
            FROM {t["Callback"]} c JOIN tickets_ticket tk ON tk.id = c.ticket_id
            WHERE c.satisfaction = 'unsatisfied' AND c.source = 'platform'""",
    ]
    from django.db import transaction

    counts = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # consistent by construction: no FK triggers
        for statement in statements:
            cursor.execute(statement)
            counts.append(cursor.rowcount)
        for table in tables.values():
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
    return (
        f"{counts[0]:,} returns ({counts[1]:,} reason lines), {counts[2]:,} callback tasks, "
        f"{counts[3] + counts[4]:,} callbacks ({counts[3]:,} unsatisfied), {counts[5]:,} special supervisions"
    )


def hook_escalation(ctx: Context) -> str:
    """Bring the reminders up to date as of the generation time, through the real sweep.

    Each open clock is marked "look at me now" (next_escalation_at = its start, tier 0) and one
    escalation_sweep fires the tier due now and records the passed tiers as skipped, so the bench
    starts from the state a running sweep would have left.
    """
    from django.db import connection

    from tickets.models import TicketClock

    names = {f.name for f in TicketClock._meta.concrete_fields}
    try:
        from tickets import escalation
    except ImportError:
        return "not built yet (no tickets.escalation)"
    if not {"next_escalation_at", "escalation_tier"} <= names or not hasattr(escalation, "escalation_sweep"):
        return "not built yet (tickets.escalation has no sweep over next_escalation_at)"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticketclock SET next_escalation_at = starts_at, escalation_tier = 0 WHERE status = 'open'"
        )
    started = time.perf_counter()
    result = escalation.escalation_sweep(now=dt.datetime.fromtimestamp(ctx.now, tz=dt.UTC))
    return f"swept {result.clocks} open clocks in {time.perf_counter() - started:.1f} s ({dict(result.fired)} fired)"


def _model_exists(app_label: str, name: str) -> bool:
    from django.apps import apps

    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True


# Run in order after the tickets are in; each returns a line for the summary.
ALERT_BACKFILL_DAYS = 14


def hook_alerts(ctx: Context) -> str:
    """Cluster alerts as a running system would have them: every ticket's keys (alerts.TicketSignature), then
    the tickets of the last ALERT_BACKFILL_DAYS days checked in order of receipt through the real detection
    (alerts.services.alerts_backfill): the education company's month ends within them, the professional
    phone's two months too. Checking each ticket costs ~6.6 ms: 90 days of tickets at 1,000,000 would add
    ~9 minutes to the 10-minute budget of generation, 14 days ~1.5 minutes."""
    if not _model_exists("alerts", "TicketSignature"):
        return "not built yet (no alerts app)"
    import datetime as dt

    from alerts.models import ClusterAlert
    from alerts.services import alerts_backfill

    since = dt.datetime.fromtimestamp(ctx.now - ALERT_BACKFILL_DAYS * DAY, tz=dt.UTC)
    written, checked = alerts_backfill(since=since)
    return f"{written} signatures, {checked} tickets checked, {ClusterAlert.objects.count()} alerts"


def hook_text_keys(ctx: Context) -> str:
    """Every ticket's near-identical-text keys (tickets.similarity), as intake writes them: the duplicate proposals
    and the template alerts search them. ~0.1 ms a ticket in one process."""
    if not _model_exists("tickets", "TicketTextKey"):
        return "not built yet (no text keys)"
    from tickets.services.merging import text_keys_backfill

    started = time.perf_counter()
    count = text_keys_backfill()
    return f"text keys of {count} tickets in {time.perf_counter() - started:.1f} s"


CATALOGUE_UNCOVERED = 5  # the least frequent categories have no catalogue row: their suggestion is "similar"


def hook_catalogue(ctx: Context) -> str:
    """The dispatch catalogue (dispatch.CatalogueRow) as an administrator would have set it up three years ago:
    one row for anywhere in the district per category, the lead unit the one most of its work orders went to
    (the generator picks units without regard to the category, so any unit is as right), but for the
    CATALOGUE_UNCOVERED least frequent categories: where the catalogue is silent the suggestion is where similar
    work orders went (dispatch.similar), so the inbox shows both kinds."""
    if not _model_exists("dispatch", "CatalogueRow"):
        return "not built yet (no dispatch catalogue)"
    import datetime as dt

    from django.db import connection

    from dispatch.models import CatalogueRow

    CatalogueRow.objects.filter(bureau_id=ctx.bureau_id).delete()
    by_weight = sorted(ctx.category_codes, key=lambda code: -CATEGORY_WEIGHTS.get(code, 0))
    covered = by_weight[: max(0, len(by_weight) - CATALOGUE_UNCOVERED)]
    ids = [ctx.categories[code] for code in covered]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT ON (category_id) category_id, unit_id FROM ("
            " SELECT category_id, unit_id, count(*) AS n FROM tickets_ticket"
            " WHERE category_id = ANY(%s) AND unit_id IS NOT NULL AND received_at >= %s"
            " GROUP BY category_id, unit_id) c ORDER BY category_id, n DESC, unit_id",
            [ids, dt.datetime.fromtimestamp(ctx.now - 90 * DAY, tz=dt.UTC)],
        )
        leads = dict(cursor.fetchall())
    since = (dt.datetime.fromtimestamp(ctx.start, tz=dt.UTC) - dt.timedelta(days=1)).date()
    CatalogueRow.objects.bulk_create(
        CatalogueRow(
            bureau_id=ctx.bureau_id, category_id=category_id, area="", lead_unit_id=unit_id, effective_from=since
        )
        for category_id, unit_id in leads.items()
    )
    return f"{len(leads)} catalogue rows ({len(ctx.category_codes) - len(leads)} categories left to 'similar')"


PROPOSAL_DAYS = 7


def hook_duplicate_proposals(ctx: Context) -> str:
    """The possible duplicates intake stores (tickets.DuplicateProposal, both ways) for the open work orders of the
    last PROPOSAL_DAYS days (the inbox's and more), through the real tickets.services.merging.proposals_record in
    order of receipt. Intake would have looked only at the work orders before each one; here each looks at its
    whole window (older and newer), the pairs are the same. Older open work orders get theirs from the newer side
    only: the stored proposals of the inbox's rows are complete. Needs the text keys (hook_text_keys first)."""
    if not _model_exists("tickets", "DuplicateProposal"):
        return "not built yet (no duplicate proposals)"
    import datetime as dt

    from django.db import transaction

    from tickets.choices import OPEN_STATUSES
    from tickets.models import DuplicateProposal, Ticket
    from tickets.services.merging import proposals_record

    since = dt.datetime.fromtimestamp(ctx.now - PROPOSAL_DAYS * DAY, tz=dt.UTC)
    tickets = Ticket.objects.filter(received_at__gte=since, status__in=sorted(OPEN_STATUSES)).order_by(
        "received_at", "pk"
    )
    started, done = time.perf_counter(), 0
    for ticket in tickets.iterator(chunk_size=1000):
        with transaction.atomic():
            proposals_record(ticket)
        done += 1
    seconds = time.perf_counter() - started
    return (
        f"proposals of {done} open work orders in {seconds:.1f} s ({seconds / max(done, 1) * 1000:.1f} ms each),"
        f" {DuplicateProposal.objects.count()} stored"
    )


def hook_kept_suggestions(ctx: Context) -> str:
    """The dispatch suggestion each waiting work order keeps (Ticket.dispatch_suggestion), as intake would have kept
    it and the catalogue's hand-over kept it again: through the real tickets.services.suggestions_keep, after the
    catalogue (hook_catalogue)."""
    from tickets.models import Ticket

    if not any(field.name == "dispatch_suggestion" for field in Ticket._meta.get_fields()):
        return "not built yet (no kept suggestions)"
    from tickets.services import suggestions_keep

    started = time.perf_counter()
    kept = suggestions_keep()
    return f"suggestions kept for {kept} waiting work orders in {time.perf_counter() - started:.1f} s"


def hook_kept_months(ctx: Context) -> str:
    """Every closed month's briefing counts (reports.MonthlyCounts), as the hourly task keeps them month after month
    in a running system: the annual report, the assessment and the period figures read them."""
    if not _model_exists("reports", "MonthlyCounts"):
        return "not built yet (no kept months)"
    import datetime as dt

    from reports.selectors.months import Month
    from reports.services import monthly_counts_store

    now = dt.datetime.fromtimestamp(ctx.now, tz=dt.UTC)
    month, first = Month.of(now).previous(), Month.of(dt.datetime.fromtimestamp(ctx.start, tz=dt.UTC))
    started, kept = time.perf_counter(), 0
    while month.start >= first.start:
        monthly_counts_store(ctx.bureau_id, month, now=now)
        kept += 1
        month = month.previous()
    return f"{kept} months kept in {time.perf_counter() - started:.1f} s"


def hook_dashboard_figures(ctx: Context) -> str:
    """The review dashboard's stored counts (reviews.DashboardFigures), as the periodic task keeps them."""
    try:
        from reviews.services.dashboard import dashboard_figures_refresh
    except ImportError:
        return "not built yet (no kept dashboard figures)"
    import datetime as dt

    dashboard_figures_refresh(ctx.bureau_id, now=dt.datetime.fromtimestamp(ctx.now, tz=dt.UTC))
    return "counted"


def hook_assessment_schemes(ctx: Context) -> str:
    """An annual assessment scheme for each year of the data (reports.AssessmentScheme), as an administrator sets
    it: the first rates weighted, the four deductions; without one the assessment has nothing to weigh."""
    if not _model_exists("reports", "AssessmentScheme"):
        return "not built yet (no assessment)"
    import datetime as dt

    from reports.assessment import DEDUCTIONS, WEIGHTED
    from reports.models import AssessmentScheme

    weights = dict(zip(WEIGHTED[:5], [30, 20, 20, 15, 15], strict=False))
    deductions = dict(zip(DEDUCTIONS, [-0.5, -1, -0.5, -1], strict=False))
    first = dt.datetime.fromtimestamp(ctx.start, tz=dt.UTC).year
    last = dt.datetime.fromtimestamp(ctx.now, tz=dt.UTC).year
    for year in range(first, last + 1):
        AssessmentScheme.objects.update_or_create(
            bureau_id=ctx.bureau_id, year=year, defaults={"weights": weights, "deductions": deductions}
        )
    return f"schemes {first}-{last}: weights {weights}, deductions {deductions}"


HOOKS = [
    hook_business_counts,
    hook_reviews,
    hook_escalation,
    hook_text_keys,
    hook_alerts,
    hook_catalogue,
    hook_duplicate_proposals,
    hook_kept_suggestions,
    hook_kept_months,
    hook_dashboard_figures,
    hook_assessment_schemes,
]


# ---------------------------------------------------------------- the whole run


GENERATED_TABLES = [
    "tickets_escalation",  # no database foreign key to the clocks: CASCADE would not reach it
    "tickets_statusupdate",
    "tickets_ticketevent",
    "tickets_ticketclock",
    "tickets_tickettrack",
    "tickets_ticketrequest",
    "tickets_attachment",
    "tickets_ticket",
    "tickets_business",
    "org_user_roles",
    "org_user",
    "org_unit",
    "org_bureau",
]


def database_reset() -> None:
    """Empty the generated tables (and whatever references them); the schema stays."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(GENERATED_TABLES)} RESTART IDENTITY CASCADE")


def sequences_set() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in GENERATED_TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )


def receipt_weights(start: dt.date, days: int) -> list[float]:
    """Daily volume: growing ~25% a year, weekends at 60%, the Spring Festival week at 40%."""
    weights = []
    for index in range(days):
        day = start + dt.timedelta(days=index)
        weight = 1.25 ** (index / 365)
        if day.weekday() >= 5:
            weight *= 0.6
        if day.month == 2 and day.day <= 7:
            weight *= 0.4
        weights.append(weight)
    return weights


HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 8, 12, 12, 10, 7, 9, 11, 11, 10, 8, 6, 5, 4, 3, 2, 1.5]


def generate(
    *,
    n: int,
    seed: int = 2026,
    years: int = 3,
    end: dt.datetime | None = None,
    workers: int = 2,
    tau_days: float = 60.0,
    stuck_share: float = 0.004,
    vacuum: bool = True,
    log=print,
) -> dict:
    """Generate `n` tickets into the current (empty) database; returns the summary with timings."""
    global CTX
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, connections

    from tickets.models import Category, DeadlineRule, Ticket
    from workdays.models import CalendarYear

    if connection.vendor != "postgresql":
        raise SystemExit("bench/generate.py needs PostgreSQL (it loads with COPY)")
    if Ticket.objects.exists():
        raise SystemExit("the bench database already holds tickets: run with --reset to empty it first")
    timings = {}
    begun = time.perf_counter()
    end = end or dt.datetime.now(dt.UTC)
    now_epoch = end.timestamp()
    start_epoch = now_epoch - years * 365 * DAY
    if not CalendarYear.objects.exists():
        call_command("load_calendar", verbosity=0)
    rng = random.Random(seed)
    now_dt = dt.datetime.fromtimestamp(now_epoch, tz=dt.UTC)
    org = org_create(now_dt, make_password(common.BENCH_PASSWORD))
    business_count = max(50, n // 8)
    business_names = businesses_create(business_count, rng, now_dt)
    categories = dict(Category.objects.values_list("code", "id"))
    codes = [code for code in CATEGORY_WEIGHTS if code in categories]
    # (clock, kind) -> rule; kind "" is the general rule (the advertising rule is by tag, kind "")
    rules = {(r.clock, r.kind): r.pk for r in DeadlineRule.objects.filter(is_active=True).order_by("effective_from")}
    day0 = shanghai_day(start_epoch)
    days = shanghai_day(now_epoch) - day0 + 1
    start_day = dt.date(1970, 1, 1) + dt.timedelta(days=day0)
    month = 30 * DAY
    per_month = n / (years * 12)
    ctx = Context(
        n=n,
        seed=seed,
        now=now_epoch,
        start=start_epoch,
        day0=day0,
        day_cum=cumulative(receipt_weights(start_day, days)),
        hour_cum=cumulative(HOUR_WEIGHTS),
        bureau_id=org["bureau_id"],
        units=org["units"],
        unit_cum=org["unit_cum"],
        dispatchers=org["dispatchers"],
        reviewers=org["reviewers"],
        chiefs=org["chiefs"],
        categories=categories,
        category_codes=codes,
        category_cum=cumulative([CATEGORY_WEIGHTS[c] for c in codes]),
        business_count=business_count,
        # a long tail with a flattened head: the top business ~0.4% of tickets, most have one or two
        business_cum=cumulative([1 / ((rank + 50) ** 1.1) for rank in range(1, business_count + 1)]),
        business_names=business_names,
        edu_business=business_count + 1,
        # a month that ended five days ago: within the alerts backfill (hook_alerts) and the monthly briefing
        edu_window=(now_epoch - 5 * DAY - month, now_epoch - 5 * DAY),
        # hundreds of complaints in that month at N=1M (~600), proportionally fewer in small runs (at least ~20)
        edu_p=min(0.5, max(20, 600 * n / 1_000_000) / max(per_month, 1)),
        phone_window=(now_epoch - 60 * DAY, now_epoch),
        phone_p=min(0.5, max(12, 50 * n / 1_000_000) / max(2 * per_month, 1)),
        pro_phone="13900001234",
        tau_days=tau_days,
        stuck_share=stuck_share,
        rules=rules,
    )
    build_due_tables(ctx, days + 400)
    CTX = ctx
    timings["setup_s"] = time.perf_counter() - begun
    chunks = math.ceil(n / CHUNK)
    summary = {"tickets": 0, "open": 0, "open_clocks": 0}
    loaded = time.perf_counter()
    if workers <= 1:
        results = (chunk_generate(chunk) for chunk in range(chunks))
        pool = None
    else:
        connections.close_all()
        # forked children open their own connections on first use
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap_unordered(chunk_generate, range(chunks))
    try:
        for done, result in enumerate(results, 1):
            for key, value in result.items():
                summary[key] = summary.get(key, 0) + value
            if done % 20 == 0 or done == chunks:
                elapsed = time.perf_counter() - loaded
                log(f"  {summary['tickets']:>9,} tickets  {elapsed:6.1f} s  {summary['tickets'] / elapsed:8.0f}/s")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    timings["load_s"] = time.perf_counter() - loaded
    sequences_set()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # statistics before the hooks: their queries (kept months, proposals) are planned on them
        cursor.execute("ANALYZE")
    timings["analyze_loaded_s"] = time.perf_counter() - started
    hooks = {}
    for hook in HOOKS:
        started = time.perf_counter()
        hooks[hook.__name__] = hook(ctx)
        timings[hook.__name__ + "_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # the whole database: the generated tables and those the hooks filled
        cursor.execute("VACUUM ANALYZE" if vacuum and connection.get_autocommit() else "ANALYZE")
    timings["analyze_s"] = time.perf_counter() - started
    timings["total_s"] = time.perf_counter() - begun
    summary.update(timings=timings, hooks=hooks, n=n, end=end.isoformat(), seed=seed)
    return summary


def hooks_run(database: str, url: str, names: list[str]) -> int:
    """Run some hooks again (or a hook added after the generation) on a generated database: the context they read
    (bureau, categories, the generation's start and end) rebuilt from the database and the generation's summary."""
    import types

    common.django_setup(url)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Min

    from org.models import Bureau
    from tickets.models import Category, Ticket

    call_command("migrate", verbosity=0, interactive=False)
    by_name = {hook.__name__: hook for hook in HOOKS}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise SystemExit(f"no such hook: {', '.join(unknown)} (known: {', '.join(by_name)})")
    summary_path = common.ROOT / "var" / f"bench-generate-{database}.json"
    end = dt.datetime.fromisoformat(json.loads(summary_path.read_text())["end"]) if summary_path.exists() else None
    end = end or dt.datetime.now(dt.UTC)
    categories = dict(Category.objects.values_list("code", "id"))
    first = Ticket.objects.aggregate(first=Min("received_at"))["first"] or end
    ctx = types.SimpleNamespace(
        bureau_id=Bureau.objects.values_list("pk", flat=True).first(),
        categories=categories,
        category_codes=[code for code in CATEGORY_WEIGHTS if code in categories],
        start=first.timestamp(),
        now=end.timestamp(),
    )
    for name in names:
        started = time.perf_counter()
        print(f"{name}: {by_name[name](ctx)} ({time.perf_counter() - started:.1f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="tickets (default 1,000,000)")
    parser.add_argument("--database", default=common.FULL_DATABASE, help="bench database name (hotline_bench*)")
    parser.add_argument(
        "--keep", action="store_true", help="refuse to run on a database that holds tickets (default: empty it first)"
    )
    parser.add_argument("--reset", action="store_true", help="(the default) empty the generated tables first")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--end", help="the generation's 'now' (ISO 8601 with offset); default: now")
    parser.add_argument(
        "--hooks",
        help="run only these hooks (comma-separated names, e.g. hook_catalogue) on the generated database, as of the"
        " generation's end (var/bench-generate-<database>.json); nothing else is written",
    )
    args = parser.parse_args(argv)
    url = common.bench_database_url(args.database)
    if args.hooks:
        return hooks_run(args.database, url, args.hooks.split(","))
    created = common.database_ensure(url)
    common.django_setup(url)
    from django.core.management import call_command

    print(f"bench database {args.database}{' (created)' if created else ''}: migrate")
    call_command("migrate", verbosity=0, interactive=False)
    if not args.keep:
        database_reset()  # only ever a hotline_bench* database (common.database_ensure refuses any other name)
    end = dt.datetime.fromisoformat(args.end) if args.end else None
    print(f"generating {args.n:,} tickets with {args.workers} worker(s)")
    summary = generate(n=args.n, seed=args.seed, end=end, workers=args.workers)
    print(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
    out = common.ROOT / "var" / f"bench-generate-{args.database}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
