from django.contrib import admin

from dispatch.models import CatalogueRow


@admin.register(CatalogueRow)
class CatalogueRowAdmin(admin.ModelAdmin):
    """Read-only here: the staff pages (dispatch.views) edit the catalogue, through its service and audit."""

    list_display = ("category", "area", "lead_unit", "effective_from", "bureau", "changed_by", "changed_at")
    list_filter = ("bureau", "effective_from")
    search_fields = ("area", "category__name", "lead_unit__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
