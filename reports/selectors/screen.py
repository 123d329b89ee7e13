"""The leader's screen (数据大屏): one bureau's figures of the moment, for a wall display (docs/reports.md).

What it shows, each from the one place that already counts it:
- today's intake: work orders received and completed since midnight, Shanghai time;
- open and overdue work orders by unit (open: an open status; overdue: its nearest open deadline has
  passed, `Ticket.next_clock_due_at`, as the review dashboard counts it);
- this month's five hotline indicators by unit: the monthly briefing's (reports.selectors.briefing,
  from the kept counts of the month in progress, reports.services.monthly_counts_current);
- hot categories: this month's categories with the most work orders (reports.selectors.hotspots);
- open alerts by kind and age: the function named by settings.HOTLINE_SCREEN_ALERTS
  (`alerts.selectors.open_alerts_by_kind_and_age`), called by name since reports does not import alerts.

The figures are bureau-wide and the same for everyone who may open the screen (reports.view_screen), so a
bureau's are kept in the process for HOTLINE_SCREEN_SECONDS: a room of screens refreshing every half
minute costs one count per process in that time.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.process_cache import ProcessCache
from org.choices import UnitKind
from org.models import Unit
from reports.selectors.briefing import briefing_for_user
from reports.selectors.hotspots import Span, hot_categories
from reports.selectors.months import Month
from tickets.choices import OPEN_STATUSES
from tickets.models import Ticket
from workdays.calendar import SHANGHAI

HOT_CATEGORIES = 8


def _open_alerts(bureau_id: int, now: dt.datetime) -> dict:
    """Open alerts by kind and age, or {"available": False} when the function is not installed."""
    try:
        count = import_string(settings.HOTLINE_SCREEN_ALERTS)
    except ImportError:
        return {"available": False, "rows": [], "totals": {}, "bands": []}
    figures = count(bureau_id, now=now)
    rows = [{**row, "label": str(row["label"])} for row in figures["rows"]]
    return {"available": True, "rows": rows, "totals": figures["totals"], "bands": list(figures["bands"])}


def screen_figures(user, *, now: dt.datetime | None = None, stored=None) -> dict:
    """The screen's figures for the user's bureau, as JSON-ready values (the page and data.json).

    `stored`: the kept counts of the month in progress (reports.services.monthly_counts_current), for the
    five indicators; the caller passes them (selectors do not write)."""
    now = now or timezone.now()
    bureau_id = user.unit.bureau_id
    local = now.astimezone(SHANGHAI)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    tickets = Ticket.objects.filter(bureau_id=bureau_id)

    month = Month.of(now)
    briefing = briefing_for_user(user, month=month, now=now, stored=stored)
    metrics = [metric for metric in briefing.metrics if metric.is_hotline_indicator]

    def indicator_line(line) -> dict:
        figures = [line.figure(metric.key) for metric in metrics]
        return {
            "name": line.name,
            "values": [figure.display for figure in figures],
            "counts": [f"{figure.numerator}/{figure.denominator}" for figure in figures],
        }

    open_by_unit = {
        row["unit_id"]: row
        for row in tickets.filter(status__in=sorted(OPEN_STATUSES), unit__isnull=False)
        .values("unit_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(next_clock_due_at__lt=now)))
        .order_by()
    }
    units = Unit.objects.filter(bureau_id=bureau_id).values("id", "name", "kind", "code", "is_active")
    kind_order = {UnitKind.OFFICE: 0, UnitKind.BRIGADE: 1, UnitKind.SECTION: 2}
    shown = sorted(
        (u for u in units if u["id"] in open_by_unit or (u["is_active"] and u["kind"] != UnitKind.SECTION)),
        key=lambda u: (kind_order.get(u["kind"], 3), u["code"]),
    )
    open_lines = [
        {
            "name": u["name"],
            "open": open_by_unit.get(u["id"], {}).get("open", 0),
            "overdue": open_by_unit.get(u["id"], {}).get("overdue", 0),
        }
        for u in shown
    ]
    this_month = Span(month.start.date(), local.date())
    return {
        "as_of": local.strftime("%Y-%m-%d %H:%M:%S"),
        "today": {
            "received": tickets.filter(received_at__gte=midnight).count(),
            "completed": tickets.filter(completed_at__gte=midnight).count(),
        },
        "units": open_lines,
        "open_total": sum(line["open"] for line in open_lines),
        "overdue_total": sum(line["overdue"] for line in open_lines),
        "month": str(month),
        "metrics": [str(metric.label) for metric in metrics],
        "indicators": [indicator_line(line) for line in briefing.lines],
        "indicators_total": indicator_line(briefing.total) if briefing.total else None,
        "categories": [
            {"name": c.name, "count": c.count} for c in hot_categories(bureau_id, this_month, HOT_CATEGORIES)
        ],
        "alerts": _open_alerts(bureau_id, now),
        "labels": {
            "today": _("Today"),
            "received": _("Received today"),
            "completed": _("Completed today"),
            "open": _("Open work orders"),
            "overdue": _("Overdue"),
            "unit": _("Unit"),
            "total": _("Bureau total"),
            "kind": _("Kind"),
            "alerts_total": _("Open alerts"),
            "alerts_missing": _("Cluster alerts are not installed: no figures."),
            "bands": {"day": _("< 1 day"), "week": _("1–7 days"), "month": _("7–30 days"), "older": _("30 days +")},
        },
    }


class _KeptFigures:
    """A bureau's screen figures kept for HOTLINE_SCREEN_SECONDS in this process (dropped with the other
    per-process copies: core.process_cache.invalidate_all)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._kept: dict[tuple[int, str], tuple[float, dict]] = {}
        ProcessCache.every.append(self)

    def get(self, key: tuple[int, str], load) -> dict:
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and time.monotonic() - kept[0] < settings.HOTLINE_SCREEN_SECONDS:
            return kept[1]
        value = load()
        with self._lock:
            self._kept[key] = (time.monotonic(), value)
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._kept.clear()


kept_figures = _KeptFigures()
