"""Demo organisations and people. Every name here is invented."""

from django.db import transaction
from django.utils.text import slugify

from tcri_site.members.models import (
    Membership,
    Organisation,
    Region,
    Role,
    StaffRole,
    User,
    Volet,
)
from tcri_site.members.roles import ensure_staff_groups
from tcri_site.seeding import DEMO_PASSWORD, SeedContext

ORG_COUNT = 62
PREFIXES = [
    "Carrefour", "Maison", "Centre", "Alliance", "Réseau", "Collectif", "Passerelle", "Escale",
    "Comptoir", "Atelier", "Relais", "Cercle",
]
THEMES = [
    "Horizons", "Racines", "Boussole", "Ancrage", "Tremplin", "Phare", "Rivage", "Envol",
    "Sentiers", "Confluence", "Archipel", "Nouvelles Rives", "Terre d'accueil", "Trait d'union",
]
FIRST_NAMES = [
    "Amina", "Bastien", "Chloé", "Dario", "Élise", "Fatou", "Gabriel", "Hana", "Idris", "Joëlle",
    "Kofi", "Léa", "Mateo", "Nadia", "Olivier", "Priya", "Quentin", "Rania", "Samuel", "Tania",
    "Ulysse", "Valérie", "Wassim", "Yasmine", "Zoé", "Adrien", "Béatrice", "Cyril", "Dalia",
]
LAST_NAMES = [
    "Arsenault", "Belleau", "Cardin", "Dumoulin", "Esposito", "Fortier", "Gagnon-Roy", "Hamdi",
    "Ibarra", "Jolicoeur", "Kamara", "Lachance", "Moreau-Diallo", "Nguyen-Tremblay", "Ouellette",
    "Paquin", "Quirion", "Rahimi", "Sabourin", "Thibodeau", "Vachon", "Wilson-Côté", "Zapata",
]
JOB_TITLES = ["Intervenant·e", "Coordonnateur·rice", "Agent·e d'intégration", "Conseiller·ère"]

DEMO_ACCOUNTS = [
    # (label, email, first, last, staff role or None, membership role or None, coordinator)
    ("Chargé·e de projet PASI", "projet@demo.tcri.example", "Maëlle", "Fictive", StaffRole.PROJECT_LEAD, None, False),
    ("Administrateur·rice", "admin@demo.tcri.example", "Alexis", "Exemple", StaffRole.ADMINISTRATOR, None, False),
    ("Délégué·e", "delegue@demo.tcri.example", "Dominique", "Démo", None, Role.DELEGUE, False),
    ("Substitut·e", "substitut@demo.tcri.example", "Sacha", "Démo", None, Role.SUBSTITUT, False),
    ("Membre (coordonnateur·rice)", "coordination@demo.tcri.example", "Camille", "Démo", None, Role.MEMBRE, True),
    ("Membre (intervenant·e)", "membre@demo.tcri.example", "Noa", "Démo", None, Role.MEMBRE, False),
]


def org_name(i: int) -> str:
    region_label = Region.choices[i % 17][1][3:]
    return f"{PREFIXES[i % len(PREFIXES)]} {THEMES[(i * 5) % len(THEMES)]} — {region_label}"


def acronym(name: str, i: int) -> str:
    initials = "".join(word[0] for word in name.split(" — ")[0].split() if word[0].isalpha())
    return f"{initials.upper()}{i + 1}"


def seed(ctx: SeedContext) -> None:

    ensure_staff_groups()
    volets = {v.number: v for v in Volet.objects.all()}
    password_hash = _demo_password_hash()
    progress = ctx.progress(ORG_COUNT, "Organismes et personnes")
    with transaction.atomic():
        for i in range(ORG_COUNT):
            name = org_name(i)
            org, created = Organisation.objects.get_or_create(
                slug=slugify(name)[:80],
                defaults={
                    "name": name,
                    "acronym": acronym(name, i),
                    "region": Region.choices[i % 17][0],
                    "pasi_participant": i % 13 != 12,
                    "contact_name": _person_name(i, 0),
                    "contact_email": f"info@org{i + 1}.demo.tcri.example",
                    "phone": f"514 555-{1000 + i:04d}",
                },
            )
            if created:
                numbers = {1 + i % 5, 1 + (i * 3) % 5} if i % 4 else {1 + i % 5}
                if i % 7 == 0:
                    numbers.add(4)
                org.volets.set([volets[n] for n in sorted(numbers)])
            people = 3 + ctx.scale - 1
            for j in range(people):
                role = Role.DELEGUE if j == 0 else Role.SUBSTITUT if j == 1 else Role.MEMBRE
                if i == 0 and j < 4:
                    continue  # org 1's first seats go to the demo accounts below
                email = f"p{j + 1}.org{i + 1}@demo.tcri.example"
                first, last = _person_name(i, j).split(" ", 1)
                user, user_created = User.objects.get_or_create(
                    email=email,
                    defaults={"first_name": first, "last_name": last, "password": password_hash},
                )
                if user_created:
                    Membership.objects.create(
                        user=user,
                        organisation=org,
                        role=role,
                        job_title=JOB_TITLES[(i + j) % len(JOB_TITLES)],
                        is_coordinator=(j == 2),
                    )
            progress.advance()

        first_org = Organisation.objects.order_by("pk").first()
        for label, email, first, last, staff_role, role, coordinator in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": first, "last_name": last, "password": password_hash},
            )
            if staff_role:
                user.groups.add(*[g for g in ensure_staff_groups().values() if g.name == staff_role.value])
                if not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
            if role and created:
                Membership.objects.create(
                    user=user,
                    organisation=first_org,
                    role=role,
                    is_coordinator=coordinator,
                    job_title="Coordonnateur·rice" if coordinator else "Intervenant·e",
                )
            ctx.accounts.append((label, email))


def _person_name(i: int, j: int) -> str:
    first = FIRST_NAMES[(i * 7 + j * 3) % len(FIRST_NAMES)]
    last = LAST_NAMES[(i * 11 + j * 5) % len(LAST_NAMES)]
    return f"{first} {last}"


def _demo_password_hash() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)
