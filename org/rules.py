"""The permission vocabulary's foundation: one predicate per role.

Every view and endpoint asks `user.has_perm("<app>.<action>", obj)`; the permission names
are declared next to their app (tickets/rules.py, reviews/rules.py, ...) from these predicates.
"""

import rules

from org.choices import RoleCode


def _role(code: str):
    @rules.predicate(name=f"has_role_{code}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and (user.has_role(code) or user.is_superuser))

    return predicate


is_dispatcher = _role(RoleCode.DISPATCHER)
is_handler = _role(RoleCode.HANDLER)
is_unit_deputy = _role(RoleCode.UNIT_DEPUTY)
is_unit_leader = _role(RoleCode.UNIT_LEADER)
is_section_reviewer = _role(RoleCode.SECTION_REVIEWER)
is_section_chief = _role(RoleCode.SECTION_CHIEF)
is_bureau_leader = _role(RoleCode.BUREAU_LEADER)
is_administrator = _role(RoleCode.ADMIN)

is_unit_management = is_unit_deputy | is_unit_leader
is_section_staff = is_section_reviewer | is_section_chief
is_supervisor = is_section_staff | is_bureau_leader | is_administrator
is_staff_member = rules.is_authenticated & rules.is_active

rules.add_perm("org.use_admin", is_administrator)
rules.add_perm("org.view_people", is_supervisor | is_unit_management)
