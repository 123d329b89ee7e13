"""Every write of cluster alerts: detection, the consultation (会商) and its unified reply line (统一口径), closing.

An alert is a flag for the consumer-protection section and the units: it never changes a work order's status
or decides its acceptance (a legal decision of the handler). Detection is idempotent: run twice for one work
order, it links nothing twice and tells no one twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import CharField, Count, Exists, F, Max, Min, OuterRef, Q, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.choices import ACTIVE_STATUSES, AlertKind, AlertStatus
from alerts.models import AlertTicket, AlertUnit, ClusterAlert, SweepMark, TicketSignature
from alerts.signatures import claimant_key, phone_key, template_key
from core.errors import StateConflict
from org.choices import RoleCode
from org.models import User
from tickets import similarity
from tickets.masking import mask_id_number, mask_phone
from tickets.models import Business, Ticket
from tickets.services import events_write


class AlertClosed(StateConflict):
    """A consultation of a closed alert (the page shows it as a form error, the API answers 409)."""

    code = "alert_closed"


# The most work orders one new alert links from its window; later ones join it one by one.
MAX_LINKED_AT_OPENING = 5000


@dataclass(frozen=True)
class Rule:
    threshold: int
    window: dt.timedelta


def alert_rules() -> dict[str, Rule]:
    """The thresholds in force (settings, read at each call so that a test or a restart changes them)."""
    return {
        AlertKind.BUSINESS: Rule(
            settings.HOTLINE_ALERT_BUSINESS_THRESHOLD, dt.timedelta(days=settings.HOTLINE_ALERT_BUSINESS_WINDOW_DAYS)
        ),
        AlertKind.COMPLAINANT: Rule(
            settings.HOTLINE_ALERT_COMPLAINANT_THRESHOLD,
            dt.timedelta(days=settings.HOTLINE_ALERT_COMPLAINANT_WINDOW_DAYS),
        ),
        AlertKind.TEMPLATE: Rule(
            settings.HOTLINE_ALERT_TEMPLATE_THRESHOLD, dt.timedelta(days=settings.HOTLINE_ALERT_TEMPLATE_WINDOW_DAYS)
        ),
        # the threshold counts different businesses, not work orders (_due)
        AlertKind.CLAIMANT: Rule(
            settings.HOTLINE_ALERT_CLAIMANT_BUSINESSES,
            dt.timedelta(days=settings.HOTLINE_ALERT_CLAIMANT_WINDOW_DAYS),
        ),
    }


@dataclass
class Detection:
    opened: list[ClusterAlert]
    linked: list[ClusterAlert]  # active alerts this work order was newly linked to


def signature_for(ticket: Ticket) -> TicketSignature:
    return TicketSignature(
        ticket_id=ticket.pk,
        bureau_id=ticket.bureau_id,
        received_at=ticket.received_at,
        business_id=ticket.business_id,
        phone_key=phone_key(ticket.complainant_phone),
        text_key=template_key(ticket.content),
        claimant_key=claimant_key(ticket.complainant_phone, ticket.complainant_id_number),
    )


def signatures_write(tickets) -> None:
    """Store the keys of work orders (once: an existing row is left as it is)."""
    TicketSignature.objects.bulk_create([signature_for(t) for t in tickets], ignore_conflicts=True, batch_size=1000)


def _keys(signature: TicketSignature) -> list[tuple[str, str, Q]]:
    keys = []
    if signature.business_id:
        keys.append((AlertKind.BUSINESS, str(signature.business_id), Q(business_id=signature.business_id)))
    if signature.phone_key:
        keys.append((AlertKind.COMPLAINANT, signature.phone_key, Q(phone_key=signature.phone_key)))
    if signature.text_key:
        keys.append((AlertKind.TEMPLATE, signature.text_key, Q(text_key=signature.text_key)))
    if signature.claimant_key and signature.business_id:
        # only a work order about a business can make a person a claimant of many businesses
        keys.append(
            (AlertKind.CLAIMANT, signature.claimant_key, Q(claimant_key=signature.claimant_key, business__isnull=False))
        )
    return keys


def alert_detect_for_ticket(ticket_id: int) -> Detection:
    """Check a newly received work order against the three kinds of cluster (docs/alerts.md).

    For each key of the work order (business, phone, text): an active alert of the key gains the work order;
    otherwise the bureau's work orders with the key received within the window up to this one are counted,
    and at the threshold an alert opens with all of them linked, and the section and the units are told.
    """
    ticket = (
        Ticket.objects.filter(pk=ticket_id)
        .only(
            "pk",
            "bureau_id",
            "unit_id",
            "received_at",
            "business_id",
            "complainant_phone",
            "complainant_id_number",
            "content",
            "external_id",
        )
        .first()
    )
    result = Detection(opened=[], linked=[])
    if ticket is None:
        return result
    signature = signature_for(ticket)
    keys = _keys(signature)
    rules = alert_rules()
    # One transaction: the signature (which also marks the work order as checked, for the sweep) and the
    # links stand or fall together.
    with transaction.atomic():
        TicketSignature.objects.bulk_create([signature], ignore_conflicts=True)
        if not keys:
            return result
        active, closed_at = _alerts_of_keys(ticket.bureau_id, keys)
        near = _near_identical(ticket, rules[AlertKind.TEMPLATE]) if signature.text_key else None
        if near is not None:
            if AlertKind.TEMPLATE not in active and near.active is not None:
                active[AlertKind.TEMPLATE] = near.active
            latest = closed_at.get(AlertKind.TEMPLATE)
            if near.closed_at is not None and (latest is None or near.closed_at > latest):
                closed_at[AlertKind.TEMPLATE] = near.closed_at
        windows = _windows(ticket, [k for k in keys if k[0] not in active], rules=rules, closed_at=closed_at)
        if near is not None and AlertKind.TEMPLATE not in active:
            windows[AlertKind.TEMPLATE] = _with_near(
                windows.get(AlertKind.TEMPLATE, []), near.window, after=closed_at.get(AlertKind.TEMPLATE)
            )
        for kind, key, _match in keys:
            if kind in active:
                if _link(active[kind], ticket):
                    result.linked.append(active[kind])
                continue
            alert, opened = _open_if_due(ticket, kind=kind, key=key, window=windows.get(kind, []), rule=rules[kind])
            if alert is not None:
                (result.opened if opened else result.linked).append(alert)
    return result


@dataclass
class NearIdentical:
    window: list[tuple[int, dt.datetime]]  # (ticket id, received at) of the near-identical texts in the window
    active: ClusterAlert | None  # an active template alert one of them is linked to (row locked)
    closed_at: dt.datetime | None  # when the last closed template alert of them was closed


def _near_identical(ticket: Ticket, rule: Rule) -> NearIdentical:
    """The bureau's work orders received within the template window up to this one whose text is at least
    HOTLINE_ALERT_TEMPLATE_SIMILARITY_PERCENT similar (tickets.similarity, docs/duplicates.md), and the template
    alerts they are linked to: a near-identical text joins an alert of the template, or counts towards one, even
    when its exact fingerprint differs (a word changed). Two queries for the search, one for their alerts."""
    found = similarity.similar_texts(
        bureau_id=ticket.bureau_id,
        content=ticket.content,
        start=ticket.received_at - rule.window,
        end=ticket.received_at,
        threshold=settings.HOTLINE_ALERT_TEMPLATE_SIMILARITY_PERCENT / 100,
        exclude=[ticket.pk],
        limit=MAX_LINKED_AT_OPENING,
    )
    near = NearIdentical(window=[(m.ticket_id, m.received_at) for m in found], active=None, closed_at=None)
    if not found:
        return near
    alert_ids = AlertTicket.objects.filter(
        ticket_id__in=[m.ticket_id for m in found], alert__kind=AlertKind.TEMPLATE, alert__bureau_id=ticket.bureau_id
    ).values("alert_id")
    for alert in ClusterAlert.objects.select_for_update().filter(pk__in=alert_ids).order_by("pk"):
        if alert.is_active:
            near.active = near.active or alert
        elif alert.closed_at is not None and (near.closed_at is None or alert.closed_at > near.closed_at):
            near.closed_at = alert.closed_at
    return near


def _with_near(window: list, near: list, *, after: dt.datetime | None) -> list[tuple[int, dt.datetime, None]]:
    """The exact fingerprint's window (ticket id, received at, business id) and the near-identical texts together,
    each work order once, newest first (after a closed alert of them, only what came after it counts)."""
    merged = {row[0]: tuple(row) for row in window}
    for ticket_id, received_at in near:
        if after is None or received_at >= after:
            merged.setdefault(ticket_id, (ticket_id, received_at, None))
    return sorted(merged.values(), key=lambda row: row[1], reverse=True)[:MAX_LINKED_AT_OPENING]


# The sweep moves its mark only past work orders created at least this long ago: an intake transaction still open
# has taken its id already, and a mark moved past it would never come back for it.
SWEEP_MARK_LAG = dt.timedelta(minutes=10)
SWEEP_BATCH = 1000


def alert_detect_unchecked(*, limit: int = 2000) -> int:
    """The safety net of the hand-over after intake: every work order never checked (the broker was down, a worker
    died), however old, is checked now. The sweep reads the work orders after its mark (SweepMark) in batches in
    id order (the primary keys of tickets and signatures serve it), checks those without a signature, oldest
    received first within a batch, and moves the mark over what it has done. At most `limit` checks a run; the
    next run goes on. Returns how many were checked."""
    mark, _created = SweepMark.objects.get_or_create(name="unchecked", defaults={"updated_at": timezone.now()})
    settled_before = timezone.now() - SWEEP_MARK_LAG
    after = mark.ticket_id
    new_mark = mark.ticket_id
    settled = True  # every work order read so far is older than the lag: the mark may follow
    checked = 0
    while checked < limit:
        batch = list(
            Ticket.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "received_at", "created_at")[:SWEEP_BATCH]
        )
        if not batch:
            break
        ids = [pk for pk, _received, _created in batch]
        has_signature = set(TicketSignature.objects.filter(ticket_id__in=ids).values_list("ticket_id", flat=True))
        # The first ones by id (so that all before the last of them are done), checked oldest received first.
        unchecked = [(received, pk) for pk, received, _created in batch if pk not in has_signature][: limit - checked]
        unchecked.sort()
        for _received, pk in unchecked:
            alert_detect_for_ticket(pk)
        checked += len(unchecked)
        # Done: the whole batch, or up to the last one checked when the limit cut it short.
        done_up_to = batch[-1][0] if checked < limit else max([pk for _r, pk in unchecked], default=after)
        for pk, _received, created in batch:
            if pk > done_up_to:
                break
            settled = settled and created <= settled_before
            if settled:
                new_mark = pk
        after = done_up_to
        if len(batch) < SWEEP_BATCH:
            break
    if new_mark > mark.ticket_id:
        SweepMark.objects.filter(name=mark.name).update(
            ticket_id=Greatest("ticket_id", Value(new_mark)), updated_at=timezone.now()
        )
    return checked


def _key_filter(keys) -> Q:
    condition = Q()
    for kind, key, _match in keys:
        condition |= Q(kind=kind, key=key)
    return condition


def _alerts_of_keys(bureau_id: int, keys) -> tuple[dict[str, ClusterAlert], dict[str, dt.datetime]]:
    """The active alert of each key (its row locked until the commit) and when the last closed one was closed:
    one query for the three keys. Locks are always taken in one statement, so two work orders locking the same
    alerts never wait on each other in a circle."""
    active: dict[str, ClusterAlert] = {}
    closed_at: dict[str, dt.datetime] = {}
    merged: dict[str, ClusterAlert] = {}
    for alert in ClusterAlert.objects.select_for_update().filter(_key_filter(keys), bureau_id=bureau_id).order_by("pk"):
        if alert.is_active:
            active[alert.kind] = alert
        elif alert.closed_at is not None and (alert.kind not in closed_at or alert.closed_at > closed_at[alert.kind]):
            closed_at[alert.kind] = alert.closed_at
        if alert.status == AlertStatus.MERGED:
            merged[alert.kind] = alert  # the latest merged alert of the key
    for kind, alert in merged.items():
        if kind in active:
            continue
        # The key's alert was merged into another: its work orders join that one (the rare path: one more lock).
        target = _merge_target(alert)
        if target is not None and target.is_active:
            active[kind] = target
        elif target is not None and target.closed_at is not None:
            closed_at[kind] = max(closed_at.get(kind, target.closed_at), target.closed_at)
    return active, closed_at


def _merge_target(alert: ClusterAlert) -> ClusterAlert | None:
    """The alert a merged alert's work orders went to, following merges of merges; its row locked."""
    target = alert
    for _hop in range(20):
        if target.merged_into_id is None:
            return target
        target = ClusterAlert.objects.select_for_update().get(pk=target.merged_into_id)
    return None


