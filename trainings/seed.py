"""Demo trainings on migration statuses: glossary, material pages, sessions, registrations.

Every name here is invented. ``ctx.scale`` multiplies the number of sessions (and so of
registrations) for benchmarks: about 24 sessions and 120 registrations per unit of scale.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from tcri_site.home.models import HomePage
from tcri_site.members.models import Membership, Volet
from tcri_site.seeding import SeedContext
from tcri_site.translations import has_translation, translate_page
from trainings.demo_evaluations import demo_evaluations, evaluation_questions
from trainings.models import (
    GlossaryPage,
    Level,
    MigrationStatus,
    Registration,
    RegistrationStatus,
    SessionFormat,
    SessionStatus,
    TrainingIndexPage,
    TrainingPage,
    TrainingSession,
)
from trainings.services import private_material_collection

# slug, name_fr, name_en, abbreviation, volets, related, description_fr, description_en
STATUSES = [
    ("resident-permanent", "Résident·e permanent·e", "Permanent resident", "RP", [1, 2], ["csq", "citoyen-canadien"],
     "Personne qui a obtenu la résidence permanente : elle peut vivre, travailler et étudier partout au Canada.",
     "A person granted permanent residence: they may live, work and study anywhere in Canada."),
    ("citoyen-canadien", "Citoyen·ne canadien·ne", "Canadian citizen", "", [2], ["resident-permanent"],
     "Personne qui a la citoyenneté canadienne, de naissance ou par naturalisation.",
     "A person holding Canadian citizenship, by birth or naturalisation."),
    ("rpce", "Réfugié·e pris en charge par l'État", "Government-assisted refugee", "RPCE", [1, 3], ["rpsp", "rdbv"],
     "Personne réfugiée réinstallée depuis l'étranger et soutenue par l'État pendant sa première année.",
     "A refugee resettled from abroad and supported by the government during their first year."),
    ("rpsp", "Réfugié·e parrainé·e par le secteur privé", "Privately sponsored refugee", "RPSP", [1, 2],
     ["rpce", "groupe-deux-a-cinq"],
     "Personne réfugiée réinstallée grâce à un organisme ou à un groupe qui s'engage à la soutenir.",
     "A refugee resettled thanks to an organisation or group that undertakes to support them."),
    ("groupe-deux-a-cinq", "Réfugié·e parrainé·e par un groupe de deux à cinq personnes",
     "Refugee sponsored by a group of two to five people", "", [1, 2], ["rpsp"],
     "Parrainage collectif par deux à cinq personnes qui s'engagent à soutenir la personne réfugiée.",
     "Collective sponsorship by two to five people who undertake to support the refugee."),
    ("rdbv", "Programme mixte des réfugiés désignés par un bureau des visas", "Blended visa office-referred refugee",
     "RDBV", [1, 3], ["rpce", "rpsp"],
     "Réinstallation dont le soutien est partagé entre l'État et des répondant·es privé·es.",
     "Resettlement whose support is shared between the government and private sponsors."),
    ("demandeur-asile", "Demandeur·euse d'asile", "Asylum claimant", "", [4], ["personne-protegee", "demandeur-asile-deboute"],
     "Personne qui a demandé l'asile au Canada et attend la décision sur sa demande.",
     "A person who has claimed asylum in Canada and is awaiting a decision."),
    ("personne-protegee", "Personne protégée (réfugié·e reconnu·e au Canada)", "Protected person (refugee recognised in Canada)",
     "", [1, 2, 4], ["demandeur-asile", "resident-permanent"],
     "Personne dont la demande d'asile a été acceptée ; elle peut demander la résidence permanente.",
     "A person whose asylum claim was accepted; they may apply for permanent residence."),
    ("demandeur-asile-deboute", "Demandeur·euse d'asile débouté·e", "Failed refugee claimant", "", [4], ["erar", "ch"],
     "Personne dont la demande d'asile a été refusée et qui peut avoir encore certains recours.",
     "A person whose asylum claim was refused and who may still have some remedies."),
    ("erar", "Examen des risques avant renvoi", "Pre-removal risk assessment", "ERAR", [4], ["demandeur-asile-deboute"],
     "Évaluation des risques qu'une personne courrait si elle était renvoyée dans son pays.",
     "An assessment of the risks a person would face if removed to their country."),
    ("ch", "Demande pour considérations d'ordre humanitaire", "Humanitarian and compassionate application", "CH",
     [4], ["sans-statut", "demandeur-asile-deboute"],
     "Demande de résidence permanente fondée sur l'établissement au Canada et l'intérêt des enfants.",
     "An application for permanent residence based on establishment in Canada and the best interests of children."),
    ("tet", "Travailleur·euse étranger·ère temporaire", "Temporary foreign worker", "TET", [2], ["etudiant-etranger", "pst"],
     "Personne qui travaille avec un permis fermé ou ouvert (PTET, PMI).",
     "A person working with an employer-specific or open permit (TFWP, IMP)."),
    ("etudiant-etranger", "Étudiant·e étranger·ère", "International student", "", [2], ["tet"],
     "Personne qui étudie au Québec avec un permis d'études et un CAQ.",
     "A person studying in Québec with a study permit and a CAQ."),
    ("visiteur", "Visiteur·euse", "Visitor", "", [], ["pst"],
     "Personne en séjour temporaire, sans permis de travail ni d'études.",
     "A person on a temporary stay, without a work or study permit."),
    ("pst", "Titulaire d'un permis de séjour temporaire", "Temporary resident permit holder", "PST", [2],
     ["visiteur", "tet"],
     "Personne autorisée exceptionnellement à séjourner au Canada pour une durée limitée.",
     "A person exceptionally allowed to stay in Canada for a limited time."),
    ("csq", "Certificat de sélection du Québec", "Québec selection certificate", "CSQ", [1, 2], ["resident-permanent"],
     "Document du Québec qui atteste qu'une personne a été sélectionnée pour s'y établir.",
     "A Québec document attesting that a person was selected to settle there."),
    ("sans-statut", "Personne sans statut", "Person without status", "", [], ["ch", "demandeur-asile-deboute"],
     "Personne qui vit au Québec sans statut d'immigration valide.",
     "A person living in Québec without a valid immigration status."),
]

# title, slug, statuses, volets, tags, level, audience, private, sessions per unit of scale
TRAININGS = [
    ("Les statuts migratoires : vue d'ensemble", "statuts-vue-ensemble",
     ["resident-permanent", "citoyen-canadien", "rpce", "demandeur-asile", "tet", "etudiant-etranger"],
     [1, 2], ["introduction", "admissibilité"], Level.INTRO, "Intervenant·es en accueil", False),
    ("Accueillir les personnes demandeuses d'asile", "accueillir-demandeuses-asile",
     ["demandeur-asile", "personne-protegee", "demandeur-asile-deboute"],
     [4], ["asile", "admissibilité"], Level.INTERMEDIATE, "Intervenant·es du volet 4", False),
    ("Réfugié·es pris en charge par l'État et parrainé·es", "refugies-pris-en-charge-parraines",
     ["rpce", "rpsp", "groupe-deux-a-cinq", "rdbv"],
     [3], ["réinstallation"], Level.INTERMEDIATE, "Équipes d'accueil et d'installation", False),
    ("Travailleur·euses étranger·ères temporaires et étudiant·es", "travailleurs-temporaires-etudiants",
     ["tet", "etudiant-etranger", "pst", "visiteur"],
     [1, 2], ["permis", "admissibilité"], Level.INTRO, "Intervenant·es en intégration", False),
    ("Recours : ERAR et considérations humanitaires", "recours-erar-ch",
     ["erar", "ch", "sans-statut", "demandeur-asile-deboute"],
     [4], ["recours", "asile"], Level.ADVANCED, "Intervenant·es expérimenté·es", True),
    ("De la sélection à la citoyenneté : CSQ et résidence permanente", "csq-residence-permanente",
     ["csq", "resident-permanent", "citoyen-canadien"],
     [1, 2], ["parcours"], Level.INTRO, "Toutes les équipes", False),
]

# One session with a single seat, kept free of demo registrations, for the browser test
# (a member registers and cancels; a colleague on the waiting list is promoted).
WORKSHOP = (
    "Atelier pratique : demande d'asile et permis de travail", "atelier-asile-permis-travail",
    ["demandeur-asile", "tet"], [4], ["asile", "atelier"], Level.INTERMEDIATE, "Intervenant·es du volet 4", False,
)

TRAINERS = ["Inès Forgeron", "Marc-André Lapointe", "Soraya Belkacem", "Julien Desrochers", "Équipe TCRI"]
PLACES = ["TCRI, 518 rue Beaubien Est, Montréal", "Salle communautaire, Québec", "Centre des congrès, Sherbrooke"]
PLACE_REGIONS = ["06", "03", "05"]  # the administrative region of each place


def _body(title: str, statuses: list[MigrationStatus], document=None) -> list:
    names = ", ".join(s.name_fr for s in statuses)
    blocks = [
        ("heading", "Objectifs"),
        ("paragraph", f"<p>Comprendre les statuts abordés ({names}), les droits qu'ils donnent et les services du PASI auxquels ils donnent accès.</p>"),
        ("callout", {"kind": "warning", "title": "À vérifier", "text": "<p>Les règles changent souvent : vérifiez toujours le document de statut de la personne.</p>"}),
        ("case_study", {
            "title": "Une famille arrivée récemment",
            "situation": "<p>Une mère et ses deux enfants se présentent à l'accueil avec des documents différents.</p>",
            "analysis": "<p>Chaque membre de la famille peut avoir un statut distinct : on vérifie l'admissibilité de chacun.</p>",
        }),
        ("faq", {"items": [
            {"question": "Quel volet finance ce service ?", "answer": "<p>Cela dépend du statut de la personne et du volet de l'organisme.</p>"},
            {"question": "Où trouver la définition d'un statut ?", "answer": "<p>Dans le glossaire des statuts migratoires de l'espace.</p>"},
        ]}),
        ("video", {"title": f"Capsule : {title}", "url": "https://video.tcri.example/capsules/statuts", "duration": "12 min"}),
    ]
    if document is not None:
        blocks.append(("document", {"document": document, "description": "Aide-mémoire réservé aux membres"}))
    return blocks


# The English text of two trainings (their French is built above from TRAININGS and _body).
# The asylum training stays untranslated: the English browser test reads it with the notice.
TRAININGS_EN = {
    "statuts-vue-ensemble": {
        "title": "Migration statuses: an overview",
        "slug": "migration-statuses-overview",
        "summary": "A TCRI training: an overview of migration statuses. Practical cases, eligibility "
                   "markers and frequently asked questions.",
        "audience": "Reception workers",
    },
    "csq-residence-permanente": {
        "title": "From selection to citizenship: the CSQ and permanent residence",
        "slug": "csq-permanent-residence",
        "summary": "A TCRI training on the path from Québec selection to citizenship. Practical cases, "
                   "eligibility markers and frequently asked questions.",
        "audience": "All teams",
    },
}


def _body_en(title: str, statuses: list[MigrationStatus]) -> list:
    """The English of ``_body``, block for block (a translation pairs them by position)."""
    names = ", ".join(s.name_en or s.name_fr for s in statuses)
    return [
        ("heading", "Objectives"),
        ("paragraph", f"<p>Understand the statuses covered ({names}), the rights they give and the PASI services they open.</p>"),
        ("callout", {"kind": "warning", "title": "Check first", "text": "<p>The rules change often: always check the person's status document.</p>"}),
        ("case_study", {
            "title": "A recently arrived family",
            "situation": "<p>A mother and her two children come to reception with different documents.</p>",
            "analysis": "<p>Each member of the family may hold a different status: check each person's eligibility.</p>",
        }),
        ("faq", {"items": [
            {"question": "Which component funds this service?", "answer": "<p>It depends on the person's status and on the organisation's component.</p>"},
            {"question": "Where is a status defined?", "answer": "<p>In the workspace's glossary of migration statuses.</p>"},
        ]}),
        ("video", {"title": f"Short video: {title}", "url": "https://video.tcri.example/capsules/statuts", "duration": "12 min"}),
    ]


def _status_objects() -> dict[str, MigrationStatus]:
    volets = {v.number: v for v in Volet.objects.all()}
    by_slug = {}
    for slug, name_fr, name_en, abbr, volet_numbers, _related, desc_fr, desc_en in STATUSES:
        status, created = MigrationStatus.objects.get_or_create(
            slug=slug,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "abbreviation": abbr,
                "description_fr": desc_fr,
                "description_en": desc_en,
                "services_fr": (
                    "Services des volets " + ", ".join(str(n) for n in volet_numbers) if volet_numbers
                    else "Aucun service du PASI ; orienter vers les ressources communautaires."
                ),
                "services_en": (
                    "Services under components " + ", ".join(str(n) for n in volet_numbers) if volet_numbers
                    else "No PASI service; refer to community resources."
                ),
                "references": "Document de formation TCRI (version de démonstration).",
            },
        )
        if created:
            status.volets.set([volets[n] for n in volet_numbers])
        by_slug[slug] = status
    for slug, *_rest in STATUSES:
        related = _rest[4]
        if not by_slug[slug].related.exists():
            by_slug[slug].related.set([by_slug[r] for r in related])
    return by_slug


def _private_document():
    from wagtail.documents import get_document_model

    Document = get_document_model()
    collection = private_material_collection()
    document = Document.objects.filter(title="Aide-mémoire : recours (membres)").first()
    if document is None:
        document = Document(title="Aide-mémoire : recours (membres)", collection=collection)
        document.file.save(
            "aide-memoire-recours.txt",
            ContentFile("Aide-mémoire réservé aux membres : ERAR, CH, délais et recours.\n".encode()),
            save=False,
        )
        document.save()
    return document


def _pages(ctx: SeedContext, statuses: dict[str, MigrationStatus]) -> list[TrainingPage]:
    fr = Locale.objects.get(language_code="fr")
    en = Locale.objects.filter(language_code="en").first()
    home = HomePage.objects.filter(locale=fr).first()
    if home is None:
        raise RuntimeError("The home page must be seeded before trainings.")
    index = TrainingIndexPage.objects.filter(locale=fr).first()
    if index is None:
        index = home.add_child(instance=TrainingIndexPage(
            title="Formations", slug="formations", locale=fr,
            intro="<p>Le matériel des formations de la TCRI sur les statuts migratoires.</p>",
        ))
        index.save_revision().publish()
    glossary = GlossaryPage.objects.filter(locale=fr).first()
    if glossary is None:
        glossary = home.add_child(instance=GlossaryPage(
            title="Glossaire des statuts migratoires", slug="statuts-migratoires", locale=fr,
            intro="<p>Les statuts migratoires, les droits qu'ils donnent et les volets du PASI concernés.</p>",
        ))
        glossary.save_revision().publish()
    if en is not None and HomePage.objects.filter(locale=en).exists():
        if not has_translation(index, en):
            translate_page(index, en, {
                "title": "Trainings",
                "intro": "<p>TCRI training material on migration statuses.</p>",
            })
        if not has_translation(glossary, en):
            translate_page(glossary, en, {
                "title": "Glossary of migration statuses",
                "intro": "<p>Migration statuses, the rights they give and the PASI components concerned.</p>",
            })
    volets = {v.number: v for v in Volet.objects.all()}
    pages = []
    for title, slug, status_slugs, volet_numbers, tags, level, audience, private in [*TRAININGS, WORKSHOP]:
        page = TrainingPage.objects.filter(slug=slug, locale=fr).first()
        if page is None:
            chosen = [statuses[s] for s in status_slugs]
            document = _private_document() if private else None
            page = TrainingPage(
                title=title, slug=slug, locale=fr,
                summary=f"Formation de la TCRI : {title.lower()}. Cas pratiques, repères d'admissibilité et questions fréquentes.",
                audience=audience, level=level, duration_minutes=180 if level == Level.ADVANCED else 150,
                body=_body(title, chosen, document),
            )
            index.add_child(instance=page)
            page.migration_statuses.set(chosen)
            page.volets.set([volets[n] for n in volet_numbers])
            page.tags.set(tags)
            page.save_revision().publish()
            if private:
                PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        pages.append(page)
    translated = _translations(pages, statuses, en) if en is not None else 0
    ctx.say("Formations : glossaire (%d statuts), %d pages de formation, %d en anglais" % (
        len(statuses), len(pages), translated))
    return pages


def _translations(pages: list[TrainingPage], statuses: dict[str, MigrationStatus], en) -> int:
    """The English translations of two trainings, made through wagtail-localize."""
    by_slug = {page.slug: page for page in pages}
    for slug, values in TRAININGS_EN.items():
        page = by_slug.get(slug)
        if page is None or has_translation(page, en):
            continue
        chosen = [statuses[s] for s in next(t[2] for t in TRAININGS if t[1] == slug)]
        translate_page(page, en, {**values, "body": _body_en(values["title"], chosen)})
    return TrainingPage.objects.filter(locale=en).count()


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    tz = timezone.get_current_timezone()
    day = timezone.localdate() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def _new_session(training: TrainingPage, k: int, offset: int, capacity: int) -> TrainingSession:
    fmt = [SessionFormat.ONLINE, SessionFormat.IN_PERSON, SessionFormat.HYBRID][k % 3]
    start = _at(offset, 9 if k % 2 else 13, 30)
    past = offset < 0
    return TrainingSession(
        training=training,
        starts_at=start,
        ends_at=start + timedelta(minutes=training.duration_minutes),
        registration_deadline=start - timedelta(days=2),
        format=fmt,
        place="" if fmt == SessionFormat.ONLINE else PLACES[k % len(PLACES)],
        region="" if fmt == SessionFormat.ONLINE else PLACE_REGIONS[k % len(PLACES)],
        online_link="" if fmt == SessionFormat.IN_PERSON else f"https://visio.tcri.example/formation-{training.pk}-{k}",
        capacity=capacity,
        trainer=TRAINERS[k % len(TRAINERS)],
        status=SessionStatus.HELD if past else (SessionStatus.CANCELLED if k % 17 == 16 else SessionStatus.PLANNED),
        announced_at=timezone.now(),
    )


def seed(ctx: SeedContext) -> None:
    rng = ctx.rng
    with transaction.atomic():
        statuses = _status_objects()
        pages = _pages(ctx, statuses)
    trainings, workshop = pages[:-1], pages[-1]
    members = list(
        Membership.objects.filter(is_active=True, user__email__regex=r"^p\d+\.org\d+@")
        .values_list("user_id", "organisation_id")
    )
    demo = {
        email: (pk, org)
        for pk, org, email in Membership.objects.filter(is_active=True, user__email__in=[
            "membre@demo.tcri.example", "coordination@demo.tcri.example", "delegue@demo.tcri.example",
        ]).values_list("user_id", "organisation_id", "user__email")
    }
    per_training = 4 * ctx.scale
    progress = ctx.progress(len(trainings) * per_training + 1, "Séances de formation")
    for t_index, training in enumerate(trainings):
        existing = TrainingSession.objects.filter(training=training).count()
        if existing >= per_training:
            progress.advance(per_training)
            continue
        with transaction.atomic():
            sessions = []
            for k in range(existing, per_training):
                half = per_training // 2
                offset = -7 * (k + 1) - t_index if k < half else 5 + 7 * (k - half) + t_index
                capacity = 3 if (t_index == 2 and k == half) else 12 + (k % 4) * 4
                sessions.append(_new_session(training, k, offset, capacity))
            sessions = TrainingSession.objects.bulk_create(sessions)
            registrations = []
            for session in sessions:
                past = session.status == SessionStatus.HELD
                wanted = session.capacity + 2 if session.capacity == 3 else rng.randint(2, min(8, session.capacity))
                chosen = rng.sample(members, min(wanted, len(members)))
                base = session.starts_at - timedelta(days=20)
                for n, (user_id, org_id) in enumerate(chosen):
                    confirmed = n < session.capacity
                    registrations.append(Registration(
                        session=session, user_id=user_id, organisation_id=org_id,
                        registered_by_id=user_id,
                        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
                        queued_at=base + timedelta(minutes=n),
                        attended=(rng.random() < 0.8) if past and confirmed else None,
                        attendance_recorded_at=session.ends_at if past and confirmed else None,
                        reminder_sent_at=session.starts_at - timedelta(days=1) if past else None,
                    ))
                progress.advance()
            # The demo member followed the first past session of the first training and is
            # registered to its first upcoming one.
            if t_index == 0 and existing == 0 and "membre@demo.tcri.example" in demo:
                user_id, org_id = demo["membre@demo.tcri.example"]
                first_past = sessions[0]
                first_upcoming = sessions[per_training // 2]
                for session, past in ((first_past, True), (first_upcoming, False)):
                    if any(r.session_id == session.pk and r.user_id == user_id for r in registrations):
                        continue
                    registrations.append(Registration(
                        session=session, user_id=user_id, organisation_id=org_id, registered_by_id=user_id,
                        status=RegistrationStatus.CONFIRMED, queued_at=session.starts_at - timedelta(days=10),
                        attended=True if past else None,
                        attendance_recorded_at=session.ends_at if past else None,
                    ))
            Registration.objects.bulk_create(registrations, batch_size=1000, ignore_conflicts=True)
    if not TrainingSession.objects.filter(training=workshop).exists():
        TrainingSession.objects.create(
            training=workshop,
            starts_at=_at(12, 13, 30),
            ends_at=_at(12, 16, 0),
            registration_deadline=_at(10, 17, 0),
            format=SessionFormat.ONLINE,
            online_link="https://visio.tcri.example/atelier-asile-permis",
            capacity=1,
            trainer="Soraya Belkacem",
            status=SessionStatus.PLANNED,
            announced_at=timezone.now(),
            notes="Atelier en petit groupe : une seule place.",
        )
    progress.advance()
    evaluation_questions()
    answered = demo_evaluations(ctx, trainings[0])
    ctx.say(
        "Formations : %d séances, %d inscriptions, %d évaluations"
        % (TrainingSession.objects.count(), Registration.objects.count(), answered)
    )
