"""Official documents (文书) of a work order, the bureau's templates and number formats, and the counters that
number them gap-free per bureau, kind and year."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.choices import TITLES, Copy, DocumentKind
from org.models import Bureau
from tickets.models import Ticket


def template_path(instance, filename: str) -> str:
    return f"document_templates/{instance.bureau_id}/{instance.kind}-{uuid.uuid4().hex}.docx"


def document_path(instance, filename: str) -> str:
    return f"documents/{instance.ticket_id}/{uuid.uuid4().hex}.docx"


class DocumentTemplate(models.Model):
    """One version of a bureau's .docx template for a kind. The newest version is used; old ones stay."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("template (.docx)"), upload_to=template_path, max_length=255)
    fields = models.JSONField(_("fields used"), default=list, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["bureau_id", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "version"], name="document_template_version_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class NumberFormat(models.Model):
    """The bureau's format of a kind's number: {year} and {number} (e.g. 松市监投告〔{year}〕{number}号)."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    pattern = models.CharField(
        _("format"),
        max_length=100,
        help_text=_("{year} is the year, {number} the sequence number (e.g. 松市监投告〔{year}〕{number}号)."),
    )

    class Meta:
        verbose_name = _("document number format")
        verbose_name_plural = _("document number formats")
        ordering = ["bureau_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["bureau", "kind"], name="number_format_once_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.pattern}"

    def clean(self):
        from documents.numbering import number_format_check

        number_format_check(self.pattern)


class DocumentCounter(models.Model):
    """The last number given to a kind in a year: one row locked per allocation, so numbers never skip or repeat."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [models.UniqueConstraint(fields=["bureau", "kind", "year"], name="document_counter_unique")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class Document(models.Model):
    """One issued document: never changed once written. A correction is a new version (same number, its own row)."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="documents", verbose_name=_("work order"))
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    copy = models.CharField(_("copy"), max_length=16, choices=Copy.choices, default=Copy.STANDARD)
    # What the document is about when a work order has several of a kind (an extension: "request:<id>").
    subject = models.CharField(max_length=40, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("number"), max_length=120)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    template = models.ForeignKey(
        DocumentTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("template")
    )
    decision = models.CharField(_("made on"), max_length=40, blank=True)  # the decision, or "" when asked for
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["ticket_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind", "subject", "copy", "version"], name="document_version_unique"
            ),
            # A number of a kind is given once in a bureau's year; only its versions and copies share it.
            models.UniqueConstraint(
                fields=["bureau", "kind", "year", "sequence", "copy", "version"], name="document_number_unique"
            ),
        ]
        indexes = [
            # serves: a work order's documents (the ticket page, the API, the archive sheet)
            models.Index(fields=["ticket", "kind"], name="document_ticket_idx"),
        ]

    def __str__(self):
        return f"{self.title} {self.number}"

    @property
    def title(self) -> str:
        return TITLES.get(self.kind, self.kind)

    @property
    def file_name(self) -> str:
        suffix = "" if self.copy == Copy.STANDARD else "-被投诉人"
        version = f"-v{self.version}" if self.version > 1 else ""
        return f"{self.title}-{self.number}{version}{suffix}.docx"