def _windows(
    ticket: Ticket, keys, *, rules: dict[str, Rule], closed_at: dict
) -> dict[str, list[tuple[int, dt.datetime, int | None]]]:
    """(ticket id, received at, business id) of the bureau's work orders with each key in its window up to this work
    order, newest first: one statement for all keys (UNION ALL of one range scan per key's partial index)."""
    if not keys:
        return {}
    parts = []
    for kind, _key, match in keys:
        start = ticket.received_at - rules[kind].window
        if closed_at.get(kind) is not None and closed_at[kind] > start:
            # A closed alert dealt with the cluster so far: only what came after it counts towards a new one.
            start = closed_at[kind]
        parts.append(
            TicketSignature.objects.filter(
                match, bureau_id=ticket.bureau_id, received_at__gte=start, received_at__lte=ticket.received_at
            )
            .annotate(kind=Value(kind, output_field=CharField()))
            .order_by("-received_at")
            .values_list("kind", "ticket_id", "received_at", "business_id")[:MAX_LINKED_AT_OPENING]
        )
    if len(parts) > 1 and connections[TicketSignature.objects.db].features.supports_slicing_ordering_in_compound:
        queries = [parts[0].union(*parts[1:], all=True)]
    else:  # SQLite allows no LIMIT inside a UNION: one statement per key there
        queries = parts
    windows: dict[str, list] = {}
    for query in queries:
        for kind, ticket_id, received_at, business_id in query:
            windows.setdefault(kind, []).append((ticket_id, received_at, business_id))
    return windows


