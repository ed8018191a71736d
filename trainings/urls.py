from django.urls import path

from trainings import views
from trainings.views import evaluation as evaluation_views

app_name = "trainings"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/seance.ics", views.session_ics, name="session_ics"),
    path("<int:pk>/inscription/", views.register, name="register"),
    path("<int:pk>/presences/", views.attendance, name="attendance"),
    path("<int:pk>/attestations/", views.session_certificates, name="session_certificates"),
    path("<int:pk>/inscriptions.csv", views.registrations_csv, name="registrations_csv"),
    path("<int:pk>/code-de-presence/", views.checkin_code, name="checkin_code"),
    path("presence/", views.checkin, name="checkin"),
    path("inscriptions/<int:pk>/annuler/", views.cancel, name="cancel"),
    path("inscriptions/<int:pk>/attestation.pdf", views.certificate, name="certificate"),
    path("mes-formations/", views.my_trainings, name="my_trainings"),
    path("mes-formations/calendrier/", views.calendar_token, name="calendar_token"),
    path("calendrier/<str:token>.ics", views.feed, name="feed"),
    path("rapports/", views.reports, name="reports"),
    path("rapports/participation.csv", views.reports_csv, name="reports_csv"),
    path("<int:pk>/evaluation/", evaluation_views.evaluate, name="evaluate"),
    path("rapports/evaluations/", evaluation_views.evaluation_reports, name="evaluation_reports"),
    path("rapports/evaluations/formation/<int:pk>/", evaluation_views.evaluation_training, name="evaluation_training"),
    path("rapports/evaluations/seance/<int:pk>/", evaluation_views.evaluation_session, name="evaluation_session"),
]
