"""Demo privacy policy (French, with its English text) and the demo people's acceptance of it,
so the seeded accounts go straight to their pages; a new person meets the acceptance page."""

import datetime

from tcri_site.home.models import HomePage
from tcri_site.members.models import User
from tcri_site.privacy.models import PolicyAcceptance, PrivacyPolicyPage
from tcri_site.seeding import SeedContext

SEED_ORDER = 85  # after the people exist, before search indexes the page

BODY_FR = (
    "<p>La TCRI recueille, dans cet espace, les renseignements nécessaires à la participation des "
    "organismes membres au PASI : nom, adresse courriel, organisme, rôle, inscriptions aux formations, "
    "messages, commentaires, amendements et votes exprimés au nom de l'organisme.</p>"
    "<p>Ces renseignements servent uniquement au fonctionnement de l'espace. Ils ne sont ni vendus ni "
    "communiqués à des tiers. Vous pouvez les consulter et les télécharger depuis votre profil, et "
    "demander l'effacement de votre compte.</p>"
    "<p>Ne publiez jamais de renseignements permettant d'identifier une personne accompagnée.</p>"
)
BODY_EN = (
    "<p>In this workspace the TCRI collects what member organisations need to take part in PASI: "
    "name, e-mail address, organisation, role, training registrations, messages, comments, amendments "
    "and votes cast on the organisation's behalf.</p>"
    "<p>This information is used only to run the workspace. It is neither sold nor disclosed to third "
    "parties. You can view and download it from your profile, and ask for your account to be erased.</p>"
    "<p>Never post information that identifies a person you support.</p>"
)


def seed(ctx: SeedContext) -> None:
    home = HomePage.objects.filter(locale__language_code="fr").first()
    if home is None:
        return
    policy = PrivacyPolicyPage.objects.first()
    if policy is None:
        policy = home.add_child(
            instance=PrivacyPolicyPage(
                title="Politique de confidentialité",
                slug="politique-de-confidentialite",
                version=1,
                published_on=datetime.date(2026, 11, 1),
                body=BODY_FR,
                body_en=BODY_EN,
                officer_title="Responsable de la protection des renseignements personnels",
                officer_name="Mireille Fontaine-Akpovi",
                officer_email="vie-privee@demo.tcri.example",
                officer_phone="514 555-0142",
            )
        )
        policy.save_revision().publish()
    existing = set(PolicyAcceptance.objects.filter(version=policy.version).values_list("user_id", flat=True))
    PolicyAcceptance.objects.bulk_create(
        [
            PolicyAcceptance(user_id=pk, version=policy.version, language="fr")
            for pk in User.objects.filter(email__endswith="@demo.tcri.example").values_list("pk", flat=True)
            if pk not in existing
        ]
    )
