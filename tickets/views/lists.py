"""List pages. Each is one scoped, annotated query plus a count: no query per row."""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Select
from django.http import HttpResponseRedirect, QueryDict
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.jinja2 import local_time_label
from core.pagination import LenientPageMixin
from tickets import duplicates, selectors
from tickets.choices import OPEN_STATUSES, Status, Tag
from tickets.display import due_class
from tickets.filters import TicketFilter
from tickets.forms import category_field_as_tree
from tickets.models import Ticket
from tickets.rows import ROW_FIELDS, TicketRow, ticket_rows
from tickets.suggestions import SUGGESTION_FIELDS, suggestions_for_rows

PK_MARKER = 2_147_483_647  # a pk no ticket has: split out of one reversed url to build every row's link
DUE_BADGES = {"due-overdue": "badge-danger", "due-today": "badge-warn", "due-soon": "badge-warn"}

PAGE_SIZE = 50
OPEN = "open"  # the unit queue's filter value for every open status
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (SELECT COUNT(*) FROM (... LIMIT n)).

    An unfiltered bureau-wide list would otherwise count every ticket on every page view, a scan that
    grows with the table (bench/RESULTS.md); past the cap the pages say "10,000+" and paging stops at
    the cap: narrow the filters to go further.
    """

    @cached_property
    def count(self):
        # without ORDER BY: counting needs no order, and sorting 10,000 rows before counting them cost 50 ms
        source = self.object_list.source if isinstance(self.object_list, TableRows) else self.object_list
        if isinstance(source, RowsByIds):
            source = source.ids
        return source.order_by()[: COUNT_CAP + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP:,}+" if self.is_capped else str(self.count)


TITLE_CHARS = 48


class RowsByIds:
    """A list read in two steps: a page of (id, ...) from `ids` (ordered), then those rows from `rows` by id.

    For lists whose order no single index serves (ticket_my_work_ids): the ids come from indexes alone,
    and only the page's rows are read from the table. Paginator needs count() and slicing; nothing else.
    """

    ordered = True

    def __init__(self, ids: QuerySet, rows: QuerySet):
        self.ids = ids
        self.rows = rows

    def count(self) -> int:
        return self.ids.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict]:
        page = [row[0] for row in self.ids[index]]
        found = {row["id"]: row for row in self.rows.filter(pk__in=page).values(*ROW_FIELDS)} if page else {}
        return [found[pk] for pk in page if pk in found]


class TableRows:
    """What a list's paginator pages: slices of TicketRow from a queryset of tickets or a RowsByIds."""

    ordered = True

    def count(self) -> int:
        return (self.source.ids if isinstance(self.source, RowsByIds) else self.source).count()

    def __len__(self) -> int:
        return self.count()

    def __init__(self, source, extra_fields: tuple[str, ...] = ()):
        self.source = source
        self.extra_fields = tuple(f for f in extra_fields if f not in ROW_FIELDS)
        self.values: list[dict] = []  # the page's values as read (with the extra columns): the inbox's additions

    def __getitem__(self, index: slice) -> list[TicketRow]:
        if isinstance(self.source, RowsByIds):
            return rows_prepare(self.source[index])
        self.values = list(self.source.values(*ROW_FIELDS, *self.extra_fields)[index])
        return rows_prepare(self.values)


class TicketListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    """The ticket lists (tickets/jinja2/tickets/ticket_list.html)."""

    template_name = "tickets/ticket_list.html"
    template_engine = "jinja2"
    context_object_name = "tickets"
    paginate_by = PAGE_SIZE
    paginator_class = CappedPaginator
    title = ""
    intro = ""
    empty_text = _("Nothing here.")
    show_unit = True
    show_handler = True
    dispatch_links = False

    row_extra_fields: tuple[str, ...] = ()  # more columns read with the page (TableRows.values)

    def paginate_queryset(self, queryset, page_size):
        self.table_rows = TableRows(queryset, self.row_extra_fields)
        return super().paginate_queryset(self.table_rows, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            intro=self.intro,
            empty_text=self.empty_text,
            show_unit=self.show_unit,
            show_handler=self.show_handler,
            dispatch_links=self.dispatch_links,
        )
        return context


