"""The work-order FilterSet: shared by the HTML search page and the API, so no HTML concerns here.

Every filter works on any queryset of tickets (no annotation needed); the caller scopes it first.
"""

import copy
import datetime as dt

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.dates import BoundedDateField
from tickets.choices import ClockStatus, Kind, Status, Tag
from tickets.models import Category, Ticket, TicketClock
from tickets.selectors import unit_choices_for_user
from workdays.calendar import SHANGHAI


def _units(request):
    if request is None:
        from org.models import Unit

        return Unit.objects.none()
    return unit_choices_for_user(request.user)


def _open_clock_due_before(moment: dt.datetime):
    # the lead unit's clocks (an assisting unit's clock, 协办, is its own: docs/dispatch.md)
    return Exists(
        TicketClock.objects.filter(ticket=OuterRef("pk"), status=ClockStatus.OPEN, due_at__lt=moment, unit__isnull=True)
    )


class BoundedDateFilter(django_filters.DateFilter):
    # A day in year 1 has no UTC moment in Shanghai's time (OverflowError, a 500): the form says so instead.
    field_class = BoundedDateField


class AnyYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice says 全部 (All), not Django's 未知 (Unknown)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]


class TicketFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=Status.choices, empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Kind.choices, empty_label=_("All"))
    unit = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("work order", "unit"), queryset=_units, empty_label=_("All")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("category"), queryset=Category.objects.filter(is_active=True).order_by("code"), empty_label=_("All")
    )
    tag = django_filters.ChoiceFilter(label=_("tag"), choices=Tag.choices, method="filter_tag", empty_label=_("All"))
    # The widget only matters to the HTML form; the API reads the same ISO date.
    due_before = BoundedDateFilter(
        label=_("due before"), method="filter_due_before", widget=forms.DateInput(attrs={"type": "date"})
    )
    # "全部 / 是 / 否", not Django's "未知 / 是 / 否"
    overdue = django_filters.BooleanFilter(
        label=_("overdue"),
        method="filter_overdue",
        widget=AnyYesNoSelect,
    )
    # Received from / to (Shanghai days, both included): the reports' hotspots link to their work orders.
    received_from = BoundedDateFilter(
        label=_("received from"), method="filter_received_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = BoundedDateFilter(
        label=_("received to"), method="filter_received_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    # A respondent business by id (a hotspot's link; the search form carries it hidden)
    business = django_filters.NumberFilter(label=_("business"), field_name="business_id", widget=forms.HiddenInput)
    q = django_filters.CharFilter(label=_("text"), method="filter_text")

    class Meta:
        model = Ticket
        fields = [
            "status",
            "kind",
            "unit",
            "category",
            "tag",
            "due_before",
            "overdue",
            "received_from",
            "received_to",
            "business",
            "q",
        ]

    # django-filter makes a new form class, and every field in it, for each request (a millisecond of the
    # API list's ten). Only the unit choices depend on who asks: the class is made once per process and
    # each form gets the asking user's units (the class's own unit field keeps no one's choices).
    _form_class = None

    def get_form_class(self):
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            form_class = super().get_form_class()
            form_class.base_fields["unit"].queryset = _units(None)
            cls._form_class = form_class
        return cls._form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = django_filters.FilterSet.form.fget(self)
            form.fields["unit"].queryset = _units(self.request)
        return self._form

    def filter_tag(self, queryset, name, value):
        if not value:
            return queryset
        if connection.features.supports_json_field_contains:
            return queryset.filter(tags__contains=[value])
        # SQLite stores the list as JSON text; tag codes are plain ASCII words, quoted in that text.
        return queryset.filter(tags__icontains=f'"{value}"')

    def filter_due_before(self, queryset, name, value):
        # "Due before 10 Oct": an open deadline falls before the start of that day, Shanghai time.
        moment = dt.datetime.combine(value, dt.time.min, tzinfo=SHANGHAI)
        return queryset.filter(_open_clock_due_before(moment))

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=dt.datetime.combine(value, dt.time.min, tzinfo=SHANGHAI))

    def filter_received_to(self, queryset, name, value):
        day_after = dt.datetime.combine(value + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
        return queryset.filter(received_at__lt=day_after)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = _open_clock_due_before(timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_text(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(external_id__icontains=value)
            | Q(title__icontains=value)
            | Q(content__icontains=value)
            | Q(respondent_name__icontains=value)
        )


class _SharedFields(dict):
    """A form class's fields, given to each form as they are instead of deep-copied, but for `unit`.

    Django deep-copies every field of a form for each form (its widget, choices, validators, error
    messages). Checking values changes no field; only the unit field is changed per form (the asking user's
    units), so only that one is copied.
    """

    def __deepcopy__(self, memo):
        return {name: copy.deepcopy(field, memo) if name == "unit" else field for name, field in self.items()}


class TicketApiFilter(TicketFilter):
    """TicketFilter for the staff API: the same filters, form and answers, made cheaper per request.

    django-filter deep-copies every filter (with its choices, querysets and labels) for each FilterSet and
    Django every form field for each form: two thirds of the ~0.6 ms this FilterSet cost per request. A
    filter keeps nothing of a request but its `parent` and `model` (and `extra`, which the unit filter
    fills in when asked for its field): each FilterSet gets shallow copies with those set, a method filter
    bound again to its copy. The form's fields are shared but for `unit` (`_SharedFields`). The HTML list
    keeps TicketFilter as it is: it renders the form (the widgets are shared here).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            if filter_.method is not None:
                filter_.method = filter_.method  # a FilterMethod of its own, reading this filter's parent
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            form_class = super().get_form_class()
            form_class.base_fields = _SharedFields(form_class.base_fields)
        return cls._form_class
