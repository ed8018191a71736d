"""Attendance: the trainer's list (for corrections), the code and QR code the trainer shows
during a session, and the page where an attendee marks their own presence with it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tcri_site.members.decorators import permission_required
from trainings import services
from trainings.forms import CheckinForm
from trainings.models import RegistrationStatus, SessionStatus, TrainingSession


def _session_obj(request, pk):
    return get_object_or_404(TrainingSession.objects.select_related("training"), pk=pk)


@permission_required("trainings.record_attendance", fn=_session_obj)
def attendance(request, pk):
    session = request.permission_object
    registrations = list(
        session.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name")
    )
    if request.method == "POST":
        valid = {r.pk for r in registrations}
        try:
            present = {int(pk) for pk in request.POST.getlist("present")}
        except ValueError:
            present = set()
        if not present <= valid:
            messages.error(request, _("La liste des présences ne correspond pas aux inscriptions. Réessayez."))
        else:
            try:
                count = services.do_record_attendance(actor=request.user, session=session, present_ids=present)
            except services.TrainingRefusal as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("Présences enregistrées : %(count)s sur %(total)s.") % {"count": count, "total": len(registrations)},
                )
                return redirect("trainings:attendance", pk=session.pk)
    return render(
        request,
        "trainings/attendance.html",
        {"session": session, "registrations": registrations, "status_held": SessionStatus.HELD},
    )


@permission_required("trainings.show_checkin_code", fn=_session_obj)
def checkin_code(request, pk):
    """What the trainer projects during the session: the code and the QR code of its URL."""
    session = request.permission_object
    code = services.do_ensure_checkin_code(actor=request.user, session=session)
    url = request.build_absolute_uri(reverse("trainings:checkin") + "?" + urlencode({"code": code}))
    opens, closes = services.checkin_window(session)
    checked_in = session.registrations.filter(
        status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False
    ).count()
    return render(
        request,
        "trainings/checkin_code.html",
        {
            "session": session,
            "code": code,
            "checkin_url": url,
            "qr_svg": mark_safe(services.qr_svg(url, title=_("Code QR de la page de présence"))),  # segno escapes the URL it encodes
            "opens": opens,
            "closes": closes,
            "is_open": services.checkin_open(session),
            "checked_in": checked_in,
            "confirmed": session.registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
        },
    )


@permission_required("trainings.check_in")
def checkin(request):
    """An attendee marks their own presence with the code shown during the session. The QR
    code leads here with the code filled in; the button still has to be pressed (a GET
    changes nothing)."""
    if request.method == "POST":
        form = CheckinForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                registration, already = services.do_check_in(actor=request.user, code=form.cleaned_data["code"])
            except services.TrainingRefusal as error:
                form.add_error("code", str(error.message))
                status = error.status
            else:
                if already:
                    messages.info(request, _("Votre présence était déjà notée. Bonne formation !"))
                else:
                    messages.success(request, _("Votre présence est notée. Bonne formation !"))
                return redirect(registration.session.get_absolute_url())
        return render(request, "trainings/checkin.html", {"form": form}, status=status)
    form = CheckinForm(initial={"code": services.normalise_code(request.GET.get("code", ""))[:12]})
    return render(request, "trainings/checkin.html", {"form": form})