def _due(kind: str, window: list, rule: Rule) -> bool:
    """At the threshold: work orders in the window, or for a claimant the different businesses they name."""
    if kind == AlertKind.CLAIMANT:
        return len({business_id for _pk, _at, business_id in window if business_id is not None}) >= rule.threshold
    return len(window) >= rule.threshold


def _open_if_due(ticket: Ticket, *, kind: str, key: str, window: list, rule: Rule) -> tuple[ClusterAlert | None, bool]:
    if not _due(kind, window, rule):
        return None, False
    now = timezone.now()
    try:
        with transaction.atomic():
            alert = ClusterAlert.objects.create(
                bureau_id=ticket.bureau_id,
                kind=kind,
                key=key,
                label=_label(ticket, kind=kind, key=key),
                opened_at=now,
                first_ticket_at=min(at for _pk, at, _business in window),
                last_ticket_at=max(at for _pk, at, _business in window),
                ticket_count=len(window),
            )
    except IntegrityError:
        # Another worker opened it a moment ago (the partial unique constraint): join it instead.
        alert = (
            ClusterAlert.objects.select_for_update()
            .filter(bureau_id=ticket.bureau_id, kind=kind, key=key, status__in=ACTIVE_STATUSES)
            .first()
        )
        return (alert if alert is not None and _link(alert, ticket) else None), False
    # The units holding the window's work orders are in the alert from its opening, and told by its notice.
    units = dict(
        Ticket.objects.filter(pk__in=[pk for pk, _at, _business in window], unit__isnull=False).values_list(
            "pk", "unit_id"
        )
    )
    AlertTicket.objects.bulk_create(
        [
            AlertTicket(alert=alert, ticket_id=pk, linked_at=now, told_unit_id=units.get(pk))
            for pk, _at, _business in window
        ],
        batch_size=1000,
    )
    AlertUnit.objects.bulk_create(
        [AlertUnit(alert=alert, unit_id=unit_id, added_at=now) for unit_id in sorted(set(units.values()))],
        ignore_conflicts=True,
    )
    _notify_opened(alert, ticket=ticket)
    return alert, True


