"""Live unread badge: the server pushes the person's unread count whenever it changes."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from tcri_site.db import database_sync_to_async
from tcri_site.notifications.services import unread_count, user_group

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        # Accept first: a close code sent before accept() never reaches a browser.
        await self.accept()
        if not user or not user.is_authenticated:
            await self.send_json({"type": "error", "code": "not_authenticated"})
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        allowed = await database_sync_to_async(user.has_perm)("notifications.view_own")
        if not allowed:
            await self.send_json({"type": "error", "code": "forbidden"})
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        count = await database_sync_to_async(unread_count)(user)
        await self.send_json({"type": "notifications.unread", "unread": count})

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
            return
        await self.send_json({"type": "error", "code": "unknown_type"})

    async def decode_json(self, text_data):
        import json

        try:
            return json.loads(text_data)
        except ValueError:
            return {"type": "invalid"}

    async def notifications_unread(self, event):
        await self.send_json({"type": "notifications.unread", "unread": event["unread"]})
