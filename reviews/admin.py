from django.contrib import admin

from audit.admin import ReadOnlyRecordAdmin
from reviews.models import (
    Callback,
    CallbackTask,
    CampaignQuota,
    InspectionCampaign,
    KeyPoint,
    Return,
    SpecialSupervision,
    TrainingAttendance,
    TrainingSession,
)


# Returns, callbacks and supervisions are counted in the units' assessment: the admin shows them and never adds,
# changes or deletes one (a correction goes through the reviews service that records it).
@admin.register(Return)
class ReturnAdmin(ReadOnlyRecordAdmin, admin.ModelAdmin):
    list_display = ("ticket", "unit", "stage", "reason_codes", "actor", "at")
    list_filter = ("stage", "unit")
    list_select_related = ("ticket", "unit", "actor")
    raw_id_fields = ("ticket",)
    readonly_fields = ("ticket", "unit", "stage", "reason_codes", "comment", "actor", "at")


@admin.register(Callback)
class CallbackAdmin(ReadOnlyRecordAdmin, admin.ModelAdmin):
    """Callbacks are records of what the citizen said: read-only here (they reopen tickets through services)."""

    list_display = ("ticket", "source", "resolved", "satisfaction", "called_at", "unit")
    list_filter = ("source", "satisfaction", "resolved")
    list_select_related = ("ticket", "unit")
    readonly_fields = [f.name for f in Callback._meta.fields]


@admin.register(CallbackTask)
class CallbackTaskAdmin(admin.ModelAdmin):
    list_display = ("ticket", "status", "due_at", "attempts", "last_attempt_at")
    list_filter = ("status",)
    raw_id_fields = ("ticket",)


@admin.register(SpecialSupervision)
class SpecialSupervisionAdmin(ReadOnlyRecordAdmin, admin.ModelAdmin):
    list_display = ("ticket", "unit", "status", "is_typical_case", "responsible_person", "opened_at")
    list_filter = ("status", "is_typical_case", "unit")
    raw_id_fields = ("ticket", "callback")
    # unit is nullable, so the changelist does not join it by itself: one query per row without this.
    list_select_related = ("ticket", "unit")


class QuotaInline(admin.TabularInline):
    model = CampaignQuota
    extra = 0


@admin.register(InspectionCampaign)
class InspectionCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "bureau", "period_start", "period_end", "seed", "drawn_at")
    inlines = [QuotaInline]
    readonly_fields = ("drawn_at",)


@admin.register(KeyPoint)
class KeyPointAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "kind", "campaign", "is_active")
    list_filter = ("kind", "is_active", "category")
    search_fields = ("title", "body")


class AttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    raw_id_fields = ("person",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "held_on", "trainer", "bureau")
    inlines = [AttendanceInline]
