from django.urls import path

from tcri_site.exports import views

app_name = "exports"

urlpatterns = [
    path("<int:pk>/", views.download_status, name="status"),
    path("<int:pk>/progression/", views.download_progress, name="progress"),
    path("<int:pk>/fichier/", views.download_file, name="file"),
]
