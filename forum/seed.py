"""Demo exchange spaces with realistic threads in French. Every person and case is invented.

Idempotent: spaces are found by slug, the written threads are added once, and the bulk
history (``ctx.scale`` > 1, for the search benchmark: about 1,010 messages per scale step)
only tops up to its target.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum.markdown import render_markdown
from forum.models import Message, Space, Thread, ThreadEvent, Visibility
from tcri_site.members.models import Membership, Organisation, Role, User, Volet
from tcri_site.seeding import SeedContext

BULK_PER_SCALE = 1010
BATCH = 2000

SPACES = [
    # slug, name, description, visibility, volet
    ("general", "Espace général", "Échanges ouverts à toutes les équipes des organismes membres.", Visibility.ALL_MEMBERS, None),
    ("volet-1", "Volet 1 — Accompagnement Québec", "Pratiques d'accompagnement personnalisé et liens avec Accompagnement Québec.", Visibility.PASI, 1),
    ("volet-2", "Volet 2 — Pleine participation", "Activités collectives, bénévolat, rapprochement interculturel.", Visibility.PASI, 2),
    ("volet-3", "Volet 3 — Réfugié·es pris en charge par l'État", "Accueil et installation des personnes réfugiées réinstallées (RPCE).", Visibility.PASI, 3),
    ("volet-4", "Volet 4 — Demandeur·euses d'asile", "Soutien aux personnes ayant demandé l'asile : hébergement, santé, audiences.", Visibility.PASI, 4),
    ("volet-5", "Volet 5 — Innovation", "Projets pilotes et outils partagés entre organismes.", Visibility.PASI, 5),
    ("coordination", "Coordination", "Espace réservé aux coordonnateur·rices et aux délégué·es.", Visibility.COORDINATORS, None),
    ("cellule-asile-metropole", "Cellule asile — Montréal et Laval", "Espace privé des organismes désignés de la région métropolitaine.", Visibility.LISTED, None),
]

THREADS = {
    "general": [
        ("Bienvenue dans les espaces d'échange", ["accueil"], [
            "Bonjour à toutes et à tous ! Cet espace sert à partager vos questions de terrain entre pairs. N'hésitez pas à **présenter votre équipe**.",
            "Merci pour l'ouverture de l'espace. Chez nous, trois intervenantes travaillent surtout en francisation et en accompagnement à l'emploi.",
            "Bonne idée ! Peut-on ajouter des mots-clés aux fils pour retrouver les sujets plus tard ?",
            "Oui, les mots-clés sont proposés à la création du fil (par exemple : *logement*, *santé*, *francisation*).",
        ]),
        ("Ressources de traduction et d'interprétariat", ["interprétariat", "ressources"], [
            "Quels services d'interprétariat utilisez-vous pour les rencontres en dari et en tigrinya ?",
            "Nous faisons appel à une banque d'interprètes communautaires. Les délais sont d'environ 48 heures.",
            "Pour les urgences, l'interprétariat téléphonique dépanne, mais la confidentialité doit être expliquée à la personne avant l'appel.",
        ]),
        ("Calendrier des formations d'hiver", ["formations"], [
            "Est-ce que quelqu'un sait si la formation sur les statuts migratoires sera offerte en virtuel ?",
            "Elle sera offerte en mode hybride, d'après la dernière infolettre de la TCRI.",
        ]),
    ],
    "volet-1": [
        ("Référencements depuis Accompagnement Québec", ["référencement", "AQ"], [
            "Depuis quelques semaines, nous recevons des référencements sans numéro de dossier. Est-ce le cas chez vous aussi ?",
            "Oui, même situation. Nous demandons le numéro lors du premier contact avec la personne.",
            "La chargée de projet a relayé la question au ministère ; une précision devrait suivre.",
        ]),
        ("Plan d'action individuel : vos gabarits", ["outils"], [
            "Nous revoyons notre gabarit de plan d'action. Qui accepterait de partager le sien ?",
            "Voici nos rubriques : 1. besoins exprimés 2. démarches prioritaires 3. échéancier 4. suivi à 3 mois.",
            "Très utile, merci ! Nous ajoutons une section sur le consentement à l'échange d'information.",
        ]),
    ],
    "volet-2": [
        ("Activités de jumelage interculturel", ["jumelage", "bénévolat"], [
            "Nos jumelages avec des familles québécoises reprennent en janvier. Comment recrutez-vous les bénévoles ?",
            "Par les paroisses, les cégeps et une annonce dans le journal local : c'est ce qui fonctionne le mieux en région.",
            "Pensez à la vérification des antécédents pour les jumelages avec des enfants.",
        ]),
    ],
    "volet-3": [
        ("Arrivées groupées de janvier", ["RPCE", "logement"], [
            "Nous attendons plusieurs familles réinstallées en janvier. Avez-vous des pistes de logements temporaires pour les grandes familles ?",
            "Les hôtels partenaires sont pleins ; nous négocions avec un OBNL d'habitation. Je vous tiens au courant.",
            "Prévoyez des vêtements d'hiver dès l'aéroport : nos bénévoles préparent des trousses par taille.",
            "Merci, nous ajoutons les trousses à notre protocole d'accueil.",
        ]),
        ("Inscription à l'assurance maladie", ["santé", "RAMQ"], [
            "Quel délai observez-vous pour la carte d'assurance maladie des personnes réfugiées prises en charge par l'État ?",
            "Environ trois semaines chez nous. Le Programme fédéral de santé intérimaire couvre la période d'attente.",
        ]),
    ],
    "volet-4": [
        ("Préparation aux audiences de la CISR", ["asile", "CISR"], [
            "Nous organisons des ateliers de préparation aux audiences. Quels sujets abordez-vous ?",
            "Le déroulement de l'audience, le rôle de l'interprète, et surtout l'importance de la cohérence des documents.",
            "Nous invitons parfois une avocate bénévole pour répondre aux questions générales, sans conseil juridique individuel.",
        ]),
        ("Hébergement des demandeurs d'asile", ["hébergement", "asile"], [
            "Le PRAIDA nous réfère beaucoup de personnes seules. Les places d'hébergement temporaire manquent. Comment faites-vous ?",
            "Nous tenons une liste de chambres chez l'habitant, vérifiées par notre équipe.",
            "Attention aux baux verbaux : nous accompagnons systématiquement la signature d'un bail écrit.",
        ]),
        ("Permis de travail pour demandeurs d'asile", ["emploi", "permis"], [
            "Les délais de délivrance des permis de travail semblent s'allonger. Des nouvelles ?",
            "Selon nos dossiers récents, compter plusieurs semaines après l'examen médical.",
        ]),
    ],
    "volet-5": [
        ("Projet pilote : prise de rendez-vous en ligne", ["innovation", "numérique"], [
            "Nous testons un outil de prise de rendez-vous en ligne multilingue. Des organismes intéressés à le tester ?",
            "Oui ! Est-il accessible aux lecteurs d'écran ?",
            "C'est un critère de notre projet : nous publierons le rapport d'accessibilité en mars.",
        ]),
    ],
    "coordination": [
        ("Reddition de comptes trimestrielle", ["reddition de comptes"], [
            "Rappel : le rapport trimestriel est attendu à la fin du mois. Des difficultés avec le nouveau gabarit ?",
            "Les indicateurs du volet 2 ne correspondent pas à nos activités collectives. Qui a trouvé une solution ?",
            "Nous ajoutons une note explicative ; la chargée de projet PASI l'a acceptée l'an dernier.",
        ]),
        ("Recrutement et rétention du personnel", ["ressources humaines"], [
            "Le roulement de personnel nous épuise. Quelles mesures de rétention fonctionnent chez vous ?",
            "L'horaire de quatre jours a beaucoup aidé, à salaire égal.",
        ]),
    ],
    "cellule-asile-metropole": [
        ("Coordination des dons de meubles", ["logistique"], [
            "Nous avons trop de dons de meubles ce mois-ci. Quelqu'un en a besoin pour des familles qui s'installent ?",
            "Oui, pour trois familles à Laval la semaine prochaine. Je vous écris en privé pour la logistique.",
        ]),
    ],
}

BULK_OPENERS = [
    "Question pratique sur {topic} : comment procédez-vous avec les personnes de {status} ?",
    "Retour d'expérience : {topic} pour une famille de {status}, ce qui a bien fonctionné.",
    "Nous avons besoin d'avis sur {topic}. Une situation de {status} nous pose problème.",
]
BULK_REPLIES = [
    "Chez nous, nous commençons toujours par vérifier les documents de statut avant d'orienter vers {topic}.",
    "Même constat dans notre région. Le délai pour {topic} s'est allongé depuis l'automne.",
    "Merci pour le partage ! Nous allons adapter notre procédure sur {topic}.",
    "Attention : pour les personnes de {status}, l'admissibilité varie selon le volet.",
    "Nous avons une fiche-synthèse sur {topic}, je peux la transmettre aux organismes intéressés.",
    "Bonne question. Je suggère d'en parler à la prochaine séance du forum TCRI-PASI.",
]
TOPICS = [
    "l'inscription à la francisation", "la recherche de logement", "l'accès aux soins",
    "l'inscription scolaire", "l'aide juridique", "la reconnaissance des diplômes",
    "l'aide sociale", "le transport en région", "les services de garde", "l'ouverture d'un compte bancaire",
]
STATUSES = [
    "demandeur·euse d'asile", "réfugié·e pris en charge par l'État", "résident·e permanent·e",
    "travailleur·euse étranger·ère temporaire", "personne protégée", "étudiant·e étranger·ère",
]


def _authors_for(space: Space, demo_people: list[Membership]) -> list[User]:
    people = []
    listed = set(space.organisations.values_list("pk", flat=True))
    for m in demo_people:
        org = m.organisation
        if space.visibility == Visibility.PASI and not org.pasi_participant:
            continue
        if space.visibility == Visibility.COORDINATORS and not (m.is_coordinator or m.role == Role.DELEGUE):
            continue
        if space.visibility == Visibility.LISTED and org.pk not in listed:
            continue
        people.append(m.user)
    return people or [m.user for m in demo_people[:5]]


def _store(thread: Thread, author, body: str, when, reply_to=None, html_cache=None) -> Message:
    html = html_cache.get(body) if html_cache is not None else None
    if html is None:
        html = render_markdown(body)
        if html_cache is not None:
            html_cache[body] = html
    message = Message.objects.create(
        thread=thread, author=author, body=body, body_html=html, reply_to=reply_to, created_at=when
    )
    Thread.objects.filter(pk=thread.pk).update(
        last_seq=F("last_seq") + 1,
        last_message_id=message.pk,
        last_message_at=when,
        message_count=F("message_count") + 1,
    )
    thread.refresh_from_db(fields=["last_seq"])
    ThreadEvent.objects.create(thread=thread, seq=thread.last_seq, kind="message.created", message=message, created_at=when)
    return message


def seed(ctx: SeedContext) -> None:
    rng = ctx.rng
    demo_people = list(
        Membership.objects.filter(is_active=True, user__email__endswith="@demo.tcri.example")
        .select_related("user", "organisation")
        .order_by("organisation_id", "pk")
    )
    if not demo_people:
        ctx.say("forum: no demo people; run the members seeder first.")
        return
    first_orgs = list(Organisation.objects.order_by("pk")[:4])
    moderator = User.objects.filter(email="coordination@demo.tcri.example").first()
    now = timezone.now()
    spaces = {}
    progress = ctx.progress(len(SPACES), "Espaces d'échange")
    with transaction.atomic():
        for position, (slug, name, description, visibility, volet) in enumerate(SPACES):
            space, created = Space.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "description": description,
                    "visibility": visibility,
                    "volet": Volet.objects.filter(number=volet).first() if volet else None,
                    "position": position * 10,
                },
            )
            if created and visibility == Visibility.LISTED:
                space.organisations.set(first_orgs)
            if created and moderator and slug in ("general", "volet-1"):
                space.moderators.add(moderator)
            spaces[slug] = space
            if created or not space.threads.exists():
                authors = _authors_for(space, demo_people)
                for t_index, (title, tags, bodies) in enumerate(THREADS.get(slug, [])):
                    start = now - timedelta(days=20 - t_index * 3, hours=rng.randint(0, 8))
                    thread = Thread.objects.create(
                        space=space, title=title, author=authors[t_index % len(authors)], created_at=start
                    )
                    thread.tags.set(tags)
                    previous = None
                    for m_index, body in enumerate(bodies):
                        author = authors[(t_index * 3 + m_index * 2) % len(authors)]
                        when = start + timedelta(hours=m_index * 5 + rng.randint(0, 4))
                        previous = _store(
                            thread, author, body, when,
                            reply_to=previous if m_index == 2 else None,
                        )
            progress.advance()
    _seed_bulk(ctx, spaces, demo_people)


def _seed_bulk(ctx: SeedContext, spaces: dict[str, Space], demo_people) -> None:
    """History for benchmarks: threads and messages in batches, with their events."""
    target = BULK_PER_SCALE * (ctx.scale - 1)
    if target <= 0:
        return
    existing = Message.objects.filter(thread__space__in=spaces.values(), thread__title__contains=" · ").count()
    need = target - existing
    if need <= 0:
        return
    rng = ctx.rng
    progress = ctx.progress(need, "Historique des échanges")
    space_list = list(spaces.values())
    authors = {s.pk: _authors_for(s, demo_people) for s in space_list}
    html_cache: dict[str, str] = {}
    now = timezone.now()
    made = 0
    thread_no = Thread.objects.filter(title__contains=" · ").count()
    while made < need:
        with transaction.atomic():
            batch_threads = []
            for _ in range(max(1, min(BATCH, need - made) // 40)):
                thread_no += 1
                space = space_list[thread_no % len(space_list)]
                topic = TOPICS[thread_no % len(TOPICS)]
                title = f"{topic[0].upper()}{topic[1:]} · {STATUSES[thread_no % len(STATUSES)]} ({thread_no})"
                batch_threads.append(
                    Thread(space=space, title=title, author=authors[space.pk][0],
                           created_at=now - timedelta(days=400 - (thread_no % 380)))
                )
            Thread.objects.bulk_create(batch_threads)
            if not batch_threads[0].pk:  # backends without RETURNING
                batch_threads = list(Thread.objects.filter(title__in=[t.title for t in batch_threads]))
            messages = []
            per_thread = {}
            for i in range(min(BATCH, need - made)):
                thread = batch_threads[i % len(batch_threads)]
                n = per_thread.get(thread.pk, 0)
                per_thread[thread.pk] = n + 1
                topic = TOPICS[(thread.pk + n) % len(TOPICS)]
                status = STATUSES[(thread.pk * 7 + n) % len(STATUSES)]
                template = BULK_OPENERS[thread.pk % 3] if n == 0 else BULK_REPLIES[rng.randrange(len(BULK_REPLIES))]
                body = template.format(topic=topic, status=status)
                if body not in html_cache:
                    html_cache[body] = render_markdown(body)
                people = authors[thread.space_id]
                messages.append(
                    Message(
                        thread=thread, author=people[(thread.pk + n * 3) % len(people)], body=body,
                        body_html=html_cache[body], created_at=thread.created_at + timedelta(minutes=37 * n),
                    )
                )
            Message.objects.bulk_create(messages)
            if messages and not messages[0].pk:
                messages = list(Message.objects.filter(thread__in=batch_threads).order_by("pk"))
            events = []
            for thread in batch_threads:
                thread_messages = [m for m in messages if m.thread_id == thread.pk]
                for seq, message in enumerate(thread_messages, start=1):
                    events.append(ThreadEvent(thread=thread, seq=seq, kind="message.created",
                                              message=message, created_at=message.created_at))
                if thread_messages:
                    thread.last_seq = len(thread_messages)
                    thread.last_message_id = thread_messages[-1].pk
                    thread.last_message_at = thread_messages[-1].created_at
                    thread.message_count = len(thread_messages)
            ThreadEvent.objects.bulk_create(events)
            Thread.objects.bulk_update(
                batch_threads, ["last_seq", "last_message_id", "last_message_at", "message_count"]
            )
        made += len(messages)
        progress.advance(len(messages))
