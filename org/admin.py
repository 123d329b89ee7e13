from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.choices import Action
from audit.services import audit_record
from org.forms import LockoutMessageMixin
from org.models import Bureau, Role, Unit, User
from org.services import user_unlock


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


# The admin's sign-in goes through the same lockout and says so the same way as the staff sign-in.
admin.site.login_form = AdminLoginForm

# What decides what an account may do: each change made here is an audit record (audit.choices).
AUDITED_FIELDS = ("is_active", "is_staff", "is_superuser", "unit")
AUDITED_SETS = ("roles", "groups", "user_permissions")


def _ids(values) -> list:
    return sorted(getattr(v, "pk", v) for v in values or ())


def _pk(value):
    return getattr(value, "pk", value)


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


class AdminSetPasswordForm(AdminPasswordChangeForm):
    """The admin's "change password" page: a password an administrator sets is changed by its member at the
    next sign-in (org.passwords.password_expired)."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.password_change_required = user.has_usable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "unit", "role_list", "is_active")
    list_filter = ("unit", "roles", "is_active")
    list_select_related = ("unit",)
    filter_horizontal = ("roles", "groups", "user_permissions")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Unit and roles"), {"fields": ("unit", "roles", "phone", "language")}),
        (_("Password"), {"fields": ("password_changed_at", "password_change_required")}),
    )
    readonly_fields = ("password_changed_at",)
    actions = ["unlock"]
    change_password_form = AdminSetPasswordForm
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Unit and roles"), {"fields": ("unit", "roles")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.action(description=_("Unlock the selected accounts (clear their failed sign-ins)"), permissions=["change"])
    def unlock(self, request, queryset):
        cleared = sum(user_unlock(user) for user in queryset)
        self.message_user(
            request,
            ngettext("%(count)d failed sign-in record cleared.", "%(count)d failed sign-in records cleared.", cleared)
            % {"count": cleared},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.has_usable_password():
            obj.password_change_required = True  # the add page's password is the administrator's
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """After the roles, groups and permissions are saved: record what changed (ids and role codes)."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        changed = {}
        for name in AUDITED_FIELDS:
            if name in form.changed_data:
                changed[name] = [_pk(form.initial.get(name)), _pk(form.cleaned_data.get(name))]
        for name in AUDITED_SETS:
            if name in form.changed_data:
                before, after = set(_ids(form.initial.get(name))), set(_ids(form.cleaned_data.get(name)))
                if name == "roles":  # codes, which permissions test, rather than ids
                    codes = dict(Role.objects.filter(pk__in=before | after).values_list("pk", "code"))
                    before, after = {codes[pk] for pk in before}, {codes[pk] for pk in after}
                changed[name] = {"added": sorted(after - before), "removed": sorted(before - after)}
        if not change:
            audit_record(Action.USER_CREATED, obj=user, data={"changed": changed})
        elif changed:
            audit_record(Action.USER_PERMISSIONS_CHANGED, obj=user, data={"changed": changed})

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        return "、".join(str(role) for role in obj.roles.all())


# django-otp's admin of authenticator apps (imported above so that it is registered before it is replaced),
# with its columns named in the interface's language. Deleting a member's app is how a lost phone is handled.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(otp_totp_admin.TOTPDeviceAdmin):
    list_display = ["member", "created", "last_used", "is_confirmed"]

    def get_list_display(self, request):
        return self.list_display

    @admin.display(description=_("staff member"), ordering="user__username")
    def member(self, obj):
        return obj.user

    @admin.display(description=_("set up"), ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed
