from django.contrib import admin

from audit.admin import ReadOnlyRecordAdmin
from notifications.models import Notification


# Who was told what and when feeds the assessment (reminders answered in time): shown, never changed here.
@admin.register(Notification)
class NotificationAdmin(ReadOnlyRecordAdmin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "code", "ticket", "read_at", "sent_at", "attempts"]
    list_filter = ["code"]
    list_select_related = ["recipient", "ticket"]
    raw_id_fields = ["recipient", "ticket"]
    readonly_fields = ["created_at", "sent_at", "channels", "last_error"]


# The reminder rules are tickets models; they are registered here, with the rest of the reminders.
from tickets.models import Escalation, EscalationRule  # noqa: E402


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ["tier", "clock", "offset_working_days", "recipient_roles", "is_active"]
    list_filter = ["tier", "is_active"]


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["clock", "tier", "fired_at", "is_skipped", "recipient_count"]
    list_filter = ["tier", "is_skipped"]
    raw_id_fields = ["clock"]
