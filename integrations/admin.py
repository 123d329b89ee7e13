from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from integrations.models import IntegrationClient, UndeliveredUpdate
from integrations.services import updates_retry
from tickets.choices import DeliveryStatus


@admin.register(IntegrationClient)
class IntegrationClientAdmin(admin.ModelAdmin):
    list_display = ("name", "bureau", "key_prefix", "is_active", "created_at")
    list_filter = ("is_active", "bureau")
    readonly_fields = ("key_prefix", "created_at")
    fields = ("name", "bureau", "is_active", "key_prefix", "created_at")

    def has_add_permission(self, request):
        # Keys are made by `manage.py create_integration_client`, which shows the key once.
        return False


@admin.register(UndeliveredUpdate)
class UndeliveredUpdateAdmin(admin.ModelAdmin):
    list_display = ("id", "ticket", "status", "updated_at", "attempts", "last_error")
    list_select_related = ("ticket",)
    readonly_fields = ("ticket", "status", "updated_at", "reply", "delivery_status", "attempts", "last_error")
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(delivery_status=DeliveryStatus.UNDELIVERED)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected updates again"))
    def retry(self, request, queryset):
        count = updates_retry(update_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d update will be sent again.", "%(count)d updates will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
