"""Demo data for the forum: demands in every state, a past session with its minutes, an
upcoming one with its agenda, an open vote and an open consultation, and implementation
updates under the French home page. Idempotent: nothing is created twice."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Locale

from advocacy.models import (
    AgendaItem,
    AgendaKind,
    Amendment,
    Attendance,
    Ballot,
    BallotKind,
    Choice,
    Comment,
    Demand,
    DemandState,
    ForumSession,
    ForumSessionStatus,
    Minutes,
    MinutesStatus,
    Motion,
    MotionResult,
    MotionStatus,
    SecretChoice,
    SecretParticipation,
    Threshold,
    UpdateIndexPage,
    UpdatePage,
)
from advocacy.services.urn import reshuffle_the_urn
from advocacy.tally import decide, quorum_required
from tcri_site.members.models import Organisation, Role, StaffRole, User, Volet
from tcri_site.reference.models import MigrationStatus
from tcri_site.seeding import SeedContext

PAST_SESSION = "Séance d'automne du Forum TCRI-PASI"
NEXT_SESSION = "Séance d'hiver du Forum TCRI-PASI"
INDEX_SLUG = "suivi-de-l-implantation"

DEMANDS = [
    # (key, title, state, volets, text, rationale)
    ("draft", "Reconnaître le temps d'interprétation dans les redditions de comptes", DemandState.DRAFT, [1, 2],
     "Que le MIFI reconnaisse le temps consacré à l'interprétation comme une activité admissible du volet 1.\n\nQue ce temps soit comptabilisé dans les redditions de comptes.",
     "Les organismes paient l'interprétation sur leurs fonds propres."),
    ("consultation", "Financement pluriannuel des organismes PASI", DemandState.CONSULTATION, [1, 2, 5],
     "Que le MIFI accorde aux organismes PASI des ententes de financement de trois ans.\n\nQue l'indexation annuelle suive l'indice des prix à la consommation.",
     "Les ententes annuelles empêchent de retenir le personnel qualifié."),
    ("consultation2", "Accès aux services pour les personnes demandeuses d'asile déboutées", DemandState.CONSULTATION, [4],
     "Que les personnes dont la demande d'asile a été refusée demeurent admissibles aux services du volet 4 jusqu'à leur départ du Canada.",
     "Les ruptures de service laissent des familles sans accompagnement."),
    ("agenda", "Délais de traitement des références d'Accompagnement Québec", DemandState.AGENDA, [1],
     "Que les références d'Accompagnement Québec soient transmises aux organismes dans un délai de dix jours ouvrables.",
     "Des délais de plusieurs semaines retardent l'installation des personnes."),
    ("vote", "Hébergement temporaire des personnes réfugiées prises en charge par l'État", DemandState.VOTE, [3],
     "Que le MIFI finance des places d'hébergement temporaire dans chaque région d'accueil.\n\nQue la durée de séjour puisse atteindre soixante jours.",
     "Le manque de logements abordables prolonge les séjours à l'hôtel."),
    ("adopted", "Formation continue sur les statuts migratoires", DemandState.ADOPTED, [1, 2, 3, 4],
     "Que le MIFI finance une formation continue sur les statuts migratoires pour le personnel des organismes PASI.",
     "Les règles changent souvent ; les erreurs d'admissibilité pénalisent les personnes."),
    ("rejected", "Guichet unique régional pour toutes les références", DemandState.REJECTED, [1],
     "Que toutes les références soient centralisées dans un guichet unique régional géré par un seul organisme.",
     "Simplifier le parcours des personnes."),
    ("withdrawn", "Allègement des formulaires de statistiques mensuelles", DemandState.WITHDRAWN, [5],
     "Que les formulaires de statistiques mensuelles soient remplacés par un rapport trimestriel.",
     "Réduire la charge administrative."),
    ("transmitted", "Interprètes professionnels pour les rencontres d'accueil", DemandState.TRANSMITTED, [3, 4],
     "Que le MIFI rembourse le recours à des interprètes professionnels lors des rencontres d'accueil et d'installation.",
     "La qualité de l'accueil dépend d'une communication juste."),
    ("follow_up", "Soutien à la pleine participation en région", DemandState.FOLLOW_UP, [2],
     "Que l'enveloppe du volet 2 tienne compte des distances et des coûts de transport en région.",
     "Les activités de pleine participation coûtent plus cher hors des grands centres."),
]


def _lead() -> User | None:
    return User.objects.filter(groups__name=StaffRole.PROJECT_LEAD.value).order_by("pk").first()


def _delegate(org) -> User | None:
    membership = org.memberships.filter(role=Role.DELEGUE, is_active=True).select_related("user").first()
    return membership.user if membership else None


def seed(ctx: SeedContext) -> None:
    orgs = list(Organisation.objects.filter(is_active=True, pasi_participant=True).order_by("pk"))
    if not orgs:
        ctx.say("Forum : aucun organisme, rien à créer")
        return
    lead = _lead()
    extra = max(0, ctx.scale - 1) * 5
    progress = ctx.progress(len(DEMANDS) + extra + 4, "Forum TCRI-PASI")
    volets = {v.number: v for v in Volet.objects.all()}
    demands = {}
    with transaction.atomic():
        for i, (key, title, state, volet_numbers, text, rationale) in enumerate(DEMANDS):
            demands[key] = _demand(title, state, volet_numbers, text, rationale, orgs[i % min(len(orgs), 6)], orgs, volets, lead)
            progress.advance()
        for n in range(extra):
            title = f"Revendication de démonstration n° {n + 1}"
            demands[f"extra{n}"] = _demand(
                title, DemandState.CONSULTATION if n % 2 else DemandState.DRAFT, [1 + n % 5],
                "Que le MIFI examine la proposition de démonstration n° %d." % (n + 1), "", orgs[n % len(orgs)], orgs, volets, lead,
            )
            progress.advance()
        _consultation(demands["consultation"], orgs)
        progress.advance()
        past = _past_session(demands, orgs, lead)
        progress.advance()
        _next_session(demands, orgs, lead)
        _priorities([demands["adopted"], demands["transmitted"], demands["follow_up"]], orgs)
        _election(orgs)
        progress.advance()
    _updates(demands, volets, lead)
    _workflow()
    progress.advance()
    ctx.say(f"Forum : {Demand.objects.count()} revendications, séances « {past.title} » et « {NEXT_SESSION} »")


def _demand(title, state, volet_numbers, text, rationale, org, orgs, volets, lead) -> Demand:
    demand = Demand.objects.filter(title=title).first()
    if demand is not None:
        return demand
    delegate = _delegate(org)
    demand = Demand(
        title=title, text=text, rationale=rationale, proposing_organisation=org, author=delegate, state=state, live=True
    )
    if state == DemandState.CONSULTATION:
        demand.consultation_ends_at = timezone.now() + timedelta(days=14)
    if state in (DemandState.TRANSMITTED, DemandState.FOLLOW_UP):
        demand.transmitted_at = timezone.now() - timedelta(days=30)
    if state == DemandState.FOLLOW_UP:
        demand.mifi_response = "Le MIFI a pris acte de la revendication et prévoit une révision des paramètres régionaux."
        demand.progress_note = "Un comité de travail MIFI-TCRI se réunit chaque mois."
    demand.save()
    demand.volets.set([volets[n] for n in volet_numbers if n in volets])
    cosigners = [o for o in orgs[6:9] if o.pk != org.pk]
    demand.cosigners.set(cosigners)
    statuses = list(MigrationStatus.objects.filter(volets__number__in=volet_numbers).distinct().order_by("pk")[:3])
    demand.migration_statuses.set(statuses)
    demand.tags.add("PASI", "forum")
    demand.save()
    demand.save_revision(user=delegate).publish(user=delegate, log_action=False, skip_permission_checks=True)
    if state != DemandState.DRAFT:
        log(instance=demand, action="advocacy.demand.submit", user=delegate or lead, data={"to": DemandState.CONSULTATION})
    return demand


def _consultation(demand: Demand, orgs) -> None:
    if demand.comments.exists():
        return
    authors = [_delegate(o) for o in orgs[1:4]]
    first = Comment.objects.create(
        demand=demand, author=authors[0], organisation=orgs[1],
        body="Trois ans, c'est un minimum. Pourrait-on demander cinq ans ?",
    )
    Comment.objects.create(
        demand=demand, parent=first, author=authors[1], organisation=orgs[2],
        body="Cinq ans risque d'être refusé d'emblée ; trois ans est réaliste.",
    )
    Amendment.objects.create(
        demand=demand, organisation=orgs[3], author=authors[2], base_text=demand.text,
        proposed_text=demand.text.replace("de trois ans", "d'une durée minimale de trois ans"),
        rationale="Laisser la porte ouverte à des ententes plus longues.",
    )


def _past_session(demands, orgs, lead) -> ForumSession:
    session = ForumSession.objects.filter(title=PAST_SESSION).first()
    if session is not None:
        return session
    start = timezone.now() - timedelta(days=60)
    session = ForumSession.objects.create(
        title=PAST_SESSION, starts_at=start, ends_at=start + timedelta(hours=3), place="Montréal, salle Le Carrefour",
        link="https://visio.tcri.example/forum-automne", chair=lead, status=ForumSessionStatus.ENDED, convocation_sent_at=start - timedelta(days=14),
        description="Adoption des revendications de l'automne.",
    )
    present = orgs[: max(quorum_required(len(orgs)) + 4, 1)]
    for org in present:
        Attendance.objects.create(session=session, organisation=org, person=_delegate(org))
    plan = [
        ("adopted", Threshold.SIMPLE, BallotKind.ROLL_CALL, (0.75, 0.15)),
        ("rejected", Threshold.TWO_THIRDS, BallotKind.SECRET, (0.45, 0.40)),
        ("transmitted", Threshold.SIMPLE, BallotKind.ROLL_CALL, (0.8, 0.1)),
        ("follow_up", Threshold.SIMPLE, BallotKind.ROLL_CALL, (0.9, 0.05)),
    ]
    for order, (key, threshold, kind, (p_for, p_against)) in enumerate(plan, start=1):
        demand = demands[key]
        AgendaItem.objects.create(session=session, sort_order=order, kind=AgendaKind.DEMAND, title=demand.title, demand=demand)
        motion = Motion.objects.create(
            session=session, demand=demand, title=f"Proposition : {demand.title}", text=demand.text, threshold=threshold,
            ballot_kind=kind, sort_order=order, status=MotionStatus.CLOSED, opened_at=start + timedelta(minutes=20 * order),
            closed_at=start + timedelta(minutes=20 * order + 10),
        )
        n = len(present)
        counts = dict.fromkeys(Choice.values, 0)
        for i, org in enumerate(present):
            choice = Choice.FOR if i < n * p_for else Choice.AGAINST if i < n * (p_for + p_against) else Choice.ABSTAIN
            counts[choice] += 1
            if kind == BallotKind.SECRET:  # who voted, and the choice in the urn (shuffled below)
                SecretParticipation.objects.create(motion=motion, organisation=org, cast_by=_delegate(org), cast_by_role=Role.DELEGUE)
                SecretChoice.objects.create(motion=motion, choice=choice)
            else:
                Ballot.objects.create(motion=motion, organisation=org, cast_by=_delegate(org), cast_by_role=Role.DELEGUE, choice=choice)
        if kind == BallotKind.SECRET:
            reshuffle_the_urn(SecretChoice, field="choice", motion=motion)
        outcome = decide(pour=counts[Choice.FOR], contre=counts[Choice.AGAINST], abstention=counts[Choice.ABSTAIN],
                         threshold=threshold, present=n, total=len(orgs))
        Motion.objects.filter(pk=motion.pk).update(
            count_for=counts[Choice.FOR], count_against=counts[Choice.AGAINST], count_abstain=counts[Choice.ABSTAIN],
            eligible_count=len(orgs), present_count=n, quorum_required=quorum_required(len(orgs)), quorum_met=outcome.quorum_met,
            result=MotionResult.ADOPTED if outcome.adopted else MotionResult.REJECTED,
        )
    AgendaItem.objects.create(session=session, sort_order=10, kind=AgendaKind.OTHER, title="Veille : état de l'implantation du PASI")
    from advocacy.services import draft_minutes_text

    Minutes.objects.create(
        session=session, body=draft_minutes_text(session), status=MinutesStatus.PUBLISHED, edited_by=lead,
        published_at=start + timedelta(days=7),
    )
    return session


def _next_session(demands, orgs, lead) -> ForumSession:
    session = ForumSession.objects.filter(title=NEXT_SESSION).first()
    if session is not None:
        return session
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=13, minute=30, second=0, microsecond=0)
    session = ForumSession.objects.create(
        title=NEXT_SESSION, starts_at=start, ends_at=start + timedelta(hours=3), place="Québec, salle Le Phare",
        link="https://visio.tcri.example/forum-hiver", chair=lead, description="Séance hybride : en salle et en ligne.",
    )
    items = [
        (AgendaKind.OTHER, "Appel des organismes et quorum", None),
        (AgendaKind.DEMAND, demands["vote"].title, demands["vote"]),
        (AgendaKind.DEMAND, demands["agenda"].title, demands["agenda"]),
        (AgendaKind.UPDATE, "Suivi de l'implantation : point de la chargée de projet", None),
        (AgendaKind.OTHER, "Consultation en cours : financement pluriannuel", demands["consultation"]),
    ]
    for order, (kind, title, demand) in enumerate(items, start=1):
        AgendaItem.objects.create(session=session, sort_order=order, kind=kind, title=title, demand=demand)
    Motion.objects.create(
        session=session, demand=demands["vote"], title=f"Proposition : {demands['vote'].title}", text=demands["vote"].text,
        threshold=Threshold.SIMPLE, ballot_kind=BallotKind.ROLL_CALL, sort_order=1, status=MotionStatus.OPEN, opened_at=timezone.now(),
    )
    Motion.objects.create(
        session=session, demand=demands["agenda"], title=f"Proposition : {demands['agenda'].title}",
        threshold=Threshold.TWO_THIRDS, ballot_kind=BallotKind.SECRET, sort_order=2,
    )
    return session


def _priorities(demands, orgs) -> None:
    """A closed Borda ranking of the cahier's three demands by the first organisations."""
    from advocacy.models import Prioritisation, PrioritisationStatus, PriorityBallot
    from advocacy.services.priorities import compute_result

    title = "Priorités du cahier 2026-2027"
    if Prioritisation.objects.filter(title=title).exists():
        return
    item = Prioritisation.objects.create(
        title=title,
        description="Quelles revendications porter d'abord auprès du MIFI cette année ?",
        status=PrioritisationStatus.CLOSED,
        opened_at=timezone.now() - timedelta(days=20),
        closed_at=timezone.now() - timedelta(days=13),
    )
    item.demands.set(demands)
    ids = sorted(d.pk for d in demands)
    orders = [ids, [ids[1], ids[0], ids[2]], [ids[2], ids[1], ids[0]], [ids[1], ids[2], ids[0]]]
    PriorityBallot.objects.bulk_create(
        PriorityBallot(prioritisation=item, organisation=org, cast_by=_delegate(org), content={"ranking": orders[i % len(orders)]})
        for i, org in enumerate(orgs[:14])
    )
    item.result, item.ballots_counted = compute_result(item)
    item.save(update_fields=["result", "ballots_counted"])


