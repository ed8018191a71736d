"""Exchange-space pages. They work with plain forms; forum/static/forum/forum.js makes them live."""

from __future__ import annotations

import math

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import services
from forum.errors import ForumRefusal
from forum.forms import EditForm, MessageForm, RedactForm, ReportForm, ThreadForm, attach_error
from forum.mentions import link_page_mentions, reader_handles
from forum.models import Attachment, Message, MessageRevision, Space, Thread
from forum.reading import arrange
from forum.rules import visible_spaces
from tcri_site.members.decorators import permission_required
from tcri_site.privacy_guard.detect import find_identifiers
from tcri_site.privacy_guard.guard import KIND_LABELS, IdentifiersFound
from tcri_site.private_files import private_file_response

THREADS_PER_PAGE = 25
MESSAGES_PER_PAGE = 50


def _space(request, slug):
    return get_object_or_404(Space, slug=slug)


def _thread(request, pk):
    return get_object_or_404(Thread.objects.select_related("space"), pk=pk)


def _message(request, pk):
    return get_object_or_404(Message.objects.select_related("thread__space", "author"), pk=pk)


def _files(request) -> list:
    return request.FILES.getlist("attachment")


def _ask_confirmation(request, form, warning) -> None:
    """The warning and the "Publier quand même" box; a browser never refills a file input."""
    form.ask_confirmation(warning)
    if _files(request):
        form.add_error("attachment", _("Choisissez à nouveau la pièce jointe avant de publier."))


@permission_required("forum.view_index")
def index(request):
    spaces = list(visible_spaces(request.user).select_related("volet").order_by("position", "name"))
    unread = services.unread_threads_by_space(request.user, [s.pk for s in spaces])
    counts = dict(
        Thread.objects.filter(space__in=spaces)
        .values("space_id")
        .annotate(n=Count("pk"))
        .values_list("space_id", "n")
        .order_by()
    )
    for space in spaces:
        space.unread_threads = unread.get(space.pk, 0)
        space.thread_count = counts.get(space.pk, 0)
    return render(request, "forum/index.html", {"spaces": spaces})


@permission_required("forum.read_space", fn=_space)
def space_detail(request, slug):
    space = request.permission_object
    form = ThreadForm()
    if request.method == "POST":
        form = ThreadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = services.do_create_thread(
                    actor=request.user,
                    space=space,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    client_id=data["client_id"],
                    files=_files(request),
                    confirmed=form.confirmed,
                )
            except IdentifiersFound as warning:
                _ask_confirmation(request, form, warning)
            except ForumRefusal as error:
                attach_error(form, error)
            else:
                flash.success(request, _("Le fil est créé."))
                return redirect(thread)
    threads = services.annotate_unread(
        Thread.objects.filter(space=space).select_related("author").prefetch_related("tags"),
        request.user,
    ).order_by("-is_pinned", "-last_message_at", "-pk")
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forum/space.html",
        {"space": space, "page_obj": page, "form": form, "follow_mode": services.mode_of(request.user, space), "forum_strings": js_strings()},
        status=400 if form.errors else 200,
    )


def js_strings() -> dict:
    """Words the live script needs, translated on the server."""
    return {
        "deleted": _("Message supprimé."),
        "hidden": _("Message masqué par la modération."),
        "edited": _("modifié"),
        "reply": _("Répondre"),
        "report": _("Signaler"),
        "replyTo": _("En réponse au message"),
        "typing": _("%(name)s écrit…"),
        "readers": _("En train de lire : %(names)s"),
        "offline": _("Hors ligne : vos messages partiront au retour de la connexion."),
        "reconnecting": _("Connexion perdue, reconnexion…"),
        "live": _("En direct"),
        "sending": _("Envoi…"),
        "locked": _("Ce fil est verrouillé : on ne peut plus y répondre."),
        "unlocked": _("Ce fil a été déverrouillé : rechargez la page pour y répondre."),
        "newMessages": _("Nouveaux messages : la page les affiche sans rechargement."),
        "resync": _("Trop de messages manqués : rechargez la page pour les voir."),
        "draftRestored": _("Brouillon restauré."),
        "empty": _("Le message est vide. Écrivez quelque chose."),
        "confirmPost": _("Publier quand même"),
        "chooseFile": _("Choisir un fichier"),
        "noFile": _("Aucun fichier choisi"),
    }


