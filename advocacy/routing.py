from django.urls import path

from advocacy.consumers import VoteConsumer

websocket_urlpatterns = [path("ws/votes/<int:motion_id>/", VoteConsumer.as_asgi())]
