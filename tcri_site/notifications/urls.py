from django.urls import path

from tcri_site.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/ouvrir/", views.open_notification, name="open"),
    path("<int:pk>/lue/", views.mark_one_read, name="mark_read"),
    path("tout-lire/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences_view, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
