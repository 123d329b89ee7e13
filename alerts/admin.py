from django.contrib import admin

from alerts.models import ClusterAlert


@admin.register(ClusterAlert)
class ClusterAlertAdmin(admin.ModelAdmin):
    """To look at, not to change: consultation and closing go through alerts.services (the alert pages)."""

    list_display = ["opened_at", "kind", "label", "status", "ticket_count", "last_ticket_at"]
    list_filter = ["kind", "status"]
    search_fields = ["label"]
    list_select_related = ["bureau"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
