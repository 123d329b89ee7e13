from django.urls import path

from tickets.api import actions, approvals, attachments, detail, intake, lists, objections

# A step on one work order: POST tickets/{pk}/{step}/, named ticket-{step} (the screen's steps, by the same words).
TICKET_STEPS = {
    "dispatch": actions.StaffDispatchView,
    "recall": actions.StaffRecallView,
    "assist-done": actions.StaffAssistDoneView,
    "assist-release": actions.StaffAssistReleaseView,
    "merge": actions.StaffMergeView,
    "split": actions.StaffSplitView,
    "accept": actions.StaffAcceptView,
    "first-contact": actions.StaffFirstContactView,
    "reply": actions.StaffReplyView,
    "review-approve": actions.StaffReviewApproveView,
    "review-return": actions.StaffReviewReturnView,
    "extension-request": actions.StaffExtensionRequestView,
    "return-request": actions.StaffReturnRequestView,
    "pause": actions.StaffPauseView,
    "pause-request": actions.StaffPauseRequestView,
    "resume": actions.StaffResumeView,
    "acceptance": actions.StaffAcceptanceView,
    "reporter-notified": actions.StaffReporterNoticeView,
    "reveal": detail.StaffRevealView,
    "callback": actions.StaffCallbackView,
    "attachments": attachments.StaffAttachmentUploadView,
    "archive": actions.StaffArchiveView,
    "objection": objections.StaffObjectionView,
}

urlpatterns = [
    path("tickets/", lists.StaffTicketListView.as_view(), name="ticket-list"),
    path("tickets/intake/", intake.StaffIntakeView.as_view(), name="ticket-intake"),
    path("tickets/<int:pk>/", detail.StaffTicketDetailView.as_view(), name="ticket-detail"),
    *(path(f"tickets/<int:pk>/{step}/", view.as_view(), name=f"ticket-{step}") for step, view in TICKET_STEPS.items()),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_pk>/",
        attachments.StaffAttachmentDownloadView.as_view(),
        name="ticket-attachment",
    ),
    path("inbox/", lists.StaffInboxView.as_view(), name="inbox"),
    path("my-work/", lists.StaffMyWorkView.as_view(), name="my-work"),
    path("unit-queue/", lists.StaffUnitQueueView.as_view(), name="unit-queue"),
    path("assisting/", lists.StaffAssistingView.as_view(), name="assisting"),
    path("reviews/pending/", lists.StaffPendingReviewsView.as_view(), name="pending-reviews"),
    path("requests/", approvals.StaffRequestListView.as_view(), name="request-list"),
    path("requests/<int:pk>/decide/", approvals.StaffRequestDecideView.as_view(), name="request-decide"),
    path("objections/", objections.StaffObjectionListView.as_view(), name="objection-list"),
    path("objections/<int:pk>/decide/", objections.StaffObjectionDecideView.as_view(), name="objection-decide"),
]
