"""The staff screens of work orders: lists, intake, the ticket page and its one-button actions."""

from tickets.views.actions import (
    AcceptanceView,
    AcceptView,
    ArchiveView,
    AttachmentDownloadView,
    AttachmentUploadView,
    DispatchView,
    ExtensionRequestView,
    FirstContactView,
    MergeView,
    PauseRequestView,
    PauseView,
    RecallView,
    ReplyView,
    ReporterNoticeView,
    RequestDecideView,
    ResumeView,
    ReturnRequestView,
    RevealView,
    SplitView,
)
from tickets.views.detail import TicketDetailView
from tickets.views.intake import IntakeView
from tickets.views.lists import InboxView, MyWorkView, RequestListView, SearchView, UnitQueueView
from tickets.views.objections import ObjectionDecideView, ObjectionListView, ObjectionView

__all__ = [
    "AcceptView",
    "ArchiveView",
    "AcceptanceView",
    "AttachmentDownloadView",
    "AttachmentUploadView",
    "DispatchView",
    "ExtensionRequestView",
    "FirstContactView",
    "InboxView",
    "IntakeView",
    "MyWorkView",
    "PauseRequestView",
    "ObjectionView",
    "ObjectionListView",
    "ObjectionDecideView",
    "PauseView",
    "RecallView",
    "MergeView",
    "SplitView",
    "ReplyView",
    "ReporterNoticeView",
    "RequestDecideView",
    "RequestListView",
    "ResumeView",
    "ReturnRequestView",
    "RevealView",
    "SearchView",
    "TicketDetailView",
    "UnitQueueView",
]
