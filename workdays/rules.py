import rules

from org.rules import is_administrator

rules.add_perm("workdays.manage_calendar", is_administrator)
