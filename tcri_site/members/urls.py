from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tcri_site.members import views

app_name = "members"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("mot-de-passe/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="members/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/changer/",
        auth_views.PasswordChangeView.as_view(
            template_name="members/password_change.html",
            success_url=reverse_lazy("members:profile"),
        ),
        name="password_change",
    ),
    path("organismes/", views.directory, name="directory"),
    path("organismes/<slug:slug>/", views.organisation_detail, name="organisation"),
]
