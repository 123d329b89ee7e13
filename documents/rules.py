"""Permission names of documents, from the work orders' and the organisation's predicates."""

import rules

from org.rules import is_administrator, is_dispatcher, is_section_chief, is_section_reviewer
from tickets.rules import can_see, same_bureau, unit_handles

# Who sees a work order sees its documents; who works on it (the unit, the section, the dispatcher) makes one
# on demand.
rules.add_perm("documents.view_documents", can_see)
rules.add_perm(
    "documents.make_document",
    ((is_dispatcher | is_section_reviewer | is_section_chief) & same_bureau) | unit_handles,
)
# The section downloads a month's archive of its bureau.
rules.add_perm("documents.download_archive", is_section_reviewer | is_section_chief)
# Templates and number formats: the administrators (in the admin).
rules.add_perm("documents.manage_templates", is_administrator)
