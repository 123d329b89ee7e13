"""The text-similarity facility (tickets.similarity) and the duplicate proposals built on it (tickets.duplicates)."""

import datetime as dt

import pytest

from org.tests.factories import make_org
from tickets import duplicates, similarity
from tickets.models import DuplicateProposal, Ticket, TicketTextKey
from tickets.services import Party, ticket_create, ticket_find_duplicates
from tickets.services.core import proposals_follow
from tickets.tests.factories import RECEIVED

TEMPLATE = "本人于上月在某某生鲜超市购买的有机蔬菜没有有机认证标志，商家涉嫌虚假宣传，要求依法查处并退一赔三。"
OTHER = "小区门口的早餐店每天早上占道经营，油烟很大，影响居民出行，希望有关部门管一管。"


def one_word_changed(text: str, at: int, new: str) -> str:
    return text[:at] + new + text[at + len(new) :]


def test_normalising_drops_digits_punctuation_and_spaces():
    assert similarity.normalised_text("订单 12345，金额￥300元!") == "订单金额元"
    wide = "ＡＢＣ商家虚假宣传有机蔬菜没有认证 2026-01-02"
    assert similarity.similarity(wide, "abc商家虚假宣传有机蔬菜没有认证，2026/03/05") == 1.0


def test_similarity_is_the_jaccard_of_trigram_sets():
    changed = one_word_changed(TEMPLATE, 10, "水果")
    a, b = similarity.grams(TEMPLATE), similarity.grams(changed)
    assert similarity.similarity(TEMPLATE, changed) == len(a & b) / len(a | b)
    assert 0.8 < similarity.similarity(TEMPLATE, changed) < 1.0
    assert similarity.similarity(TEMPLATE, OTHER) < 0.1
    assert similarity.similarity("请尽快处理", "请尽快处理") == 0.0  # too short to be a text


def test_keys_are_stable_and_near_identical_texts_share_some():
    keys = similarity.text_keys(TEMPLATE)
    assert keys == similarity.text_keys(TEMPLATE + "!!! 2026")
    assert len(keys) == similarity.BANDS
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert set(keys) & set(similarity.text_keys(one_word_changed(TEMPLATE, 10, "水果")))
    assert not set(keys) & set(similarity.text_keys(OTHER))
    assert similarity.text_keys("请尽快处理") == []


_numbers = iter(range(1, 10**6))


def _ticket(org, content, *, received_at=RECEIVED, phone="", id_number="", respondent=None, category=None):
    return ticket_create(
        bureau=org.bureau,
        source="12345",
        external_id=f"SIM-{next(_numbers)}",
        kind="complaint",
        content=content,
        received_at=received_at,
        category=category,
        complainant=Party(phone=phone, id_number=id_number),
        respondent=respondent,
    )


def test_intake_writes_the_keys_and_the_search_finds_near_identical_texts_at_the_threshold(org, calendar_2026):
    original = _ticket(org, TEMPLATE)
    assert TicketTextKey.objects.filter(ticket=original).count() == similarity.BANDS
    near = one_word_changed(TEMPLATE, 10, "水果")
    score = similarity.similarity(TEMPLATE, near)

    def search(threshold, **window):
        return similarity.similar_texts(
            bureau_id=org.bureau.pk,
            content=near,
            start=window.get("start", RECEIVED - dt.timedelta(days=1)),
            end=window.get("end", RECEIVED + dt.timedelta(days=1)),
            threshold=threshold,
        )

    assert [(m.ticket_id, m.score) for m in search(score)] == [(original.pk, round(score, 4))]
    assert search(score + 0.001) == []  # just under the threshold: nothing
    assert search(0.5, start=RECEIVED + dt.timedelta(seconds=1)) == []  # outside the window
    assert (
        similarity.similar_texts(bureau_id=org.bureau.pk, content=OTHER, start=RECEIVED, end=RECEIVED, threshold=0.1)
        == []
    )


def test_another_bureaus_texts_are_never_found(org, calendar_2026):
    other = make_org("qp")
    _ticket(other, TEMPLATE)
    assert (
        similarity.similar_texts(bureau_id=org.bureau.pk, content=TEMPLATE, start=RECEIVED, end=RECEIVED, threshold=0.5)
        == []
    )


def test_proposals_by_complainant_business_and_text_within_the_window(org, calendar_2026):
    from tickets.models import Category

    food, ads = Category.objects.order_by("pk")[:2]
    by_phone = _ticket(org, OTHER, phone="13900001111", category=food)
    by_id = _ticket(org, OTHER + "另外", id_number="310101199001011234", category=food)
    shop = Party(name="某某生鲜超市", credit_code="91310117MA1J2AAAAA")
    by_business = _ticket(org, "超市卖过期面包，要求处理并赔偿，已经保留小票。", respondent=shop, category=food)
    by_text = _ticket(org, TEMPLATE, category=ads)
    other_matter = _ticket(org, "超市员工态度恶劣，辱骂顾客，要求道歉。", phone="13900001111", category=ads)
    too_old = _ticket(org, TEMPLATE, phone="13900001111", received_at=RECEIVED - dt.timedelta(days=31))

    new = _ticket(
        org,
        one_word_changed(TEMPLATE, 10, "水果"),
        phone="13900001111",
        id_number="310101199001011234",
        respondent=shop,
        category=food,
        received_at=RECEIVED + dt.timedelta(hours=2),
    )

    found = {p.ticket_id: p.reasons for p in duplicates.duplicate_candidates(new)}
    assert found == {
        by_phone.pk: ["complainant"],
        by_id.pk: ["complainant"],
        by_business.pk: ["business"],
        by_text.pk: ["text"],
    }
    assert other_matter.pk not in found and too_old.pk not in found
    # stored both ways at intake, read for a page of work orders in one query
    assert set(DuplicateProposal.objects.filter(ticket=new).values_list("duplicate_id", flat=True)) == set(found)
    proposals = duplicates.proposals_for([new.pk, by_text.pk])
    assert set(proposals[new.pk]) == set(found)
    assert proposals[by_text.pk] == [new.pk]


def test_a_closed_or_merged_work_order_is_no_longer_proposed(org, calendar_2026):
    first = _ticket(org, TEMPLATE)
    second = _ticket(org, TEMPLATE + "再次投诉")
    assert duplicates.proposals_for([second.pk])[second.pk] == [first.pk]
    Ticket.objects.filter(pk=first.pk).update(status="completed")
    proposals_follow(first.pk, is_open=False)  # as ticket_transition does (test_merge: the writers themselves)
    assert duplicates.proposals_for([second.pk])[second.pk] == []
    assert duplicates.duplicate_candidates(second) == []


def test_manual_intake_warning_includes_near_identical_texts(org, calendar_2026):
    original = _ticket(org, TEMPLATE)
    found = ticket_find_duplicates(
        bureau=org.bureau, content=one_word_changed(TEMPLATE, 12, "肉类"), received_at=RECEIVED
    )
    assert [t.pk for t in found] == [original.pk]
    assert ticket_find_duplicates(bureau=org.bureau, content=OTHER, received_at=RECEIVED) == []


@pytest.mark.parametrize("count", [1, 5])
def test_proposals_for_a_page_take_one_query(org, calendar_2026, django_assert_num_queries, count):
    tickets = [_ticket(org, TEMPLATE + str(i)) for i in range(count)]
    with django_assert_num_queries(1):
        duplicates.proposals_for([t.pk for t in tickets])
