from django.urls import path

from tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.SearchView.as_view(), name="list"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("new/", views.IntakeView.as_view(), name="intake"),
    path("mine/", views.MyWorkView.as_view(), name="my_work"),
    path("unit/", views.UnitQueueView.as_view(), name="unit_queue"),
    path("requests/", views.RequestListView.as_view(), name="requests"),
    path("requests/<int:pk>/decide/", views.RequestDecideView.as_view(), name="request_decide"),
    path("objections/", views.ObjectionListView.as_view(), name="objections"),
    path("objections/<int:pk>/decide/", views.ObjectionDecideView.as_view(), name="objection_decide"),
    path("<int:pk>/", views.TicketDetailView.as_view(), name="detail"),
    path("<int:pk>/dispatch/", views.DispatchView.as_view(), name="dispatch"),
    path("<int:pk>/recall/", views.RecallView.as_view(), name="recall"),
    path("<int:pk>/assist-done/", views.AssistDoneView.as_view(), name="assist_done"),
    path("<int:pk>/assist-release/", views.AssistReleaseView.as_view(), name="assist_release"),
    path("<int:pk>/merge/", views.MergeView.as_view(), name="merge"),
    path("<int:pk>/split/", views.SplitView.as_view(), name="split"),
    path("<int:pk>/accept/", views.AcceptView.as_view(), name="accept"),
    path("<int:pk>/first-contact/", views.FirstContactView.as_view(), name="first_contact"),
    path("<int:pk>/reply/", views.ReplyView.as_view(), name="reply"),
    path("<int:pk>/acceptance/", views.AcceptanceView.as_view(), name="acceptance"),
    path("<int:pk>/reporter-notified/", views.ReporterNoticeView.as_view(), name="reporter_notice"),
    path("<int:pk>/pause/", views.PauseView.as_view(), name="pause"),
    path("<int:pk>/pause-request/", views.PauseRequestView.as_view(), name="pause_request"),
    path("<int:pk>/resume/", views.ResumeView.as_view(), name="resume"),
    path("<int:pk>/extension/", views.ExtensionRequestView.as_view(), name="extension"),
    path("<int:pk>/return/", views.ReturnRequestView.as_view(), name="return_request"),
    path("<int:pk>/objection/", views.ObjectionView.as_view(), name="objection"),
    path("<int:pk>/archive/", views.ArchiveView.as_view(), name="archive"),
    path("<int:pk>/reveal/", views.RevealView.as_view(), name="reveal"),
    path("<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
]
