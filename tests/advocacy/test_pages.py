"""Pages, exports, feeds and e-mails of the forum: they render, say what is wrong, stay bounded."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Page

from advocacy import services
from advocacy.models import (
    AgendaItem,
    Ballot,
    Comment,
    DemandState,
    ForumSession,
    Minutes,
    MinutesStatus,
    Motion,
    UpdateIndexPage,
    UpdatePage,
    UpdateSubscription,
)
from tcri_site.members.models import Volet
from tcri_site.spreadsheets import read_csv
from tests.advocacy.conftest import make_demand

pytestmark = pytest.mark.django_db


def _populate(org, n):
    for i in range(n):
        state = DemandState.values[i % len(DemandState.values)]
        demand = make_demand(org, state=state, title=f"Revendication {i}")
        demand.volets.set(Volet.objects.filter(number__in=[1, 2]))
        Comment.objects.create(demand=demand, body="Avis", organisation=org)


@pytest.mark.parametrize("path", ["/forum-pasi/", "/forum-pasi/revendications/", "/forum-pasi/cahier/"])
def test_lists_make_bounded_queries(client, organisation, delegate, path, django_assert_max_num_queries):
    client.force_login(delegate)
    _populate(organisation, 10)  # every state present, so every prefetch runs
    with django_assert_max_num_queries(25) as small:
        assert client.get(path).status_code == 200
    _populate(organisation, 30)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        assert client.get(path).status_code == 200


def test_demand_detail_bounded_and_escaped(client, organisation, delegate, django_assert_max_num_queries):
    demand = make_demand(organisation, text="Texte <script>alert(1)</script> initial.")
    client.force_login(delegate)
    with django_assert_max_num_queries(40) as small:
        body = client.get(demand.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    for i in range(15):
        services.do_comment(actor=delegate, demand=demand, body=f"Commentaire {i} <b>gras</b>")
        services.do_propose_amendment(actor=delegate, demand=demand, proposed_text=demand.text + f" Ajout {i}.", rationale="r")
    with django_assert_max_num_queries(len(small.captured_queries) + 3):
        body = client.get(demand.get_absolute_url()).content.decode()
    assert "&lt;b&gt;gras&lt;/b&gt;" in body and "<ins>" in body


def test_draft_is_private_public_states_are_public(client, organisation, other_organisation, delegate):
    draft = make_demand(organisation, state=DemandState.DRAFT)
    adopted = make_demand(organisation, state=DemandState.ADOPTED)
    consultation = make_demand(organisation, state=DemandState.CONSULTATION)
    assert client.get(adopted.get_absolute_url()).status_code == 200
    assert client.get(consultation.get_absolute_url()).status_code == 302  # anonymous → login
    from tcri_site.members.models import Role
    from tests.factories import make_member

    client.force_login(make_member(other_organisation, Role.DELEGUE))
    assert client.get(draft.get_absolute_url()).status_code == 403
    assert client.get(consultation.get_absolute_url()).status_code == 200
    client.force_login(delegate)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_create_demand_and_errors_keep_input(client, delegate, member):
    client.force_login(delegate)
    response = client.post("/forum-pasi/revendications/nouvelle/", {"title": "", "text": "Mon texte gardé"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mon texte gardé" in body and "form-errors" in body
    response = client.post("/forum-pasi/revendications/nouvelle/", {"title": "Nouvelle", "text": "Que X.", "tags": "logement, région"})
    assert response.status_code == 302
    demand = delegate.organisation.proposed_demands.get()
    assert demand.state == DemandState.DRAFT and sorted(t.name for t in demand.tags.all()) == ["logement", "région"]
    assert demand.revisions.count() == 1
    client.force_login(member)
    assert client.get("/forum-pasi/revendications/nouvelle/").status_code == 403


def test_comment_and_amendment_forms(client, demand, delegate):
    client.force_login(delegate)
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/commentaires/", {"body": ""})
    assert response.status_code == 400
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/commentaires/", {"body": "Premier"})
    assert response.status_code == 302
    parent = Comment.objects.get()
    client.post(f"/forum-pasi/revendications/{demand.pk}/commentaires/", {"body": "Réponse", "parent": parent.pk})
    assert Comment.objects.get(body="Réponse").parent == parent
    page = client.get(f"/forum-pasi/revendications/{demand.pk}/amender/")
    assert page.status_code == 200
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/amender/", {"proposed_text": demand.text, "rationale": "rien"})
    assert response.status_code == 400 and "identique" in response.content.decode()
    response = client.post(
        f"/forum-pasi/revendications/{demand.pk}/amender/", {"proposed_text": demand.text.replace("X", "Y"), "rationale": "Préciser"}
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "<del>" in detail and "<ins>" in detail


def test_proposer_accepts_amendment_creates_revision_and_history_diff(client, organisation, delegate, other_organisation):
    from tcri_site.members.models import Role
    from tests.factories import make_member

    demand = make_demand(organisation, text="Que le MIFI finance des ententes de trois ans.\n\nDeuxième paragraphe.")
    other = make_member(other_organisation, Role.DELEGUE)
    a1 = services.do_propose_amendment(actor=other, demand=demand, proposed_text=demand.text.replace("trois", "cinq"), rationale="r")
    a2 = services.do_propose_amendment(actor=other, demand=demand, proposed_text=demand.text.replace("Deuxième", "Second"), rationale="r")
    client.force_login(other)
    assert client.post(f"/forum-pasi/amendements/{a1.pk}/accepter/").status_code == 403
    client.force_login(delegate)
    assert client.post(f"/forum-pasi/amendements/{a1.pk}/accepter/").status_code == 302
    # The second amendment was written against the old text; it still merges by context.
    assert client.post(f"/forum-pasi/amendements/{a2.pk}/accepter/").status_code == 302
    demand.refresh_from_db()
    assert demand.text == "Que le MIFI finance des ententes de cinq ans.\n\nSecond paragraphe."
    revisions = list(demand.revisions.order_by("created_at", "pk"))
    assert len(revisions) == 3
    history = client.get(f"/forum-pasi/revendications/{demand.pk}/historique/")
    assert history.status_code == 200
    diff = client.get(f"/forum-pasi/revendications/{demand.pk}/historique/{revisions[0].pk}/{revisions[-1].pk}/").content.decode()
    assert "trois" in diff and "cinq" in diff and "<del>" in diff
    assert client.get(f"/forum-pasi/revendications/{demand.pk}/historique/{revisions[0].pk}/999999/").status_code == 404


def test_merge_conflict_is_refused():
    assert services.merged_text("a b c", "a b c", "a B c") == "a B c"
    with pytest.raises(services.InvalidState):
        services.merged_text("totally different", "a b c", "a B c")


def test_session_convocation_ics_and_roll_call(client, django_capture_on_commit_callbacks, forum_session, project_lead, organisation, delegate, substitute, member):
    AgendaItem.objects.create(session=forum_session, title="Appel et quorum", sort_order=1)
    client.force_login(member)
    assert client.get(forum_session.get_absolute_url()).status_code == 200
    assert client.post(f"/forum-pasi/seances/{forum_session.pk}/convoquer/").status_code == 403
    ics = client.get(f"/forum-pasi/seances/{forum_session.pk}/convocation.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    client.force_login(project_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/forum-pasi/seances/{forum_session.pk}/convoquer/")
    assert response.status_code == 302
    recipients = sorted(m.to[0] for m in mail.outbox if "Convocation" in m.subject)
    assert recipients == sorted([delegate.email, substitute.email])
    message = next(m for m in mail.outbox if m.to == [delegate.email] and "Convocation" in m.subject)
    assert message.attachments[0][0] == "convocation.ics" and "Appel et quorum" in message.body
    mark = f"/forum-pasi/seances/{forum_session.pk}/appel/marquer/"
    client.post(mark, {"organisation": organisation.pk, "choice": "on_site"})
    assert services.session_quorum(forum_session)["present"] == 1
    assert client.post(mark, {"organisation": organisation.pk, "choice": "peut-être"}).status_code == 400
    assert services.session_quorum(forum_session)["present"] == 1


def test_vote_and_projector_pages_and_chair_controls(client, open_motion, delegate, project_lead, member):
    client.force_login(member)
    page = client.get(f"/forum-pasi/votes/{open_motion.pk}/").content.decode()
    assert "motion-state" in page and "Voter" not in page.split("Résultats en direct")[0].split("Bulletin de votre organisme")[1]
    assert client.post(f"/forum-pasi/votes/{open_motion.pk}/fermer/").status_code == 403
    client.force_login(delegate)
    client.post(f"/forum-pasi/votes/{open_motion.pk}/", {"choice": "for"})
    client.force_login(project_lead)
    projector = client.get(f"/forum-pasi/votes/{open_motion.pk}/projection/").content.decode()
    assert 'data-count="for">1<' in projector
    assert client.post(f"/forum-pasi/votes/{open_motion.pk}/fermer/", {"confirmed": "1"}).status_code == 302
    assert client.post(f"/forum-pasi/votes/{open_motion.pk}/fermer/", {"confirmed": "1"}).status_code == 409
    open_motion.refresh_from_db()
    assert open_motion.status == "closed"


def test_minutes_draft_edit_publish_and_exports(client, open_motion, delegate, project_lead, member, settings):
    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    services.do_close_motion(actor=project_lead, motion=open_motion)
    session = open_motion.session
    client.force_login(member)
    assert client.get(f"/forum-pasi/seances/{session.pk}/proces-verbal/").status_code == 403
    client.force_login(project_lead)
    edit = client.get(f"/forum-pasi/seances/{session.pk}/proces-verbal/modifier/")
    assert edit.status_code == 200
    minutes = Minutes.objects.get(session=session)
    assert "Proposition test" in minutes.body and delegate.organisation.name in minutes.body
    assert client.post(f"/forum-pasi/seances/{session.pk}/proces-verbal/modifier/", {"body": ""}).status_code == 400
    response = client.post(
        f"/forum-pasi/seances/{session.pk}/proces-verbal/modifier/", {"body": minutes.body + "\nAjout de la présidence.", "publish": "1", "confirmed": "1"}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.PUBLISHED and "Ajout de la présidence" in minutes.body
    client.force_login(member)
    page = client.get(f"/forum-pasi/seances/{session.pk}/proces-verbal/").content.decode()
    assert "Ajout de la présidence" in page and open_motion.__class__.objects.get().get_result_display() in page
    csv_response = client.get(f"/forum-pasi/seances/{session.pk}/resultats.csv")
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    rows = read_csv(csv_response.content)
    assert rows[0][0] == "Proposition" and rows[1][0] == "Proposition test" and rows[1][4] == "1"
    assert any(r[11] == delegate.organisation.name and r[12] == "Pour" for r in rows[1:])
    pdf = client.get(f"/forum-pasi/seances/{session.pk}/proces-verbal.pdf")
    assert pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Procès-verbal" in text and "Ajout de la présidence" in text

    # A long record (over EXPORTS_ASYNC_ROWS rows) is prepared by the worker instead, for
    # the reader who asked, with the same rows.
    from tcri_site.exports.models import PreparedDownload
    from tcri_site.exports.services import build

    settings.EXPORTS_ASYNC_ROWS = 1
    for path, kind in (("resultats.csv", "advocacy.results"), ("proces-verbal.pdf", "advocacy.minutes_pdf")):
        response = client.get(f"/forum-pasi/seances/{session.pk}/{path}")
        download = PreparedDownload.objects.get(kind=kind)
        assert response.status_code == 302 and response["Location"] == download.get_absolute_url()
        assert build(download.pk) == "ready"
        prepared = b"".join(client.get(f"/telechargements/{download.pk}/fichier/").streaming_content)
        if kind == "advocacy.results":
            assert read_csv(prepared) == rows
        else:
            assert "Ajout de la présidence" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(prepared)).pages)


def _update_index():
    from tcri_site.home.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Accueil", slug="accueil-test"))
    index = home.add_child(instance=UpdateIndexPage(title="Suivi de l'implantation", slug="suivi-de-l-implantation"))
    return index


def test_updates_list_feeds_and_announcement(client, django_capture_on_commit_callbacks, organisation, member, project_lead):
    index = _update_index()
    demand = make_demand(organisation, state=DemandState.ADOPTED)
    UpdateSubscription.objects.create(user=member)
    page = UpdatePage(title="Rencontre avec le MIFI", slug="rencontre", summary="Résumé de la rencontre")
    index.add_child(instance=page)
    page.volets.set(Volet.objects.filter(number=3))
    page.demands.set([demand])
    page.save_revision().publish(skip_permission_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.do_announce_update(page=page, actor=project_lead)
    from tcri_site.notifications.models import Notification

    assert Notification.objects.filter(recipient=member, kind="update").exists()
    assert any("Rencontre avec le MIFI" in m.subject for m in mail.outbox)
    listing = client.get("/forum-pasi/suivi/").content.decode()
    assert "Rencontre avec le MIFI" in listing
    rss = client.get("/forum-pasi/suivi/rss/")
    assert rss.status_code == 200 and b"Rencontre avec le MIFI" in rss.content and b"<rss" in rss.content
    atom = client.get("/forum-pasi/suivi/atom/")
    assert b"http://www.w3.org/2005/Atom" in atom.content
    detail = client.get(demand.get_absolute_url()).content.decode()
    assert "Rencontre avec le MIFI" in detail  # the demand's timeline shows its updates
    cahier = client.get("/forum-pasi/cahier/").content.decode()
    assert demand.title in cahier and "Rencontre avec le MIFI" in cahier
    client.force_login(member)
    client.post("/forum-pasi/suivi/abonnement/", {"subscribe": "0"})
    assert not UpdateSubscription.objects.filter(user=member).exists()


def test_sections(rf, organisation, delegate, project_lead):
    from advocacy.sections import home_sections, organisation_sections

    start = timezone.now() + timedelta(days=3)
    ForumSession.objects.create(title="Prochaine", starts_at=start, ends_at=start + timedelta(hours=1))
    demand = make_demand(organisation, state=DemandState.AGENDA)
    request = rf.get("/")
    request.user = delegate
    titles = [s.title for s in home_sections(request)]
    assert "Prochaine séance du forum" in titles
    assert home_sections(request)[1].context["session"].title == "Prochaine"
    sections = organisation_sections(request, organisation)
    assert sections and sections[0].context["demands"] == [demand]
    motion = Motion.objects.create(session=ForumSession.objects.get(), demand=demand, title="P", ballot_kind="roll_call")
    services.do_open_motion(actor=project_lead, motion=motion)
    services.do_cast_ballot(actor=delegate, motion=motion, choice="for")
    services.do_close_motion(actor=project_lead, motion=motion)
    assert organisation_sections(request, organisation)[0].context["ballots"] == [Ballot.objects.get()]


def test_proposer_edits_draft_as_new_revision_and_lock_is_respected(client, organisation, delegate, project_lead):
    demand = make_demand(organisation, state=DemandState.DRAFT, text="Premier jet.")
    client.force_login(delegate)
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/modifier/", {"title": demand.title, "text": "", "rationale": ""})
    assert response.status_code == 400
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/modifier/", {"title": demand.title, "text": "Second jet.", "rationale": ""})
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.text == "Second jet." and demand.revisions.count() == 2
    # Locked in the admin by the lead: the proposer's edit is refused, nothing lost silently.
    demand.locked, demand.locked_by, demand.locked_at = True, project_lead, timezone.now()
    demand.save(update_fields=["locked", "locked_by", "locked_at"])
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/modifier/", {"title": demand.title, "text": "Troisième.", "rationale": ""})
    assert response.status_code == 400 and "verrouillée" in response.content.decode() and "Troisième." in response.content.decode()
    services.do_transition(actor=delegate, demand=demand, action="submit")
    assert client.get(f"/forum-pasi/revendications/{demand.pk}/modifier/").status_code == 403


def test_comments_close_with_the_consultation_window(organisation, member):
    demand = make_demand(organisation, state=DemandState.CONSULTATION, consultation_ends_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(services.NotAllowed):
        services.do_comment(actor=member, demand=demand, body="Trop tard")


def test_english_pages(client, organisation, delegate, open_motion):
    make_demand(organisation, state=DemandState.ADOPTED, title="Adoptée test")
    client.force_login(delegate)
    cahier = client.get("/en/forum-pasi/cahier/").content.decode()
    assert "Book of demands" in cahier and "Adopted" in cahier
    vote = client.get(f"/en/forum-pasi/votes/{open_motion.pk}/").content.decode()
    assert "Your organisation&#x27;s ballot" in vote or "Your organisation's ballot" in vote
    response = client.post(f"/en/forum-pasi/votes/{open_motion.pk}/", {"choice": "???"})
    assert response.status_code == 400 and "Unknown choice" in response.content.decode()


def test_translated_updates_in_english_lists_and_no_second_announcement(
    client, django_capture_on_commit_callbacks, organisation, member
):
    """Under /en/, the updates are listed from the French index, in English where translated
    (each once), in French otherwise; publishing a translation announces nothing."""
    from django.utils import translation
    from wagtail.models import Locale

    from tcri_site.notifications.models import Notification
    from tcri_site.translations import translate_page

    en, _ = Locale.objects.get_or_create(language_code="en")
    index = _update_index()
    index.save_revision().publish(skip_permission_checks=True)
    UpdateSubscription.objects.create(user=member)
    pages = []
    for title, slug in [("Rencontre avec le MIFI", "rencontre"), ("Comité régional", "comite")]:
        page = UpdatePage(title=title, slug=slug, summary="Résumé en français", announced_at=timezone.now())
        index.add_child(instance=page)
        page.save_revision().publish(skip_permission_checks=True)
        pages.append(page)
    home = index.get_parent().specific
    if not home.has_translation(en):
        translate_page(home, en, {"title": "Home"})
    index_en = translate_page(index, en, {"title": "Implementation updates"})
    with django_capture_on_commit_callbacks(execute=True):
        translate_page(pages[0], en, {"title": "Meeting with MIFI", "summary": "Summary in English"})
    assert not Notification.objects.filter(recipient=member, kind="update").exists()
    client.force_login(member)
    with translation.override("en"):
        index_url, untranslated_url = index_en.url, pages[1].url
    assert index_url.startswith("/en/") and untranslated_url.startswith("/en/")
    for path in ["/en/forum-pasi/suivi/", index_url]:
        html = client.get(path).content.decode()
        assert "Meeting with MIFI" in html, path
        assert "Rencontre avec le MIFI" not in html, path
        assert "Comité régional" in html, path  # not translated: shown in French
    french = client.get("/forum-pasi/suivi/").content.decode()
    assert "Rencontre avec le MIFI" in french and "Meeting with MIFI" not in french
    untranslated = client.get(untranslated_url)
    assert "Comité régional" in untranslated.content.decode()
    assert "This page is not yet available in English; here is the French version." in untranslated.content.decode()