def _message_page(thread, message_id: int) -> int:
    position = Message.objects.filter(thread=thread, pk__lte=message_id).count()
    return max(1, math.ceil(position / MESSAGES_PER_PAGE))


@permission_required("forum.read_thread", fn=_thread)
def thread_detail(request, pk):
    thread = request.permission_object
    user = request.user
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.do_post_message(
                    actor=user,
                    thread_id=thread.pk,
                    body=data["body"],
                    reply_to_id=data.get("reply_to"),
                    client_id=data["client_id"],
                    files=_files(request),
                    confirmed=form.confirmed,
                )
            except IdentifiersFound as warning:
                _ask_confirmation(request, form, warning)
            except ForumRefusal as error:
                attach_error(form, error)
            else:
                page = _message_page(thread, result.message.pk)
                return redirect(f"{reverse('forum:thread', args=[thread.pk])}?page={page}#m{result.message.pk}")
    is_moderator = user.has_perm("forum.moderate", thread)
    qs = (
        Message.objects.filter(thread=thread)
        .select_related("author", "reply_to__author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("pk")
    )
    paginator = Paginator(qs, MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    items = list(page.object_list)
    reactions = services.reactions_by_message([m.pk for m in items], user)
    link_page_mentions(items, user)
    for message in items:
        message.reaction_summary = reactions.get(message.pk, [])
        message.thread = thread
        message.can_edit = user.has_perm("forum.edit_message", message)
        message.can_delete = user.has_perm("forum.remove_message", message)
        message.can_report = user.has_perm("forum.report_message", message)
        message.show_body = not message.is_deleted and (not message.is_hidden or is_moderator)
    last_read = services.last_read_of(user, thread)
    arrange(items, user=user, last_read=last_read)
    if items:
        services.do_mark_read(actor=user, thread=thread, message_id=items[-1].pk)
    reply_to = None
    if request.GET.get("reply", "").isdigit():
        reply_to = Message.objects.filter(thread=thread, pk=int(request.GET["reply"])).select_related("author").first()
        if reply_to and not form.is_bound:
            form.initial["reply_to"] = reply_to.pk
    thread.refresh_from_db(fields=["last_seq"])
    return render(
        request,
        "forum/thread.html",
        {
            "thread": thread,
            "space": thread.space,
            "page_obj": page,
            "items": items,
            "form": form,
            "may_post": user.has_perm("forum.post_message", thread),
            "is_moderator": is_moderator,
            "last_read": last_read,
            "reply_to": reply_to,
            "is_last_page": page.number == paginator.num_pages,
            "forum_strings": js_strings(),
            "reaction_choices": services.reaction_choices(),
            "follow_mode": services.mode_of(user, thread),
            "reader_handles": " ".join(sorted(reader_handles(user))),
            "reaction_template_message": {"pk": 0, "reaction_summary": []},
        },
        status=400 if form.errors else 200,
    )


@permission_required("forum.read_thread", fn=_message)
def message_detail(request, pk):
    message = request.permission_object
    page = _message_page(message.thread, message.pk)
    return redirect(f"{reverse('forum:thread', args=[message.thread_id])}?page={page}#m{message.pk}")


@permission_required("forum.edit_message", fn=_message)
def message_edit(request, pk):
    message = request.permission_object
    form = EditForm(initial={"body": message.body})
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                services.do_edit_message(
                    actor=request.user, message_id=message.pk, body=form.cleaned_data["body"],
                    confirmed=form.confirmed,
                )
            except IdentifiersFound as warning:
                form.ask_confirmation(warning)
            except ForumRefusal as error:
                attach_error(form, error)
            else:
                flash.success(request, _("Le message est modifié."))
                return redirect("forum:message", pk=message.pk)
    return render(
        request, "forum/message_edit.html", {"message": message, "thread": message.thread, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required("forum.read_thread", fn=_message)
def message_history(request, pk):
    message = request.permission_object
    if not (message.author_id == request.user.pk or request.user.has_perm("forum.moderate", message.thread)):
        raise Http404
    revisions = MessageRevision.objects.filter(message=message).select_related("edited_by")
    return render(
        request, "forum/message_history.html",
        {"message": message, "thread": message.thread, "revisions": revisions},
    )


@permission_required("forum.read_thread", fn=_message)
def message_redact(request, pk):
    """Moderators: replace the identifiers found (or a passage) by « [retiré] »."""
    message = request.permission_object
    if not request.user.has_perm("forum.moderate", message.thread):
        raise Http404
    form = RedactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_redact_message(actor=request.user, message_id=message.pk, passage=form.cleaned_data["passage"])
        except ForumRefusal as error:
            form.add_error("passage", error.message)
        else:
            flash.success(request, _("Les renseignements sont retirés du message et de son historique."))
            return redirect("forum:message", pk=message.pk)
    found = [str(KIND_LABELS[f.kind]) for f in find_identifiers(message.body)]
    return render(
        request, "forum/message_redact.html",
        {"message": message, "thread": message.thread, "form": form, "found": found},
        status=400 if form.errors else 200,
    )


@permission_required("forum.remove_message", fn=_message)
def message_delete(request, pk):
    message = request.permission_object
    if request.method == "POST":
        services.do_delete_message(actor=request.user, message_id=message.pk)
        flash.success(request, _("Le message est supprimé."))
        return redirect("forum:message", pk=message.pk)
    return render(request, "forum/message_delete.html", {"message": message, "thread": message.thread})


@permission_required("forum.report_message", fn=_message)
def message_report(request, pk):
    message = request.permission_object
    form = ReportForm()
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.do_report_message(actor=request.user, message_id=message.pk, reason=form.cleaned_data["reason"])
            except ForumRefusal as error:
                attach_error(form, error)
            else:
                flash.success(request, _("Merci. Le message est signalé à la modération."))
                return redirect("forum:message", pk=message.pk)
    return render(
        request, "forum/message_report.html", {"message": message, "thread": message.thread, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("forum.moderate", fn=_message)
def message_moderate(request, pk):
    message = request.permission_object
    hidden = request.POST.get("action") == "hide"
    services.do_set_hidden(actor=request.user, message_id=message.pk, hidden=hidden)
    flash.success(request, _("Le message est masqué.") if hidden else _("Le message est rétabli."))
    return redirect("forum:message", pk=message.pk)


@require_POST
@permission_required("forum.moderate", fn=_thread)
def thread_moderate(request, pk):
    thread = request.permission_object
    action = request.POST.get("action")
    flags = {
        "lock": {"locked": True},
        "unlock": {"locked": False},
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
    }.get(action)
    if flags is None:
        flash.error(request, _("Action inconnue."))
    else:
        services.do_set_thread_flags(actor=request.user, thread_id=thread.pk, **flags)
        flash.success(request, _("Le fil est mis à jour."))
    return redirect(thread)


def _attachment(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("message__thread__space"), pk=pk)
    request.attachment = attachment
    return attachment.message


def _check_attachment_visible(request, message) -> None:
    if message.is_deleted or (message.is_hidden and not request.user.has_perm("forum.moderate", message.thread)):
        raise Http404


def _protected(response):
    """A private file never runs as a page of the site, whatever it contains."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@permission_required("forum.read_thread", fn=_attachment)
def attachment_download(request, pk):
    """The file; an image opens in the browser (its type was checked at upload), the rest downloads."""
    attachment = request.attachment
    _check_attachment_visible(request, attachment.message)
    inline = attachment.is_image
    response = private_file_response(
        attachment.file, filename=attachment.name, as_attachment=not inline,
        content_type=attachment.content_type if inline else None,
    )
    return _protected(response)


@permission_required("forum.read_thread", fn=_attachment)
def attachment_preview(request, pk):
    """The thumbnail of an attached image, behind the same checks as the image itself."""
    attachment = request.attachment
    _check_attachment_visible(request, attachment.message)
    if not attachment.has_preview:
        raise Http404
    content_type = "image/png" if attachment.preview.name.endswith(".png") else "image/jpeg"
    response = private_file_response(
        attachment.preview, filename=attachment.name, as_attachment=False, content_type=content_type
    )
    return _protected(response)


@permission_required("forum.read_thread", fn=_message)
def message_attachments(request, pk):
    """The attachments of one message as the thread page shows them: forum.js fetches this
    fragment for a message that arrives live, in the reader's language."""
    message = request.permission_object
    _check_attachment_visible(request, message)
    return render(request, "forum/_attachments.html", {"message": message})
