from reviews.demo import demo_seed_reviews
from reviews.models import Callback, CampaignSample, InspectionCampaign, KeyPoint, Return, TrainingAttendance
from reviews.tests.factories import ticket_in_section_review, ticket_in_unit_review
from tickets.choices import Status
from tickets.models import Ticket


def test_demo_seed_reviews_makes_returns_completions_callbacks_and_a_campaign(org):
    for _ in range(8):
        ticket_in_unit_review(org)
    for _ in range(12):
        ticket_in_section_review(org)

    counts = demo_seed_reviews(bureau=org.bureau, seed=7)

    assert counts["returns"] == Return.objects.count() > 0
    assert counts["completed"] == Ticket.objects.filter(status__in=[Status.COMPLETED, Status.REOPENED]).count() > 0
    assert counts["callbacks"] == Callback.objects.count() > 0
    assert InspectionCampaign.objects.get().drawn_at is not None
    assert counts["samples"] == CampaignSample.objects.count() > 0
    assert KeyPoint.objects.count() >= 3
    assert TrainingAttendance.objects.count() > 0
    assert set(Ticket.objects.filter(status=Status.COMPLETED).values_list("source", flat=True)) == {"12345"}


def test_demo_seed_reviews_twice_adds_nothing(org):
    for _ in range(4):
        ticket_in_section_review(org)
    demo_seed_reviews(bureau=org.bureau)
    before = (Return.objects.count(), Callback.objects.count(), KeyPoint.objects.count())

    again = demo_seed_reviews(bureau=org.bureau)

    assert (again, (Return.objects.count(), Callback.objects.count(), KeyPoint.objects.count())) == ({}, before)
