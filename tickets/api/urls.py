from django.urls import path

from tickets.api import actions, approvals, attachments, detail, intake, lists

urlpatterns = [
    path("tickets/", lists.StaffTicketListView.as_view(), name="ticket-list"),
    path("tickets/<int:pk>/", detail.StaffTicketDetailView.as_view(), name="ticket-detail"),
    path("tickets/<int:pk>/dispatch/", actions.StaffDispatchView.as_view(), name="ticket-dispatch"),
    path("tickets/<int:pk>/recall/", actions.StaffRecallView.as_view(), name="ticket-recall"),
    path("tickets/<int:pk>/accept/", actions.StaffAcceptView.as_view(), name="ticket-accept"),
    path("tickets/<int:pk>/first-contact/", actions.StaffFirstContactView.as_view(), name="ticket-first-contact"),
    path("tickets/<int:pk>/reply/", actions.StaffReplyView.as_view(), name="ticket-reply"),
    path("tickets/<int:pk>/review-approve/", actions.StaffReviewApproveView.as_view(), name="ticket-review-approve"),
    path("tickets/<int:pk>/review-return/", actions.StaffReviewReturnView.as_view(), name="ticket-review-return"),
    path("inbox/", lists.StaffInboxView.as_view(), name="inbox"),
    path("my-work/", lists.StaffMyWorkView.as_view(), name="my-work"),
    path("unit-queue/", lists.StaffUnitQueueView.as_view(), name="unit-queue"),
    path("reviews/pending/", lists.StaffPendingReviewsView.as_view(), name="pending-reviews"),
    path("requests/", approvals.StaffRequestListView.as_view(), name="request-list"),
    path("requests/<int:pk>/decide/", approvals.StaffRequestDecideView.as_view(), name="request-decide"),
    path("tickets/intake/", intake.StaffIntakeView.as_view(), name="ticket-intake"),
    path(
        "tickets/<int:pk>/extension-request/",
        actions.StaffExtensionRequestView.as_view(),
        name="ticket-extension-request",
    ),
    path("tickets/<int:pk>/return-request/", actions.StaffReturnRequestView.as_view(), name="ticket-return-request"),
    path("tickets/<int:pk>/pause/", actions.StaffPauseView.as_view(), name="ticket-pause"),
    path("tickets/<int:pk>/resume/", actions.StaffResumeView.as_view(), name="ticket-resume"),
    path("tickets/<int:pk>/acceptance/", actions.StaffAcceptanceView.as_view(), name="ticket-acceptance"),
    path(
        "tickets/<int:pk>/reporter-notified/",
        actions.StaffReporterNoticeView.as_view(),
        name="ticket-reporter-notified",
    ),
    path("tickets/<int:pk>/reveal/", detail.StaffRevealView.as_view(), name="ticket-reveal"),
    path("tickets/<int:pk>/callback/", actions.StaffCallbackView.as_view(), name="ticket-callback"),
    path("tickets/<int:pk>/attachments/", attachments.StaffAttachmentUploadView.as_view(), name="ticket-attachments"),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_pk>/",
        attachments.StaffAttachmentDownloadView.as_view(),
        name="ticket-attachment",
    ),
]
