from django.urls import path

from advocacy.consumers import ProjectorConsumer, SessionConsumer, VoteConsumer

websocket_urlpatterns = [
    path("ws/votes/<int:motion_id>/", VoteConsumer.as_asgi()),
    path("ws/seances/<int:session_id>/", SessionConsumer.as_asgi()),
    path("ws/seances/<int:session_id>/projecteur/", ProjectorConsumer.as_asgi()),
]
