"""Hotspots (大体检 targets): the page and its .xlsx export, both from reports.selectors.hotspots."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from audit.choices import Action
from audit.services import audit_record
from reports.forms import HotspotsForm
from reports.selectors.hotspots import Hotspot, Hotspots, Span, hotspots_for_user, hotspots_scope_unit
from reports.selectors.months import month_default
from reports.xlsx import INTEGER, PERCENT, Sheet, workbook_bytes, xlsx_response


def _form(request) -> HotspotsForm:
    """The form bound to the query, the last complete month when no days are given."""
    data = request.GET.copy()
    if not data.get("date_from") and not data.get("date_to"):
        month = month_default()
        data["date_from"] = month.start.date().isoformat()
        data["date_to"] = month.days()[-1].isoformat()
    _allowed, own_unit = hotspots_scope_unit(request.user)
    bureau_id = request.user.unit.bureau_id if request.user.unit_id else None
    return HotspotsForm(data, bureau_id=bureau_id, own_unit_id=own_unit)


def _hotspots(request, form: HotspotsForm) -> Hotspots | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return hotspots_for_user(
        request.user,
        span=data["span"],
        unit_id=data["unit"].pk if data.get("unit") else None,
        area=data.get("area") or "",
        category_id=data["category"].pk if data.get("category") else None,
    )


def tickets_link(hotspots: Hotspots, *, business: int | None = None, category: int | None = None) -> str:
    """The search page listing the work orders behind a line: received in the span, of this business or
    category, of the unit and category chosen (an area has no filter there: the link shows all its units')."""
    query = QueryDict(mutable=True)
    query["received_from"] = hotspots.span.first.isoformat()
    query["received_to"] = hotspots.span.last.isoformat()
    if business is not None:
        query["business"] = str(business)
    category = category if category is not None else hotspots.category_id
    if category is not None:
        query["category"] = str(category)
    if hotspots.unit_id is not None:
        query["unit"] = str(hotspots.unit_id)
    return f"{reverse('tickets:list')}?{query.urlencode()}"


class HotspotsView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_hotspots"
    template_name = "reports/hotspots.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = _form(self.request)
        hotspots = _hotspots(self.request, form)
        context.update(form=form, hotspots=hotspots, tickets_link=tickets_link)
        if hotspots is not None:
            context["export_query"] = self.request.GET.urlencode()
            context["tables"] = [
                (_("Businesses with the most work orders"), "business", hotspots.businesses_by_count),
                (_("Businesses whose work orders grew the most"), "business", hotspots.businesses_by_growth),
                (_("Categories with the most work orders"), "category", hotspots.categories_by_count),
                (_("Categories whose work orders grew the most"), "category", hotspots.categories_by_growth),
            ]
        return context


def _sheet(title: str, span: Span, previous: Span, lines: list[Hotspot]) -> Sheet:
    header = [
        _("Name"),
        _("Work orders %(span)s") % {"span": span},
        _("Work orders %(span)s") % {"span": previous},
        _("Change"),
        _("Change in per cent"),
    ]
    rows = [
        [
            line.name,
            line.count,
            line.previous,
            line.growth,
            None if line.growth_percent is None else line.growth_percent / 100,
        ]
        for line in lines
    ]
    return Sheet(title=title, header=header, rows=rows, formats={1: INTEGER, 2: INTEGER, 3: INTEGER, 4: PERCENT})


class HotspotsXlsxView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reports.view_hotspots"

    def get(self, request):
        form = _form(request)
        hotspots = _hotspots(request, form)
        if hotspots is None:
            errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        span, previous = hotspots.span, hotspots.previous_span
        content = workbook_bytes(
            [
                _sheet(_("Businesses by count"), span, previous, hotspots.businesses_by_count),
                _sheet(_("Businesses by growth"), span, previous, hotspots.businesses_by_growth),
                _sheet(_("Categories by count"), span, previous, hotspots.categories_by_count),
                _sheet(_("Categories by growth"), span, previous, hotspots.categories_by_growth),
            ]
        )
        audit_record(
            Action.DATA_EXPORTED,
            data={"export": "hotspots", "from": span.first.isoformat(), "to": span.last.isoformat()},
        )
        return xlsx_response(content, f"hotspots-{span.first.isoformat()}-{span.last.isoformat()}.xlsx")
