from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        # Documents are made when a decision is given: the tickets services send decision_given (tickets/signals.py).
        from documents import receivers
        from tickets.signals import decision_given

        decision_given.connect(receivers.on_decision, dispatch_uid="documents.on_decision")
