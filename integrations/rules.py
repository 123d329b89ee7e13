"""Permission names of the integrations' staff pages (the platform's API has its own: IsIntegrationClient)."""

import rules

from org.rules import is_administrator

# Administrators set each platform client's webhook address and make its secret.
rules.add_perm("integrations.manage_clients", is_administrator)
