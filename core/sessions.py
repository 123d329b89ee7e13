"""Django's database sessions, read through a query compiled once per connection (core.prepared).

Every signed-in request loads its session first. `SessionStore` is django.contrib.sessions' database
store with one change: the row is read by its key with SQL the ORM wrote once (the expiry is checked
on the row, which answers what `expire_date > now()` in the query answered). Same table, same data,
same answers: an expired or unknown key is an empty session whose key is dropped.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.prepared import PreparedQuery

_session_query = PreparedQuery(
    lambda key: Session.objects.filter(session_key=key).values_list("session_key", "session_data", "expire_date")
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        key = self.session_key
        if key is not None:
            _compiled, rows = _session_query.rows(key)
            if rows and rows[0][2] > timezone.now():
                session_key, session_data, expire_date = rows[0]
                return self.model(session_key=session_key, session_data=session_data, expire_date=expire_date)
        self._session_key = None
        return None