def rows_prepare(values: list[dict]) -> list[TicketRow]:
    """Table rows from .values() rows (tickets.rows): link, labels, dates and due colours worked out once per row.

    The labels: Model.get_FOO_display() rebuilt a hashable dict of the field's choices on every call, and a
    lazy label translates itself each time it is printed: one dict of translated labels per page instead.
    The dates and the shortened title are strings here, not filters run by the template.
    """
    head, tail = reverse("tickets:detail", args=[PK_MARKER]).split(str(PK_MARKER))
    # str() once: a lazy label translates itself again every time it is printed
    labels = {
        name: {value: str(label) for value, label in Ticket._meta.get_field(name).flatchoices}
        for name in ("source", "kind", "status")
    }
    tag_labels = {value: str(label) for value, label in Tag.choices}
    rows = ticket_rows(values)
    for row in rows:
        row.detail_url = f"{head}{row.pk}{tail}"
        row.source_label = labels["source"].get(row.source, row.source)
        row.kind_label = labels["kind"].get(row.kind, row.kind)
        row.status_label = labels["status"].get(row.status, row.status)
        row.tag_label_list = [tag_labels.get(tag, tag) for tag in row.tags]
        row.due_css = due_class(row.next_due_at)
        row.due_badge_css = DUE_BADGES.get(row.due_css, "badge-muted")
        # truncatechars leaves a title of TITLE_CHARS or fewer as it is: only a longer one needs it
        row.title_short = row.title if len(row.title) <= TITLE_CHARS else truncatechars(row.title, TITLE_CHARS)
        row.received_label = local_time_label(row.received_at, "Y-m-d H:i")
        row.due_label = local_time_label(row.next_due_at, "Y-m-d H:i")
    return rows


class InboxView(TicketListView):
    """The dispatcher's inbox: received, not yet classified and sent to a unit; oldest first."""

    permission_required = "tickets.view_inbox"
    title = _("Dispatch inbox")
    intro = _("New work orders to classify and send to a unit. Oldest first.")
    empty_text = _("The inbox is empty.")
    show_unit = False  # nothing in the inbox has a unit yet
    show_handler = False
    dispatch_links = True

    # what the suggester reads, read with the page (not a second read of the page's work orders)
    row_extra_fields = SUGGESTION_FIELDS

    def get_queryset(self):
        return selectors.ticket_inbox_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # the catalogue's suggestion for the page's rows, from the page's own values: no query but the suggester's
        context["suggestions"] = suggestions_for_rows(self.table_rows.values)
        # how many possible duplicates each row has (the ticket page lists them)
        context["proposals"] = duplicates.proposal_counts_of_rows(self.table_rows.values)
        return context


class MyWorkView(TicketListView):
    permission_required = "tickets.view_my_work"
    title = _("My work")
    intro = _("Your open work orders and those waiting to be signed for, nearest deadline first.")
    empty_text = _("No open work orders. Well done.")
    show_unit = False

    def get_queryset(self):
        user = self.request.user
        return RowsByIds(selectors.ticket_my_work_ids(user), selectors.ticket_list_rows(user))


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), (OPEN, _("All open"))] + list(Status.choices)
    )


class UnitQueueView(TicketListView):
    permission_required = "tickets.view_unit_queue"
    title = _("Unit queue")
    intro = _("Every work order of your unit, nearest deadline first.")
    empty_text = _("Your unit has no work orders.")
    show_unit = False

    def get_queryset(self):
        rows = selectors.ticket_unit_queue(self.request.user)
        self.filter_form = QueueFilterForm(self.request.GET)
        status = self.filter_form.cleaned_data["status"] if self.filter_form.is_valid() else ""
        if status == OPEN:
            return rows.filter(status__in=OPEN_STATUSES)
        return rows.filter(status=status) if status else rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["queue_filter"] = self.filter_form
        context["queue_status"] = select_html(self.filter_form["status"])
        context["assisting"] = assisting_rows(self.request.user)
        return context


ASSISTING_SHOWN = 100


def assisting_rows(user) -> list[dict]:
    """The unit queue's assisting part (协办): the open work orders the unit is asked to assist, nearest answer due
    first, in one query (at most ASSISTING_SHOWN)."""
    statuses = {value: str(label) for value, label in Status.choices}
    rows = []
    for assist in selectors.ticket_assists_for_unit(user)[:ASSISTING_SHOWN]:
        ticket = assist.ticket
        rows.append(
            {
                "ticket_id": ticket.pk,
                "external_id": ticket.external_id,
                "title": ticket.title if len(ticket.title) <= TITLE_CHARS else truncatechars(ticket.title, TITLE_CHARS),
                "lead_unit": ticket.unit.name if ticket.unit_id else "—",
                "status_label": statuses.get(ticket.status, ticket.status),
                "due_css": due_class(assist.due_at),
                "due_label": local_time_label(assist.due_at, "Y-m-d H:i"),
            }
        )
    return rows


