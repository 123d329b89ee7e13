"""The platform and merged work orders (并单, docs/duplicates.md): each merged work order is answered on its own,
in its own source's numbering, with its master's status and outcome: the update feed and the webhook alike."""

import datetime as dt

from integrations.services import updates_deliver_due
from tickets import services
from tickets.choices import Source
from tickets.tests.factories import make_ticket

from .test_progress import UPDATES, complete, progress
from .test_webhook import T0, platform_server  # noqa: F401  (the stand-in platform the webhook posts to)


def test_feed_answers_each_merged_work_order_once_per_change_in_its_own_numbering(platform, org, calendar_2026):
    first = make_ticket(org, source=Source.HOTLINE_12345, external_id="SH12345-A")
    second = make_ticket(org, source=Source.PLATFORM_12315, external_id="12315-B")
    master = make_ticket(org, source=Source.HOTLINE_12345, external_id="SH12345-M")
    services.ticket_merge(first, into=master, actor=org.dispatcher)
    services.ticket_merge(second, into=master, actor=org.dispatcher)

    complete(master, org)

    results = platform.get(UPDATES + "?limit=100").json()["results"]
    completed = [(r["source"], r["external_id"]) for r in results if r["status"] == "completed"]
    assert sorted(completed) == [("12315", "12315-B"), ("12345", "SH12345-A"), ("12345", "SH12345-M")]
    for external_id in ("SH12345-A", "12315-B"):
        mine = [r["status"] for r in results if r["external_id"] == external_id]
        assert mine == [
            "received",
            "dispatched",
            "accepted",
            "in_progress",
            "unit_review",
            "section_review",
            "completed",
        ]
        reply = [r for r in results if r["external_id"] == external_id][-1]["reply"]
        assert reply == "已调解，退还学费。"


def test_progress_of_a_merged_order_names_its_master_and_shows_its_outcome_then_its_own_after_a_split(
    platform, org, calendar_2026
):
    master = make_ticket(org)
    merged = make_ticket(org, source=Source.PLATFORM_12315)
    services.ticket_merge(merged, into=master, actor=org.dispatcher)
    services.ticket_dispatch(master, unit=org.office_a, actor=org.dispatcher)

    body = progress(platform, merged).json()
    assert body["merged_into"] == {"source": master.source, "external_id": master.external_id}
    assert body["status"] == "dispatched"

    merged.refresh_from_db()
    services.ticket_split(merged, actor=org.dispatcher)
    body = progress(platform, merged).json()
    assert (body["merged_into"], body["status"]) == (None, "received")


def test_webhook_posts_each_merged_work_order_once_per_change_in_its_own_numbering(platform_server, org):  # noqa: F811
    first = make_ticket(org, source=Source.HOTLINE_12345, external_id="SH12345-WA")
    second = make_ticket(org, source=Source.PLATFORM_12315, external_id="12315-WB")
    master = make_ticket(org, source=Source.HOTLINE_12345, external_id="SH12345-WM")
    services.ticket_merge(first, into=master, actor=org.dispatcher)
    services.ticket_merge(second, into=master, actor=org.dispatcher)
    complete(master, org)

    counts = updates_deliver_due(now=T0 + dt.timedelta(days=1))
    assert updates_deliver_due(now=T0 + dt.timedelta(days=2)) == {"delivered": 0, "failed": 0}  # nothing twice

    bodies = platform_server.bodies()
    assert counts == {"delivered": len(bodies), "failed": 0}
    assert len({b["update_id"] for b in bodies}) == len(bodies)
    by_order: dict[tuple[str, str], list[str]] = {}
    for body in bodies:
        by_order.setdefault((body["source"], body["external_id"]), []).append(body["status"])
    lifecycle = ["received", "dispatched", "accepted", "in_progress", "unit_review", "section_review", "completed"]
    assert by_order == {
        ("12345", "SH12345-WA"): lifecycle,
        ("12315", "12315-WB"): lifecycle,
        ("12345", "SH12345-WM"): lifecycle,
    }
    completed = {b["external_id"]: b.get("reply") for b in bodies if b["status"] == "completed"}
    assert completed == dict.fromkeys(["SH12345-WA", "12315-WB", "SH12345-WM"], "已调解，退还学费。")
