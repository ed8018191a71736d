"""RSS and Atom feeds of the implementation updates."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from advocacy.models.pages import source_updates
from tcri_site.i18n import localized_pages


class UpdatesRssFeed(Feed):
    title = _("Suivi de l'implantation du PASI — Forum TCRI-PASI")
    description = _("Les mises à jour publiées par la chargée de projet PASI.")

    def link(self):
        return reverse("advocacy:updates")

    def items(self):
        return localized_pages(source_updates().prefetch_related("volets")[:30], prefetch=("volets",))

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url or reverse("advocacy:updates")

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [str(v.short_label) for v in item.volets.all()]


class UpdatesAtomFeed(UpdatesRssFeed):
    feed_type = Atom1Feed
    subtitle = UpdatesRssFeed.description