def _election(orgs) -> None:
    """An open call for candidacies with two candidates, for the demo."""
    from advocacy.models import Candidacy, Election, ElectionStatus

    title = "Représentation à la table de concertation avec le MIFI"
    if Election.objects.filter(title=title).exists():
        return
    election = Election.objects.create(
        title=title,
        description="Deux personnes représentent le forum à la table de travail sur l'accueil en région.",
        seats=2,
        status=ElectionStatus.CANDIDACY,
        candidacies_close_at=timezone.now() + timedelta(days=10),
    )
    for org, statement in zip(orgs[1:3], ["Intervenante en région depuis huit ans.", "Coordonnateur d'un organisme d'accueil."], strict=False):
        person = _delegate(org)
        if person:
            Candidacy.objects.create(election=election, person=person, organisation=org, statement=statement, submitted_by=person)


def _updates(demands, volets, lead) -> None:
    from tcri_site.home.models import HomePage

    fr = Locale.objects.filter(language_code="fr").first()
    home = HomePage.objects.filter(locale=fr).first() if fr else None
    if home is None:
        return
    index = UpdateIndexPage.objects.filter(slug=INDEX_SLUG).first()
    if index is None:
        index = home.add_child(
            instance=UpdateIndexPage(
                title="Suivi de l'implantation", slug=INDEX_SLUG, locale=fr,
                intro="Les nouvelles de la mise en œuvre du PASI, publiées par la chargée de projet.",
            )
        )
        index.save_revision(user=lead).publish(user=lead, skip_permission_checks=True)
    entries = [
        ("Nouvelles balises pour les références du volet 1", "volet-1-references", [1], ["agenda"],
         "Le MIFI précise les délais de transmission des références d'Accompagnement Québec."),
        ("Comité de travail sur le financement régional", "comite-financement-regional", [2], ["follow_up"],
         "Premier compte rendu du comité MIFI-TCRI sur les coûts en région."),
        ("Rencontre avec le MIFI sur l'interprétation", "rencontre-interpretation", [3, 4], ["transmitted"],
         "La revendication sur les interprètes a été présentée au MIFI."),
    ]
    for days, (title, slug, volet_numbers, keys, summary) in enumerate(entries):
        if UpdatePage.objects.filter(slug=slug).exists():
            continue
        page = UpdatePage(
            title=title, slug=slug, locale=fr, summary=summary, date=timezone.localdate() - timedelta(days=7 * (days + 1)),
            body=[("paragraph", f"<p>{summary}</p>")], announced_at=timezone.now(),
        )
        index.add_child(instance=page)
        page.volets.set([volets[n] for n in volet_numbers if n in volets])
        page.demands.set([demands[k] for k in keys])
        page.save_revision(user=lead).publish(user=lead, skip_permission_checks=True)


def _workflow() -> None:
    """Demands edited in the admin go through the project lead's review (Wagtail workflow)."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

    from advocacy.models import AgendaApprovalTask

    group = Group.objects.filter(name=StaffRole.PROJECT_LEAD.value).first()
    if group is None:
        return
    workflow, _ = Workflow.objects.get_or_create(name="Validation des revendications")
    task = AgendaApprovalTask.objects.filter(name="Relecture et inscription à l'ordre du jour").first()
    if task is None:
        task = AgendaApprovalTask.objects.create(name="Relecture et inscription à l'ordre du jour")
        task.groups.set([group])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Demand), defaults={"workflow": workflow}
    )