def _link(alert: ClusterAlert, ticket: Ticket) -> bool:
    """Link a work order to an active alert (its row locked by the caller); False if it was linked already.

    A work order joining later that a unit already holds: that unit is told (and added to the alert if new)."""
    if AlertTicket.objects.filter(alert=alert, ticket_id=ticket.pk).exists():
        return False
    now = timezone.now()
    AlertTicket.objects.create(alert=alert, ticket_id=ticket.pk, linked_at=now)
    ClusterAlert.objects.filter(pk=alert.pk).update(
        ticket_count=F("ticket_count") + 1,
        first_ticket_at=Least("first_ticket_at", ticket.received_at),
        last_ticket_at=Greatest("last_ticket_at", ticket.received_at),
    )
    if ticket.unit_id is not None:
        _tell_unit(alert, ticket.unit_id, [ticket], at=now)
    return True


def _tell_unit(alert: ClusterAlert, unit_id: int, tickets: list[Ticket], *, at: dt.datetime) -> bool:
    """Tell a unit's leader and deputy leader that work orders it holds are in the alert (the alert's row locked by
    the caller), mark those links as told to it, and add the unit to the alert if it was not in it yet. Returns
    whether the unit was added."""
    from notifications.services import notification_send

    added = not AlertUnit.objects.filter(alert=alert, unit_id=unit_id).exists()
    if added:
        AlertUnit.objects.create(alert=alert, unit_id=unit_id, added_at=at)
    AlertTicket.objects.filter(alert=alert, ticket_id__in=[t.pk for t in tickets]).update(told_unit_id=unit_id)
    leaders = User.objects.filter(
        unit_id=unit_id, is_active=True, roles__code__in=[RoleCode.UNIT_LEADER, RoleCode.UNIT_DEPUTY]
    ).distinct()
    notification_send(
        leaders,
        code="alert.ticket_joined",
        data={
            "alert_id": alert.pk,
            "kind": alert.kind,
            "label": alert.label,
            "count": len(tickets),
            "external_id": tickets[0].external_id if len(tickets) == 1 else "",
            "unit_added": added,
        },
        ticket=tickets[0] if len(tickets) == 1 else None,
    )
    return added


