"""Live unread badge: the server pushes the person's unread count whenever it changes.

Protocol on ``/ws/notifications/`` (docs/websocket-protocol.md, *Other routes*):
  server → client  {"type": "notifications.unread", "unread": n} on connect and on change;
                   {"type": "pong"}; {"type": "error", "code", "message"}
  client → server  {"type": "ping"}
"""

from tcri_site.db import database_sync_to_async
from tcri_site.notifications.groups import user_group
from tcri_site.notifications.services import unread_count
from tcri_site.sockets import BaseConsumer


class NotificationConsumer(BaseConsumer):
    permission = "notifications.view_own"

    async def opened(self) -> None:
        self.group = user_group(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        count = await database_sync_to_async(unread_count)(self.user)
        await self.send_json({"type": "notifications.unread", "unread": count})

    async def closing(self, code) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notifications_unread(self, event) -> None:
        await self.send_json({"type": "notifications.unread", "unread": event["unread"]})
