from django.urls import path

from advocacy import views
from advocacy.feeds import UpdatesAtomFeed, UpdatesRssFeed
from advocacy.views.following import demand_follow
from advocacy.views.sitting import project, projector_wall, rollcall_action, speakers_action

app_name = "advocacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("revendications/", views.demand_list, name="demands"),
    path("revendications/nouvelle/", views.demand_create, name="demand_create"),
    path("revendications/<int:pk>/", views.demand_detail, name="demand"),
    path("revendications/<int:pk>/modifier/", views.demand_edit, name="demand_edit"),
    path("revendications/<int:pk>/etape/<slug:action>/", views.demand_transition, name="demand_transition"),
    path("revendications/<int:pk>/commentaires/", views.comment_create, name="comment_create"),
    path("revendications/<int:pk>/cosigner/", views.demand_cosign, name="demand_cosign"),
    path("revendications/<int:pk>/amender/", views.amendment_create, name="amendment_create"),
    path("revendications/<int:pk>/suivre/", demand_follow, name="demand_follow"),
    path("revendications/<int:pk>/historique/", views.demand_history, name="demand_history"),
    path("revendications/<int:pk>/historique/<int:a>/<int:b>/", views.demand_diff, name="demand_diff"),
    path("amendements/<int:pk>/", views.amendment_detail, name="amendment"),
    path("amendements/<int:pk>/accepter/", views.amendment_accept, name="amendment_accept"),
    path("cahier/", views.cahier, name="cahier"),
    path("elections/", views.election_list, name="elections"),
    path("elections/<int:pk>/", views.election, name="election"),
    path("elections/<int:pk>/<slug:action>/", views.election_control, name="election_control"),
    path("candidatures/<int:pk>/retirer/", views.candidacy_withdraw, name="candidacy_withdraw"),
    path("priorites/", views.prioritisation_list, name="prioritisations"),
    path("priorites/<int:pk>/", views.prioritisation, name="prioritisation"),
    path("priorites/<int:pk>/<slug:action>/", views.prioritisation_control, name="prioritisation_control"),
    path("seances/", views.session_list, name="sessions"),
    path("seances/<int:pk>/", views.session_detail, name="session"),
    path("seances/<int:pk>/convocation.ics", views.session_ics, name="session_ics"),
    path("seances/<int:pk>/convoquer/", views.session_convocation, name="session_convocation"),
    path("seances/<int:pk>/appel/<slug:action>/", rollcall_action, name="rollcall_action"),
    path("seances/<int:pk>/projecteur/", projector_wall, name="projector_wall"),
    path("seances/<int:pk>/projeter/", project, name="project"),
    path("seances/<int:pk>/parole/<slug:action>/", speakers_action, name="speakers_action"),
    path("seances/<int:pk>/procurations/", views.procuration_request, name="procuration_request"),
    path(
        "seances/<int:pk>/procurations/<int:procuration_id>/<slug:action>/",
        views.procuration_decide,
        name="procuration_decide",
    ),
    path("seances/<int:pk>/proces-verbal/", views.minutes, name="minutes"),
    path("seances/<int:pk>/proces-verbal/modifier/", views.minutes_edit, name="minutes_edit"),
    path("seances/<int:pk>/proces-verbal.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("seances/<int:pk>/resultats.csv", views.results_csv, name="results_csv"),
    path("a-voter/", views.votes_awaiting, name="votes_awaiting"),
    path("votes/en-ligne/nouveau/", views.online_vote_create, name="online_vote_create"),
    path("votes/<int:pk>/prolonger/", views.online_vote_extend, name="online_vote_extend"),
    path("votes/<int:pk>/", views.vote, name="vote"),
    path("votes/<int:pk>/projection/", views.projector, name="projector"),
    path("votes/<int:pk>/bulletin-saisi/", views.enter_ballot, name="enter_ballot"),
    path("votes/<int:pk>/<slug:action>/", views.motion_control, name="motion_control"),
    path("suivi/", views.updates, name="updates"),
    path("suivi/abonnement/", views.subscribe, name="subscribe"),
    path("suivi/rss/", UpdatesRssFeed(), name="updates_rss"),
    path("suivi/atom/", UpdatesAtomFeed(), name="updates_atom"),
]
