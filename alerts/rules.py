"""Permission names for cluster alerts."""

import rules

from org.rules import (
    is_administrator,
    is_bureau_leader,
    is_dispatcher,
    is_section_chief,
    is_section_reviewer,
    is_unit_deputy,
    is_unit_leader,
)

# Bureau-wide: the consumer-protection section (dispatchers, reviewers, chief), bureau leaders, administrators.
sees_every_alert = is_dispatcher | is_section_reviewer | is_section_chief | is_bureau_leader | is_administrator
# Unit leaders and deputies: the alerts that link a work order of their unit (alerts.selectors).
sees_own_units_alerts = is_unit_leader | is_unit_deputy


@rules.predicate
def same_bureau(user, alert) -> bool:
    return alert is not None and user.unit_id is not None and user.unit.bureau_id == alert.bureau_id


# The list and the navigation entry (without an object); which alerts is the selector's business.
rules.add_perm("alerts.view_alerts", sees_every_alert | sees_own_units_alerts)
# The consultation, its unified reply line, and closing: section staff of the alert's bureau.
rules.add_perm("alerts.consult_alert", (is_section_reviewer | is_section_chief | is_administrator) & same_bureau)
