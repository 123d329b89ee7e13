"""Administration: categories and deadline rules are data an administrator edits; work orders are read-only
here (their status changes only through the services, their personal data stays masked)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tickets.masking import PERSONAL_FIELDS, masked
from tickets.models import Business, Category, DeadlineRule, Ticket, TicketAssist, TicketClock, TicketEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("clock", "kind", "tag", "working_days", "start_event", "effective_from", "legal_basis", "is_active")
    list_filter = ("clock", "kind", "is_active")
    search_fields = ("legal_basis",)
    date_hierarchy = "effective_from"

    def has_delete_permission(self, request, obj=None):
        # Clocks point at the rule that set them; a new version with a later effective date replaces a rule.
        return False


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "address", "ticket_count")
    search_fields = ("name", "credit_code")
    readonly_fields = ("ticket_count",)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClockInline(ReadOnlyInline):
    model = TicketClock
    fields = (
        "clock",
        "unit",
        "status",
        "starts_at",
        "due_at",
        "met_at",
        "extended_working_days",
        "paused_working_days",
    )


class AssistInline(ReadOnlyInline):
    model = TicketAssist
    fields = ("unit", "status", "requested_at", "due_at", "answered_at", "released_at", "findings")


class EventInline(ReadOnlyInline):
    model = TicketEvent
    fields = ("at", "code", "actor", "data", "is_internal")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("external_id", "title", "kind", "status", "unit", "received_at")
    list_filter = ("status", "kind", "source", "bureau")
    search_fields = ("external_id", "title")
    list_select_related = ("unit",)
    date_hierarchy = "received_at"
    exclude = PERSONAL_FIELDS
    readonly_fields = ("masked_complainant",)
    inlines = [ClockInline, AssistInline, EventInline]

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in Ticket._meta.fields if f.name not in PERSONAL_FIELDS]
        return [*fields, "masked_complainant"]

    @admin.display(description=_("complainant"))
    def masked_complainant(self, obj):
        return " · ".join(v for v in (masked(obj, field) for field in PERSONAL_FIELDS) if v)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
