"""Official documents (docs/documents.md), in-process on the bench database: what a decision waits for when it
makes its document (a closing opinion: number, fields, .docx), an archive sheet of a long work order, and a
month's archive .zip. Everything is written in one transaction rolled back at the end, files in a temporary
directory: the bench database keeps no document and no number."""

from __future__ import annotations

import statistics
import tempfile
import time

ISSUE_MS = 300  # a decision (an approval, a completion) waits for its document: well under a second
ZIP_S = 10  # a month's archive, downloaded by the section now and then


def _row(key: str, label: str, timings: list[float], target_s: float, note: str = "") -> dict:
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return {
        "key": key,
        "label": label,
        "wall_s": median,
        "p90_s": timings[min(len(timings) - 1, int(len(timings) * 0.90))],
        "note": f"p95 {p95 * 1000:.1f} ms over {len(timings)}" + (f"; {note}" if note else ""),
        "target": f"< {target_s * 1000:.0f} ms" if target_s < 1 else f"< {target_s:.0f} s",
        "met": "met" if median < target_s else "missed",
    }


def measure(count: int = 30) -> list[dict]:
    from django.db import transaction
    from django.db.models import Count
    from django.test import override_settings

    from documents.archive import archive_zip
    from documents.choices import DocumentKind
    from documents.selectors import archived_in_month
    from documents.services import document_issue
    from tickets.choices import Status
    from tickets.models import Ticket, TicketEvent
    from workdays.calendar import SHANGHAI

    completed = list(Ticket.objects.filter(status=Status.COMPLETED).order_by("-completed_at", "-pk")[:count])
    if not completed:
        return [{"key": "document_issue", "label": "Documents: issue one", "met": "no completed work orders"}]
    longest = (
        Ticket.objects.filter(status__in=[Status.COMPLETED, Status.ARCHIVED])
        .annotate(n=Count("events"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
        .first()
    )
    month = TicketEvent.objects.filter(code="archived").values_list("at", "ticket__bureau_id").order_by("-at").first()
    rows = []
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media), transaction.atomic():
        issue = []
        for ticket in completed:
            started = time.perf_counter()
            document_issue(ticket, DocumentKind.CLOSING_OPINION, actor=None)
            issue.append(time.perf_counter() - started)
        rows.append(
            _row(
                "document_issue",
                "Documents: a closing opinion issued (file and business copies)",
                issue,
                ISSUE_MS / 1000,
            )
        )
        if longest:
            sheet = []
            ticket = Ticket.objects.get(pk=longest[0])
            for _ in range(5):
                started = time.perf_counter()
                document_issue(ticket, DocumentKind.ARCHIVE_SHEET, actor=None)
                sheet.append(time.perf_counter() - started)
            rows.append(
                _row(
                    "document_archive_sheet",
                    "Documents: the archive sheet of the longest work order",
                    sheet,
                    ISSUE_MS / 1000,
                    f"{longest[1]} timeline events",
                )
            )
        if month:
            at, bureau_id = month
            local = at.astimezone(SHANGHAI)
            started = time.perf_counter()
            tickets = archived_in_month(bureau_id, local.year, local.month)
            handle = archive_zip(tickets, month_label=f"{local.year}-{local.month:02d}")
            size = len(handle.read())
            elapsed = time.perf_counter() - started
            rows.append(
                _row(
                    "document_month_zip",
                    "Documents: a month's archive .zip with its index",
                    [elapsed],
                    ZIP_S,
                    f"{len(tickets)} work orders, {size / 1024:.0f} KiB (the bench's work orders have no documents)",
                )
            )
        transaction.set_rollback(True)
    return rows


if __name__ == "__main__":  # python -m bench.feature_documents --database hotline_bench: these figures alone
    from bench import common

    raise SystemExit(common.feature_main(measure, __doc__))
