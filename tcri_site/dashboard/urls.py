from django.urls import path

from tcri_site.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("export/<slug:key>.csv", views.export_csv, name="export"),
]
