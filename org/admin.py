from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from org.models import Bureau, Role, Unit, User


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "bureau", "town", "is_consumer_protection", "is_active")
    list_filter = ("bureau", "kind", "is_active")
    search_fields = ("code", "name", "town")
    list_select_related = ("parent", "bureau")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        # Permissions test role codes; a new code would grant nothing, so roles are fixed.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "unit", "role_list", "is_active")
    list_filter = ("unit", "roles", "is_active")
    list_select_related = ("unit",)
    filter_horizontal = ("roles", "groups", "user_permissions")
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Unit and roles"), {"fields": ("unit", "roles", "phone", "language")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Unit and roles"), {"fields": ("unit", "roles")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        return "、".join(str(role) for role in obj.roles.all())
