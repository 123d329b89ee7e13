"""Permission names for cluster alerts, from the predicates tickets already has (the same people see a
bureau's work orders and its alerts)."""

import rules

from org.rules import is_administrator, is_section_staff, is_unit_management
from tickets.rules import is_bureau_wide, same_bureau

# Bureau-wide: the consumer-protection section (dispatchers, reviewers, chief), bureau leaders, administrators.
sees_every_alert = is_bureau_wide
# Unit leaders and deputies: the alerts that link a work order of their unit (alerts.selectors).
sees_own_units_alerts = is_unit_management

# The list and the navigation entry (without an object); which alerts is the selector's business.
rules.add_perm("alerts.view_alerts", sees_every_alert | sees_own_units_alerts)
# The consultation, its unified reply line, and closing: section staff of the alert's bureau
# (tickets.rules.same_bureau reads only the object's bureau_id).
rules.add_perm("alerts.consult_alert", (is_section_staff | is_administrator) & same_bureau)