def alert_units_follow(*, limit: int = 2000) -> int:
    """Work orders of active alerts that reached a unit after they were linked (dispatched, or re-dispatched to
    another unit): the unit holding each is told, once per alert and unit in one run, and added to the alert if
    new (the beat, with alerts.detect_unchecked). Returns how many links were told."""
    pending = list(
        AlertTicket.objects.filter(alert__status__in=ACTIVE_STATUSES, ticket__unit__isnull=False)
        .exclude(told_unit_id=F("ticket__unit_id"), told_unit__isnull=False)
        .order_by("alert_id", "ticket_id")
        .values_list("alert_id", "ticket__unit_id", "ticket_id")[:limit]
    )
    groups: dict[tuple[int, int], list[int]] = {}
    for alert_id, unit_id, ticket_id in pending:
        groups.setdefault((alert_id, unit_id), []).append(ticket_id)
    told = 0
    for (alert_id, unit_id), ticket_ids in groups.items():
        with transaction.atomic():
            alert = ClusterAlert.objects.select_for_update().filter(pk=alert_id, status__in=ACTIVE_STATUSES).first()
            if alert is None:
                continue
            # read again under the lock: another run may have told them meanwhile
            tickets = list(
                Ticket.objects.filter(pk__in=ticket_ids, unit_id=unit_id)
                .exclude(pk__in=AlertTicket.objects.filter(alert=alert, told_unit_id=unit_id).values("ticket_id"))
                .only("pk", "external_id", "unit_id")
                .order_by("pk")
            )
            if tickets:
                _tell_unit(alert, unit_id, tickets, at=timezone.now())
                told += len(tickets)
    return told


