"""Administration of documents: the bureau's templates (uploaded, checked, previewed, kept in versions), the
number formats, and the issued documents read-only."""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.downloads import file_download
from documents import services
from documents.choices import DocumentKind, fields_for
from documents.defaults import default_template
from documents.models import Document, DocumentCounter, DocumentTemplate, NumberFormat
from documents.views import DOCX
from tickets.models import Ticket


class TemplateUploadForm(forms.ModelForm):
    """A new version: the file is checked (fields the kind has, fills in) before it is kept."""

    class Meta:
        model = DocumentTemplate
        fields = ("bureau", "kind", "file", "note")

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload and data.get("kind"):
            if upload.size > services.MAX_TEMPLATE_BYTES:
                raise ValidationError({"file": _("A template may be at most 5 MB.")})
            payload = upload.read()
            upload.seek(0)
            services.template_check(payload, data["kind"])
        return data


class PreviewForm(forms.Form):
    work_order = forms.CharField(label=_("Work order number"), max_length=64)


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "bureau", "note", "uploaded_by", "uploaded_at", "links")
    list_filter = ("kind", "bureau")

    def get_fields(self, request, obj=None):
        # A kept version shows its facts and links, not the file field (media is not served): the .docx link.
        if obj is None:
            return ("bureau", "kind", "file", "note")
        return ("bureau", "kind", "version", "fields", "note", "uploaded_by", "uploaded_at", "links")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    form = TemplateUploadForm

    def get_urls(self):
        own = [
            path("fields/", self.admin_site.admin_view(self.fields_view), name="documents_template_fields"),
            path(
                "default/<str:kind>/",
                self.admin_site.admin_view(self.default_view),
                name="documents_template_default",
            ),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="documents_template_preview"),
            path("<int:pk>/file/", self.admin_site.admin_view(self.file_view), name="documents_template_file"),
        ]
        return own + super().get_urls()

    @admin.display(description=_("links"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">.docx</a>',
            reverse("admin:documents_template_preview", args=[obj.pk]),
            _("preview"),
            reverse("admin:documents_template_file", args=[obj.pk]),
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # a version is kept as uploaded

    def has_delete_permission(self, request, obj=None):
        return False  # documents name the version they were made from

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.user.unit_id:
            initial.setdefault("bureau", request.user.unit.bureau_id)
        return initial

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        upload.seek(0)
        saved = services.template_upload(
            bureau=form.cleaned_data["bureau"],
            kind=form.cleaned_data["kind"],
            uploaded_file=upload,
            actor=request.user,
            note=form.cleaned_data.get("note", ""),
        )
        obj.pk, obj.version = saved.pk, saved.version
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def fields_view(self, request):
        """Every kind's fields, with the link to Hotline's built-in template of the kind."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        kinds = [
            {"kind": kind, "label": label, "fields": sorted(fields_for(kind).items())}
            for kind, label in DocumentKind.choices
        ]
        how_to = _(
            "Write a field in a .docx template as %(field)s; repeat a table row over a list with %(loop)s. "
            "A template naming any other field is refused when uploaded."
        ) % {"field": "{{ field_name }}", "loop": "{%tr for row in list %} … {%tr endfor %}"}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Fields of the document templates"),
            "kinds": kinds,
            "how_to": how_to,
        }
        return render(request, "admin/documents/template_fields.html", context)

    def default_view(self, request, kind: str):
        if not self.has_view_permission(request) or kind not in DocumentKind.values:
            raise Http404
        return file_download(io.BytesIO(default_template(kind)), filename=f"{kind}-default.docx", content_type=DOCX)

    def file_view(self, request, pk: int):
        """A kept version's .docx (old versions stay readable; uploaded files are not served as media)."""
        template = DocumentTemplate.objects.filter(pk=pk).first()
        if template is None or not self.has_view_permission(request, template):
            raise Http404
        try:
            handle = template.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return file_download(handle, filename=f"{template.kind}-v{template.version}.docx", content_type=DOCX)

    def preview_view(self, request, pk: int):
        """The template filled in with a chosen work order (its business copy: no identity), nothing issued."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        template = DocumentTemplate.objects.filter(pk=pk).first()
        if template is None:
            raise Http404
        form = PreviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            ticket = Ticket.objects.filter(
                bureau_id=template.bureau_id, external_id=form.cleaned_data["work_order"]
            ).first()
            if ticket is None:
                form.add_error("work_order", _("No work order of this bureau has this number."))
            else:
                data = services.template_preview(template, template.kind, ticket, actor=request.user)
                return file_download(io.BytesIO(data), filename=f"preview-{template.kind}.docx", content_type=DOCX)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview %(template)s") % {"template": template},
            "form": form,
            "template": template,
            "opts": self.model._meta,
        }
        return render(request, "admin/documents/template_preview.html", context)


@admin.register(NumberFormat)
class NumberFormatAdmin(admin.ModelAdmin):
    list_display = ("kind", "pattern", "bureau")
    list_filter = ("bureau",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "version", "copy", "ticket", "created_by", "created_at")
    list_filter = ("kind", "copy", "year")
    search_fields = ("number", "ticket__external_id")
    list_select_related = ("ticket", "created_by")
    date_hierarchy = "created_at"


@admin.register(DocumentCounter)
class DocumentCounterAdmin(ReadOnlyAdmin):
    list_display = ("kind", "year", "last", "bureau")
    list_filter = ("year", "kind")
