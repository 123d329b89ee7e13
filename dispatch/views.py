"""The catalogue's staff pages: the list, a version's form, its history, the workbook, the figures."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View
from django.views.generic import ListView

from audit.choices import Action
from audit.services import audit_record
from core.pagination import LenientPageMixin
from dispatch import selectors, services
from dispatch.forms import CatalogueFilterForm, CatalogueRowForm, ImportForm
from tickets.forms import apply_service_errors
from tickets.selectors import unit_choices_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CatalogueListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    """Every version, the one in force today marked; filtered by category (and those under it) and area."""

    template_name = "dispatch/catalogue.html"
    permission_required = "dispatch.view_catalogue"
    context_object_name = "rows"
    paginate_by = 50

    def get_queryset(self):
        self.form = CatalogueFilterForm(self.request.GET or None)
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        return selectors.catalogue_rows_for_user(
            self.request.user, category=filters.get("category"), area=filters.get("area", "")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        in_force = selectors.in_force_ids(selectors.bureau_of(self.request.user), today)
        context.update(
            form=self.form,
            today=today,
            in_force=in_force,
            can_manage=self.request.user.has_perm("dispatch.manage_catalogue"),
        )
        return context


def _row_form_page(request, form, *, row=None, status=200):
    return render(request, "dispatch/row_form.html", {"form": form, "row": row}, status=status)


class CatalogueRowNewView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A new version; `?from=<id>` starts from an existing row (the way to change a row in force)."""

    permission_required = "dispatch.manage_catalogue"

    def get(self, request):
        initial = {}
        source = request.GET.get("from", "")
        if source.isdigit():
            row = selectors.catalogue_row_for_user(request.user, int(source))
            initial = {
                "category": row.category_id,
                "area": row.area,
                "lead_unit": row.lead_unit_id,
                "assisting_units": [unit.pk for unit in row.assisting_units.all()],
                "note": row.note,
            }
        form = CatalogueRowForm(initial=initial, units=unit_choices_for_user(request.user))
        return _row_form_page(request, form)

    def post(self, request):
        form = CatalogueRowForm(request.POST, units=unit_choices_for_user(request.user))
        if form.is_valid():
            try:
                services.catalogue_row_save(
                    bureau_id=selectors.bureau_of(request.user), data=form.row_input(), actor=request.user
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, gettext("The catalogue row was saved."))
                return redirect("dispatch:catalogue")
        return _row_form_page(request, form, status=400)


class CatalogueRowEditView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A version not yet in force: changed or withdrawn."""

    permission_required = "dispatch.manage_catalogue"

    def get(self, request, pk):
        row = selectors.catalogue_row_for_user(request.user, pk)
        if row.effective_from <= timezone.localdate():
            return redirect(f"{reverse('dispatch:row_new')}?from={row.pk}")
        form = CatalogueRowForm(
            initial={
                "category": row.category_id,
                "area": row.area,
                "lead_unit": row.lead_unit_id,
                "assisting_units": [unit.pk for unit in row.assisting_units.all()],
                "effective_from": row.effective_from,
                "note": row.note,
            },
            units=unit_choices_for_user(request.user),
        )
        return _row_form_page(request, form, row=row)

    def post(self, request, pk):
        row = selectors.catalogue_row_for_user(request.user, pk)
        if request.POST.get("delete"):
            try:
                services.catalogue_row_delete(row, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, gettext("The version was withdrawn."))
            return redirect("dispatch:catalogue")
        form = CatalogueRowForm(request.POST, units=unit_choices_for_user(request.user))
        if form.is_valid():
            try:
                services.catalogue_row_save(bureau_id=row.bureau_id, data=form.row_input(), actor=request.user, row=row)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, gettext("The catalogue row was saved."))
                return redirect("dispatch:catalogue")
        return _row_form_page(request, form, row=row, status=400)


class CatalogueHistoryView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    """Who changed the catalogue, what and when (the audit's records of it)."""

    template_name = "dispatch/history.html"
    permission_required = "dispatch.view_catalogue"
    context_object_name = "changes"
    paginate_by = 50

    def get_queryset(self):
        return selectors.catalogue_changes_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        from org.selectors import staff_display_names

        context = super().get_context_data(**kwargs)
        people = staff_display_names({c.user_id for c in context["changes"] if c.user_id})
        context["people"] = people
        return context


class CatalogueExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "dispatch.view_catalogue"

    def get(self, request):
        bureau_id = selectors.bureau_of(request.user)
        content = services.catalogue_export(bureau_id)
        audit_record(Action.DATA_EXPORTED, data={"export": "dispatch_catalogue", "bureau": bureau_id})
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="dispatch-catalogue-{timezone.localdate()}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response


class CatalogueImportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "dispatch.manage_catalogue"

    def get(self, request):
        return render(request, "dispatch/import.html", {"form": ImportForm()})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                count = services.catalogue_import(
                    form.cleaned_data["file"], bureau_id=selectors.bureau_of(request.user), actor=request.user
                )
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                messages.success(request, gettext("%(count)s catalogue rows were imported.") % {"count": count})
                return redirect("dispatch:catalogue")
        return render(request, "dispatch/import.html", {"form": form}, status=400)


class FiguresView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The share of suggestions dispatchers took unchanged, per category and month (the last 12 months)."""

    permission_required = "dispatch.view_figures"

    def get(self, request):
        since = timezone.now() - dt.timedelta(days=365)
        figures = selectors.suggestion_figures(request.user, since=since)
        return render(request, "dispatch/figures.html", {"figures": figures})
