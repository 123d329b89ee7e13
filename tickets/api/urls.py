from django.urls import path

from tickets.api import staff as staff_views
from tickets.api import views

platform = [
    path("tickets/", views.PlatformTicketCreateView.as_view(), name="ticket-create"),
    path("tickets/<str:source>/<str:external_id>/", views.PlatformTicketDetailView.as_view(), name="ticket-detail"),
    path(
        "tickets/<str:source>/<str:external_id>/callback/",
        views.PlatformCallbackView.as_view(),
        name="ticket-callback",
    ),
    path("tickets/<str:source>/<str:external_id>/urge/", views.PlatformUrgeView.as_view(), name="ticket-urge"),
    path("updates/", views.PlatformUpdatesView.as_view(), name="updates"),
]

staff = [
    path("tickets/", views.StaffTicketListView.as_view(), name="ticket-list"),
    path("tickets/<int:pk>/", views.StaffTicketDetailView.as_view(), name="ticket-detail"),
    path("tickets/<int:pk>/dispatch/", views.StaffDispatchView.as_view(), name="ticket-dispatch"),
    path("tickets/<int:pk>/recall/", views.StaffRecallView.as_view(), name="ticket-recall"),
    path("tickets/<int:pk>/accept/", views.StaffAcceptView.as_view(), name="ticket-accept"),
    path("tickets/<int:pk>/first-contact/", views.StaffFirstContactView.as_view(), name="ticket-first-contact"),
    path("tickets/<int:pk>/reply/", views.StaffReplyView.as_view(), name="ticket-reply"),
    path("tickets/<int:pk>/review-approve/", views.StaffReviewApproveView.as_view(), name="ticket-review-approve"),
    path("tickets/<int:pk>/review-return/", views.StaffReviewReturnView.as_view(), name="ticket-review-return"),
    path("inbox/", staff_views.StaffInboxView.as_view(), name="inbox"),
    path("my-work/", staff_views.StaffMyWorkView.as_view(), name="my-work"),
    path("unit-queue/", staff_views.StaffUnitQueueView.as_view(), name="unit-queue"),
    path("reviews/pending/", staff_views.StaffPendingReviewsView.as_view(), name="pending-reviews"),
    path("requests/", staff_views.StaffRequestListView.as_view(), name="request-list"),
    path("requests/<int:pk>/decide/", staff_views.StaffRequestDecideView.as_view(), name="request-decide"),
    path("tickets/intake/", staff_views.StaffIntakeView.as_view(), name="ticket-intake"),
    path(
        "tickets/<int:pk>/extension-request/",
        staff_views.StaffExtensionRequestView.as_view(),
        name="ticket-extension-request",
    ),
    path(
        "tickets/<int:pk>/return-request/", staff_views.StaffReturnRequestView.as_view(), name="ticket-return-request"
    ),
    path("tickets/<int:pk>/pause/", staff_views.StaffPauseView.as_view(), name="ticket-pause"),
    path("tickets/<int:pk>/resume/", staff_views.StaffResumeView.as_view(), name="ticket-resume"),
    path("tickets/<int:pk>/acceptance/", staff_views.StaffAcceptanceView.as_view(), name="ticket-acceptance"),
    path(
        "tickets/<int:pk>/reporter-notified/",
        staff_views.StaffReporterNoticeView.as_view(),
        name="ticket-reporter-notified",
    ),
    path("tickets/<int:pk>/reveal/", staff_views.StaffRevealView.as_view(), name="ticket-reveal"),
    path("tickets/<int:pk>/callback/", staff_views.StaffCallbackView.as_view(), name="ticket-callback"),
    path("tickets/<int:pk>/attachments/", staff_views.StaffAttachmentUploadView.as_view(), name="ticket-attachments"),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_pk>/",
        staff_views.StaffAttachmentDownloadView.as_view(),
        name="ticket-attachment",
    ),
]
