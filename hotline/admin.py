from django.contrib import admin

from hotline.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "last_run_at", "run_count")
    readonly_fields = ("name", "last_run_at", "run_count")
