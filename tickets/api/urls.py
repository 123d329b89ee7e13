from django.urls import path

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
]