def _label(ticket: Ticket, *, kind: str, key: str) -> str:
    """What the pages show for the key: the business's name, the masked phone, the start of the text."""
    if kind == AlertKind.BUSINESS:
        return Business.objects.filter(pk=ticket.business_id).values_list("name", flat=True).first() or key
    if kind == AlertKind.COMPLAINANT:
        return mask_phone(key)
    if kind == AlertKind.CLAIMANT:
        if key.startswith("id:"):
            return mask_id_number(ticket.complainant_id_number)
        return mask_phone(key.removeprefix("phone:"))
    return " ".join(ticket.content.split())[:60]


def alert_recipients(alert: ClusterAlert) -> list[User]:
    """The consumer-protection section's reviewers and chief, and the leader and deputy leader of every unit
    holding a linked work order (双向预警: the section and the units at once)."""
    unit_ids = (
        Ticket.objects.filter(pk__in=AlertTicket.objects.filter(alert=alert).values("ticket_id"), unit__isnull=False)
        .values("unit_id")
        .distinct()
    )
    section = Q(
        unit__bureau_id=alert.bureau_id,
        unit__is_consumer_protection=True,
        roles__code__in=[RoleCode.SECTION_REVIEWER, RoleCode.SECTION_CHIEF],
    )
    units = Q(unit_id__in=unit_ids, roles__code__in=[RoleCode.UNIT_LEADER, RoleCode.UNIT_DEPUTY])
    return list(User.objects.filter(section | units, is_active=True).distinct().order_by("pk"))


def _notify_opened(alert: ClusterAlert, *, ticket: Ticket) -> None:
    from notifications.services import notification_send

    notification_send(
        alert_recipients(alert),
        code="alert.opened",
        data={"alert_id": alert.pk, "kind": alert.kind, "label": alert.label, "count": alert.ticket_count},
        ticket=ticket,
    )


def alert_consult(alert: ClusterAlert, *, actor: User, reply_line: str, note: str = "") -> ClusterAlert:
    """Record the consultation (会商) and the unified reply line (统一口径); every linked work order's timeline
    gets `alert_consulted` with the line. Again on a consulted alert: a new line, written again."""
    reply_line = (reply_line or "").strip()
    if not reply_line:
        raise ValidationError({"reply_line": _("Write the unified reply line.")})
    with transaction.atomic():
        alert = ClusterAlert.objects.select_for_update().get(pk=alert.pk)
        if not alert.is_active:
            raise AlertClosed(_("This alert is closed."))
        now = timezone.now()
        alert.status = AlertStatus.CONSULTED
        alert.reply_line = reply_line
        alert.consultation_note = (note or "").strip()
        alert.consulted_by = actor
        alert.consulted_at = now
        alert.save(update_fields=["status", "reply_line", "consultation_note", "consulted_by", "consulted_at"])
        ticket_ids = list(
            AlertTicket.objects.filter(alert=alert).order_by("ticket_id").values_list("ticket_id", flat=True)
        )
        events_write(
            ticket_ids,
            "alert_consulted",
            actor=actor,
            data={"alert_id": alert.pk, "alert_kind": alert.kind, "reply_line": reply_line},
            at=now,
        )
    return alert


