from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitKind(models.TextChoices):
    SECTION = "section", _("Section")
    OFFICE = "office", _("Market supervision office")
    BRIGADE = "brigade", _("Enforcement brigade")


class RoleCode(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Handler")
    UNIT_DEPUTY = "unit_deputy", _("Unit deputy leader")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    SECTION_REVIEWER = "section_reviewer", _("Section reviewer")
    SECTION_CHIEF = "section_chief", _("Section chief")
    BUREAU_LEADER = "bureau_leader", _("Bureau leader")
    ADMIN = "admin", pgettext_lazy("role", "Administrator")


# Roles whose holders work for the whole bureau rather than for one unit.
BUREAU_WIDE_ROLES = frozenset(
    {
        RoleCode.DISPATCHER,
        RoleCode.SECTION_REVIEWER,
        RoleCode.SECTION_CHIEF,
        RoleCode.BUREAU_LEADER,
        RoleCode.ADMIN,
    }
)


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"
