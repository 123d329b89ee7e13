import rules
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from org.choices import BUREAU_WIDE_ROLES, Language, RoleCode, UnitKind


class Bureau(models.Model):
    """The tenant: one district bureau. A city deployment may hold several."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A section (科室) or a field unit (所队); units form a tree inside a bureau."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="units", verbose_name=_("bureau"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    is_consumer_protection = models.BooleanField(
        _("consumer-protection section"),
        default=False,
        help_text=_("The section that receives, dispatches and approves hotline work and reports on it."),
    )
    town = models.CharField(_("town or street served"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["bureau_id", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["bureau", "code"], name="unit_code_unique_in_bureau")]

    def __str__(self):
        return self.name

    @property
    def is_field_unit(self) -> bool:
        return self.kind in (UnitKind.OFFICE, UnitKind.BRIGADE)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.bureau_id != self.bureau_id:
            raise ValidationError({"parent": _("The parent unit must belong to the same bureau.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            ancestor = ancestor.parent


class Role(models.Model):
    """A role is data: an administrator may rename it; its code is what permissions test."""

    code = models.CharField(_("code"), max_length=32, unique=True, choices=RoleCode.choices)
    name = models.CharField(_("name"), max_length=64)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]

    def __str__(self):
        return self.get_code_display()


def display_name(*, first_name: str, last_name: str, username: str) -> str:
    """How a person is named on screens and in the API: family name first (as in Chinese), else the username.

    A function as well as User.display_name, for lists that read these columns without making Users."""
    full = f"{last_name}{first_name}".strip()
    return full or username


class User(AbstractUser):
    """A member of staff: belongs to one unit and may hold several roles."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("unit")
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("role"))
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    language = models.CharField(
        _("interface language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    # The periodic change (HOTLINE_PASSWORD_MAX_AGE_DAYS) counts from here; accounts that existed before it was
    # recorded count from the migration that added it.
    password_changed_at = models.DateTimeField(_("password changed"), default=timezone.now)
    # Set when an administrator gives the member a password (the admin's add and password pages): the member
    # changes it at the next sign-in, through the same page an expired password sends them to.
    password_change_required = models.BooleanField(
        _("must change the password at the next sign-in"),
        default=False,
        help_text=_("Set when an administrator sets the password; cleared when the member chooses their own."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.password_change_required = False  # the administrator's forms set it again after this

    @property
    def display_name(self) -> str:
        return display_name(first_name=self.first_name, last_name=self.last_name, username=self.username)

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.roles.values_list("code", flat=True))

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    def has_perm(self, perm: str, obj=None) -> bool:
        """A superuser still goes through our rules: they count him as holding every role, but the state of
        the work order still decides (no "sign for" on an archived ticket, no callback on an open one).
        Django's model permissions (the admin's) keep the superuser shortcut."""
        if self.is_active and self.is_superuser and rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def is_bureau_wide(self) -> bool:
        return bool(self.role_codes & BUREAU_WIDE_ROLES) or self.is_superuser

    @property
    def bureau_id(self):
        return self.unit.bureau_id if self.unit_id else None


class PasswordHistory(models.Model):
    """The hashes of a member's recent passwords, so that a new one cannot be one of them (org.passwords)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("user"))
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user_recent")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