def alert_close(alert: ClusterAlert, *, actor: User) -> ClusterAlert:
    """Close an alert: it gathers no more work orders; a new cluster of the key counts from now on."""
    with transaction.atomic():
        alert = ClusterAlert.objects.select_for_update().get(pk=alert.pk)
        if not alert.is_active:
            return alert
        alert.status = AlertStatus.CLOSED
        alert.closed_by = actor
        alert.closed_at = timezone.now()
        alert.save(update_fields=["status", "closed_by", "closed_at"])
    return alert


MERGE_CANDIDATES = 50


def alert_merge_candidates(alert: ClusterAlert) -> list[ClusterAlert]:
    """What the page offers to merge into this alert: the bureau's other active alerts, those sharing a business with
    it first (a work order of each about one business: its business cluster and its same-text cluster), then the
    latest. Whether two alerts are about one business (the same company under two names makes two business
    alerts) is the section's judgement; any two active alerts of a bureau may be merged."""
    businesses = Ticket.objects.filter(
        pk__in=AlertTicket.objects.filter(alert=alert).values("ticket_id"), business__isnull=False
    ).values("business_id")
    linking = AlertTicket.objects.filter(
        ticket_id__in=Ticket.objects.filter(bureau_id=alert.bureau_id, business_id__in=businesses).values("pk")
    ).values("alert_id")
    shares = Exists(linking.filter(alert_id=OuterRef("pk")))
    return list(
        ClusterAlert.objects.filter(bureau_id=alert.bureau_id, status__in=ACTIVE_STATUSES)
        .exclude(pk=alert.pk)
        .annotate(shares_business=shares)
        .order_by("-shares_business", "-last_ticket_at", "-pk")[:MERGE_CANDIDATES]
    )


def _recount(alert: ClusterAlert) -> None:
    """The alert's count and first and last receipt from its links (after a merge or a split)."""
    figures = Ticket.objects.filter(pk__in=AlertTicket.objects.filter(alert=alert).values("ticket_id")).aggregate(
        count=Count("pk"), first=Min("received_at"), last=Max("received_at")
    )
    ClusterAlert.objects.filter(pk=alert.pk).update(
        ticket_count=figures["count"],
        first_ticket_at=figures["first"] or alert.first_ticket_at,
        last_ticket_at=figures["last"] or alert.last_ticket_at,
    )


def _lock_pair(first: ClusterAlert, second: ClusterAlert) -> tuple[ClusterAlert, ClusterAlert]:
    rows = {
        a.pk: a for a in ClusterAlert.objects.select_for_update().filter(pk__in=[first.pk, second.pk]).order_by("pk")
    }
    return rows[first.pk], rows[second.pk]


