from django.urls import path

from forum import admin_views, social_views, views

app_name = "forum"

urlpatterns = [
    path("", views.index, name="index"),
    path("espace/<slug:slug>/", views.space_detail, name="space"),
    path("fil/<int:pk>/", views.thread_detail, name="thread"),
    path("fil/<int:pk>/moderer/", views.thread_moderate, name="thread_moderate"),
    path("message/<int:pk>/", views.message_detail, name="message"),
    path("message/<int:pk>/modifier/", views.message_edit, name="message_edit"),
    path("message/<int:pk>/historique/", views.message_history, name="message_history"),
    path("message/<int:pk>/supprimer/", views.message_delete, name="message_delete"),
    path("message/<int:pk>/signaler/", views.message_report, name="message_report"),
    path("message/<int:pk>/moderer/", views.message_moderate, name="message_moderate"),
    path("message/<int:pk>/reagir/", social_views.message_react, name="message_react"),
    path("fil/<int:pk>/mentions/", social_views.mention_suggestions, name="mention_suggestions"),
    path("suivre/<str:target>/<int:pk>/", social_views.follow, name="follow"),
    path("message/<int:pk>/retirer/", views.message_redact, name="message_redact"),
    path("piece-jointe/<int:pk>/", views.attachment_download, name="attachment"),
    path("piece-jointe/<int:pk>/apercu/", views.attachment_preview, name="attachment_preview"),
    path("message/<int:pk>/pieces-jointes/", views.message_attachments, name="message_attachments"),
    path("signalements/", admin_views.site_reports_queue, name="reports"),
    path("signalements/<int:pk>/", admin_views.site_resolve_report, name="report_resolve"),
]
