"""Permission names for reports. Views ask these, never roles directly."""

import rules

from org.rules import is_bureau_leader, is_section_chief, is_section_reviewer, is_unit_leader

# The consumer-protection section's reviewers and chief and the bureau leaders read the whole bureau's
# briefing; a unit's leader reads their own unit's line and the bureau total (reports.selectors).
reads_whole_bureau = is_section_reviewer | is_section_chief | is_bureau_leader

rules.add_perm("reports.view_reports", reads_whole_bureau | is_unit_leader)
# Counting a closed month again (its kept counts, reports.models.MonthlyCounts) is for those who read all of it.
rules.add_perm("reports.recount_month", reads_whole_bureau)
# The annual assessment: read as the briefing (a unit leader: their own unit's line); kept by the readers of the
# whole bureau; its scheme (weights) is set by administrators in the admin (model permissions).
rules.add_perm("reports.view_assessment", reads_whole_bureau | is_unit_leader)
rules.add_perm("reports.keep_assessment", reads_whole_bureau)
# Hotspots (businesses and categories by count and growth): the briefing's readers; a unit leader sees the
# work orders of their own unit only (reports.selectors.hotspots).
rules.add_perm("reports.view_hotspots", reads_whole_bureau | is_unit_leader)
# The leader's screen (数据大屏) shows every unit of the bureau: for those who read the whole bureau.
rules.add_perm("reports.view_screen", reads_whole_bureau)
# The annual report (《年度报告》): as the briefing, a unit leader reads their own unit's line and the totals.
rules.add_perm("reports.view_annual", reads_whole_bureau | is_unit_leader)
# The monthly briefing kept as files (the schedule's and those made on demand): the whole bureau's figures, so for
# those who read all of it (made, listed and downloaded).
rules.add_perm("reports.keep_briefing", reads_whole_bureau)
