"""Audit records in the admin: searched, filtered and exported, never added, changed or deleted.

Also the mixin that keeps the assessment's records (returns, callbacks, supervisions, notifications) read-only
in the admin: they change only through the services that record each change.
"""

from __future__ import annotations

import csv
import json

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action
from audit.models import AuditRecord
from audit.services import audit_record


class ReadOnlyRecordAdmin:
    """Shown, searched and filtered in the admin; never added, changed or deleted there (no delete action)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class _Echo:
    def write(self, value):
        return value


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (user agents and attempted usernames come from anyone)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


EXPORT_FIELDS = (
    "at", "user_id", "username", "action", "result", "object_type", "object_id", "data", "ip_address", "user_agent"
)  # fmt: skip


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyRecordAdmin, admin.ModelAdmin):
    list_display = ("at", "username", "action", "result", "object_type", "object_id", "ip_address")
    list_filter = ("action", "result", "object_type", ("at", admin.DateFieldListFilter))
    # `?user_id=` and `?object_id=` filter too (links from other pages); the search box takes a username,
    # an object id or an address.
    search_fields = ("=username", "=object_id", "=ip_address")
    date_hierarchy = "at"
    readonly_fields = EXPORT_FIELDS
    list_per_page = 100
    show_full_result_count = False  # counting millions of rows for every page is not worth it

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in ("user_id", "user_id__exact", "object_id", "object_id__exact") or super().lookup_allowed(
            lookup, value, request
        )

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="audit_auditrecord_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The rows the change list shows with the same filters and search, as CSV. The export is recorded."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:  # as the change list itself answers a bad filter
            return HttpResponseRedirect(reverse("admin:audit_auditrecord_changelist") + "?e=1")
        rows = changelist.get_queryset(request).order_by("at", "id")
        filters = {key: request.GET[key] for key in sorted(request.GET)}
        audit_record(Action.DATA_EXPORTED, data={"export": "audit_records", "filters": filters, "rows": rows.count()})
        writer = csv.writer(_Echo())
        header = [str(AuditRecord._meta.get_field(name).verbose_name) for name in EXPORT_FIELDS]

        def lines():
            yield "\ufeff"  # a BOM: Excel opens UTF-8 (and so the Chinese) only with one
            yield writer.writerow(header)
            for record in rows.iterator(chunk_size=2000):
                values = [getattr(record, name) for name in EXPORT_FIELDS]
                values[0] = timezone.localtime(values[0]).isoformat()
                values[7] = json.dumps(values[7], ensure_ascii=False, sort_keys=True)
                yield writer.writerow([csv_cell(v) for v in values])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "export_label": _("Export these records (CSV)")}
        return super().changelist_view(request, extra_context)