def alert_merge(target: ClusterAlert, source: ClusterAlert, *, actor: User) -> ClusterAlert:
    """Merge `source` into `target` (both active, one bureau; the section judges they are about one business): the
    source's work orders join the
    target (marked as come from the source, for a split), its units too; the source becomes *merged* and its key's
    later work orders join the target. A consulted target writes its unified reply line on the work orders that
    joined it. Returns the target."""
    if target.pk == source.pk:
        raise ValidationError({"other": _("Choose another alert.")})
    with transaction.atomic():
        target, source = _lock_pair(target, source)
        if not (target.is_active and source.is_active):
            raise AlertClosed(_("Only open or consulted alerts can be merged."))
        if source.bureau_id != target.bureau_id:
            raise ValidationError({"other": _("Choose another alert.")})
        now = timezone.now()
        in_target = AlertTicket.objects.filter(alert=target).values("ticket_id")
        moving = list(
            AlertTicket.objects.filter(alert=source)
            .exclude(ticket_id__in=in_target)
            .values_list("ticket_id", flat=True)
        )
        AlertTicket.objects.filter(alert=source, ticket_id__in=moving).update(alert=target, merged_from=source)
        AlertUnit.objects.bulk_create(
            [
                AlertUnit(alert=target, unit_id=unit_id, added_at=now)
                for unit_id in AlertUnit.objects.filter(alert=source).values_list("unit_id", flat=True)
            ],
            ignore_conflicts=True,
        )
        source.status = AlertStatus.MERGED
        source.merged_into = target
        source.closed_by = actor
        source.closed_at = now
        source.save(update_fields=["status", "merged_into", "closed_by", "closed_at"])
        _recount(target)
        if target.reply_line and moving:
            events_write(
                sorted(moving),
                "alert_consulted",
                actor=actor,
                data={"alert_id": target.pk, "alert_kind": target.kind, "reply_line": target.reply_line},
                at=now,
            )
    target.refresh_from_db()
    return target


def alert_split(alert: ClusterAlert, *, actor: User) -> list[ClusterAlert]:
    """Undo the merges into an active alert: each merged alert is active again (open, or consulted if it was) with the
    work orders that came from it; the work orders that joined since stay. Returns the alerts split off."""
    with transaction.atomic():
        alert = ClusterAlert.objects.select_for_update().get(pk=alert.pk)
        if not alert.is_active:
            raise AlertClosed(_("Only open or consulted alerts can be split."))
        sources = list(
            ClusterAlert.objects.select_for_update().filter(merged_into=alert, status=AlertStatus.MERGED).order_by("pk")
        )
        for source in sources:
            AlertTicket.objects.filter(alert=alert, merged_from=source).update(alert=source, merged_from=None)
            source.status = AlertStatus.CONSULTED if source.consulted_at else AlertStatus.OPEN
            source.merged_into = None
            source.closed_by = None
            source.closed_at = None
            source.save(update_fields=["status", "merged_into", "closed_by", "closed_at"])
            _recount(source)
        _recount(alert)
    return sources


def alerts_backfill(*, since: dt.datetime | None, batch_size: int = 5000) -> tuple[int, int]:
    """Work orders received before alerts existed (or loaded around intake): store the signature of every work
    order that has none, then check those received since `since` (None: none), oldest first, as if each had
    just arrived. Idempotent. Returns (signatures written, work orders checked)."""
    written = 0
    last_pk = 0
    fields = ("pk", "bureau_id", "received_at", "business_id", "complainant_phone", "complainant_id_number", "content")
    while True:
        batch = list(
            Ticket.objects.filter(pk__gt=last_pk)
            .exclude(pk__in=TicketSignature.objects.filter(ticket_id__gt=last_pk).values("ticket_id"))
            .order_by("pk")
            .only(*fields)[:batch_size]
        )
        if not batch:
            break
        signatures_write(batch)
        written += len(batch)
        last_pk = batch[-1].pk
    checked = 0
    if since is not None:
        ticket_ids = list(
            Ticket.objects.filter(received_at__gte=since).order_by("received_at", "pk").values_list("pk", flat=True)
        )
        # A commit per batch, not per work order (a backfill of 100,000 would otherwise wait on 100,000 flushes);
        # what the alerts opened in a batch is told after its commit.
        for start in range(0, len(ticket_ids), 500):
            with transaction.atomic():
                for ticket_id in ticket_ids[start : start + 500]:
                    alert_detect_for_ticket(ticket_id)
        checked = len(ticket_ids)
    return written, checked
