"""seed_demo calls this last: index everything the other seeders created."""

from search.backends import SearchUnavailable
from search.indexing import rebuild
from tcri_site.seeding import SeedContext

SEED_ORDER = 90  # last: indexes what every other seeder created


def seed(ctx: SeedContext) -> None:
    try:
        count = rebuild(progress=ctx.progress)
    except SearchUnavailable:
        ctx.say("Recherche : index indisponible, lancez « manage.py search_rebuild » plus tard.")
        return
    ctx.say(f"Recherche : {count} documents indexés")
