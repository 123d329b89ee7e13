from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import Heartbeat

# Staff see the system's name, not "Django administration".
admin.site.site_header = _("Hotline administration")
admin.site.site_title = _("Hotline administration")
admin.site.index_title = _("Settings and records")


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "last_run_at", "run_count")
    readonly_fields = ("name", "last_run_at", "run_count")
