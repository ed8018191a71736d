from django.urls import path

from tcri_site.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.policy, name="policy"),
    path("accepter/", views.accept, name="accept"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees.json", views.my_data_json, name="my_data_json"),
    path("mes-donnees/resume/", views.my_data_html, name="my_data_html"),
    path("mes-donnees/effacer/", views.erase_me, name="erase_me"),
    path("personnes/", views.staff_people, name="staff_people"),
    path("personnes/<int:pk>.json", views.staff_json, name="staff_json"),
    path("personnes/<int:pk>/resume/", views.staff_html, name="staff_html"),
    path("personnes/<int:pk>/effacer/", views.staff_erase, name="staff_erase"),
]
