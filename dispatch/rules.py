"""Permission names of the dispatch catalogue."""

import rules

from org.rules import is_administrator
from tickets.rules import is_bureau_wide

# Dispatchers and the section read the catalogue; an administrator edits it and sees how often it is followed.
rules.add_perm("dispatch.view_catalogue", is_bureau_wide)
rules.add_perm("dispatch.manage_catalogue", is_administrator)
rules.add_perm("dispatch.view_figures", is_administrator)
