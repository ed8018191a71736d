from django.urls import path

from forum.consumers import ForumConsumer

websocket_urlpatterns = [path("ws/forum/", ForumConsumer.as_asgi())]