class SearchView(TicketListView):
    permission_required = "tickets.search_tickets"
    template_name = "tickets/ticket_search.html"
    title = _("Search work orders")
    empty_text = _("No work order matches these filters.")

    def post(self, request, *args, **kwargs):
        """The search form posts: its text goes into the session, the results' address carries a token."""
        return self._redirect_with_token(request.POST)

    def get(self, request, *args, **kwargs):
        if request.GET.get("q", "").strip():
            return self._redirect_with_token(request.GET)  # an old link or bookmark: not kept in the history
        return super().get(request, *args, **kwargs)

    def _redirect_with_token(self, data: QueryDict) -> HttpResponseRedirect:
        query = QueryDict(mutable=True)
        for name in self.filter_names():
            values = [value for value in data.getlist(name) if value.strip()]
            if name == "q":
                if values:
                    query["s"] = search_text_keep(self.request.session, values[0])
            elif values:
                query.setlist(name, values)
        return HttpResponseRedirect(
            f"{reverse('tickets:list')}?{query.urlencode()}" if query else reverse("tickets:list")
        )

    @staticmethod
    def filter_names() -> list[str]:
        return list(TicketFilter.base_filters)

    def get_queryset(self):
        rows = selectors.ticket_list_rows(self.request.user).order_by("-received_at", "-id")
        data = self.request.GET.copy() if self.request.GET else None
        if data is not None and "s" in data:
            text = search_text_get(self.request.session, data.pop("s")[-1])
            if text is None:
                messages.info(self.request, _("The search text is no longer known (a new session): type it again."))
            else:
                data["q"] = text
        self.filterset = TicketFilter(data or None, queryset=rows, request=self.request)
        return self.filterset.qs if self.filterset.is_bound else rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        # the page's category box is the tree, searchable (the API's filter takes the same ids)
        category_field_as_tree(self.filterset.form.fields["category"], _("All"))
        context["filter_fields"] = [(field, select_html(field)) for field in self.filterset.form]
        return context


# The search text (a phone number, an ID number, a name) never travels in an address: the page's form posts
# it, the session keeps it under a random token, and the results' address (paging, back and forward, a
# reload) carries only the token. The session keeps the last SEARCHES_KEPT texts; an unknown token (another
# session, an old link) searches without the text and says so.
SEARCHES_SESSION_KEY = "hotline_ticket_searches"
SEARCHES_KEPT = 20


def search_text_keep(session, text: str) -> str:
    kept = dict(session.get(SEARCHES_SESSION_KEY, {}))
    text = text.strip()[:100]
    token = next((key for key, value in kept.items() if value == text), None) or secrets.token_urlsafe(9)
    kept.pop(token, None)
    kept[token] = text
    session[SEARCHES_SESSION_KEY] = dict(list(kept.items())[-SEARCHES_KEPT:])
    return token


def search_text_get(session, token: str) -> str | None:
    return session.get(SEARCHES_SESSION_KEY, {}).get(token)


def select_html(field):
    """A plain <select> of the filter form, or None for any other widget (rendered by Django as before).

    Django renders every <option> through its own template (forms/widgets/select_option.html): the
    search form's ~60 options cost ~20 ms a page. This writes the same markup directly.
    """
    widget = field.field.widget
    if type(widget) is not Select or widget.attrs or field.field.required or field.field.disabled or field.errors:
        return None
    selected = set(widget.format_value(field.value()))
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) in selected else "", label)
            for value, label in ((str(value), label) for value, label in field.field.choices)
        ),
    )
    return format_html('<select name="{}" id="{}">{}</select>', field.html_name, field.auto_id, options)


class RequestListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    """Extension and return requests waiting for a section reviewer's or chief's decision."""

    permission_required = "tickets.view_requests"
    template_name = "tickets/request_list.html"
    template_engine = "jinja2"
    context_object_name = "requests"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.request_pending_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context
