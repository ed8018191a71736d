"""Search latency at scale, on PostgreSQL: p50/p95 of typical queries vs a primary-key lookup.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/searchbench \\
        .venv/bin/python tests/bench/search.py --scale 100

Seeds the demo workspace with ``seed_demo --scale N`` (the forum seeder makes about 1,010
messages per step, so 100 gives ≥100,000 messages), adds plain content pages until there
are at least ``--pages`` live pages (the other seeders make few pages), then times the search
service (results + facet counts + highlighting, i.e. everything the search page asks the
backend) and suggestions for several kinds of people, and a primary-key lookup in the same
run. Prints ratios; asserts nothing. ``--skip-seed`` reuses an already seeded database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcri_site.settings.test")

QUERIES = [
    {"q": "asile"},
    {"q": "demandeur d'asile"},
    {"q": "permis de travail"},
    {"q": "formation"},
    {"q": "eleve"},
    {"q": "réfugiés pris en charge"},
    {"q": '"permis de travail"'},
    {"q": "hébergement logement"},
    {"q": "asile", "type": "message"},
    {"q": "permis", "volet": "4"},
    {"q": "asile", "tri": "date", "page": "3"},
    {"q": "formation", "type": ["training", "session"], "du": "2026-01-01"},
]
SUGGESTIONS = ["dem", "perm", "form", "asil", "régul"]


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database: this benchmark is about PostgreSQL.")
        return 2

    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if not args.skip_seed:
        call_command("seed_demo", scale=args.scale)
    add_pages(args.pages)

    from wagtail.models import Page

    from forum.models import Message
    from search.backends import get_backend
    from search.models import SearchDocument
    from search.services import run_search, suggest
    from tcri_site.members.models import User

    people = {
        "membre": User.objects.get(email="membre@demo.tcri.example"),
        "chargé·e de projet": User.objects.get(email="projet@demo.tcri.example"),
        "anonyme": AnonymousUser(),
    }
    print()
    print(f"database: {connection.vendor} · backend: {get_backend().name}")
    print(f"messages: {Message.objects.count():,} · live pages: {Page.objects.live().count():,} · "
          f"indexed documents: {SearchDocument.objects.count():,}")

    ids = list(Message.objects.values_list("pk", flat=True)[:50_000])
    rng = random.Random(7)

    def pk_lookup():
        Message.objects.get(pk=rng.choice(ids))

    for _ in range(20):
        pk_lookup()
    pk = timed(pk_lookup, args.repeat * 20)
    pk50, pk95 = percentile(pk, 50), percentile(pk, 95)
    print(f"\nprimary-key lookup: p50 {pk50:.2f} ms · p95 {pk95:.2f} ms")

    print(f"\n{'query':<48} {'person':<20} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95/pk':>8}")
    all_samples = []
    for params in QUERIES:
        for label, person in people.items():
            # Each person is fetched fresh per call, as in a request (principals computed each time).
            run_search(person, params)
            samples = timed(lambda params=params, person=person: run_search(person, params), args.repeat)
            total = run_search(person, params).total
            all_samples += samples
            p50, p95 = percentile(samples, 50), percentile(samples, 95)
            print(f"{str(params)[:48]:<48} {label:<20} {total:>7} {p50:>8.1f} {p95:>8.1f} {p95 / pk95:>8.0f}")
    sugg = []
    for text in SUGGESTIONS:
        for person in people.values():
            sugg += timed(lambda text=text, person=person: suggest(person, text), args.repeat)
    print(f"\nall searches: p50 {percentile(all_samples, 50):.1f} ms · p95 {percentile(all_samples, 95):.1f} ms "
          f"· p95 / primary-key p95 = {percentile(all_samples, 95) / pk95:.0f}×")
    print(f"suggestions:  p50 {percentile(sugg, 50):.1f} ms · p95 {percentile(sugg, 95):.1f} ms "
          f"· p95 / primary-key p95 = {percentile(sugg, 95) / pk95:.0f}×")
    print("goal: p95 under 50 ms" + (" — met" if percentile(all_samples, 95) < 50 else " — NOT met"))
    print(f"(median of all search samples: {statistics.median(all_samples):.1f} ms)")
    return 0


def add_pages(minimum: int) -> None:
    """Plain content pages so the page count is realistic; indexed on commit like any page."""
    from django.db import transaction
    from wagtail.models import Page

    from tcri_site.home.models import ContentPage, HomePage
    from tcri_site.seeding import Progress

    live = Page.objects.live().count()
    if live >= minimum:
        return
    home = HomePage.objects.filter(locale__language_code="fr").first()
    parent = ContentPage.objects.child_of(home).filter(slug="bench-pages").first()
    if parent is None:
        parent = home.add_child(instance=ContentPage(title="Fiches de référence", slug="bench-pages"))
    topics = [
        ("Accueil des personnes demandeuses d'asile", "hébergement, aide sociale, permis de travail"),
        ("Parrainage collectif", "groupe de deux à cinq personnes, engagement d'un an"),
        ("Résidence permanente", "droits, carte, assurance maladie"),
        ("Travailleurs étrangers temporaires", "permis fermé, permis ouvert, PTET, PMI"),
        ("Étudiantes et étudiants étrangers", "permis d'études, travail hors campus"),
        ("Examen des risques avant renvoi", "ERAR, délais, accompagnement"),
    ]
    need = minimum - live
    bar = Progress(need, "Pages de référence")
    base = ContentPage.objects.child_of(parent).count()
    for i in range(need):
        title, words = topics[i % len(topics)]
        n = base + i + 1
        with transaction.atomic():
            page = parent.add_child(
                instance=ContentPage(
                    title=f"{title} — fiche {n}",
                    slug=f"fiche-{n}",
                    body=[("paragraph", f"<p>Fiche {n} : {title.lower()} ; {words}. Formation des intervenantes.</p>")],
                )
            )
            page.save_revision().publish()
        bar.advance()


if __name__ == "__main__":
    sys.exit(main())
