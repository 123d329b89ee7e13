"""The platform and merged work orders (并单, docs/duplicates.md): each merged work order is answered on its own,
in its own source's numbering, with its master's status and outcome."""

from tickets import services
from tickets.choices import Source
from tickets.tests.factories import make_ticket

from .test_progress import UPDATES, complete, progress


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
