"""Confirmation of irreversible actions, with or without JavaScript.

A form whose action cannot be undone carries a native ``<dialog>``
(``includes/confirm_dialog.html``, opened by ``js/confirm.js``) that says what will happen;
confirming posts the form again with ``confirmed=1``. Without JavaScript the first POST
arrives without it, and the view answers with ``confirmation_page``: the same words and a
form that posts the same fields with ``confirmed=1``. Nothing is changed before that.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == "1"


def confirmation_page(
    request: HttpRequest, *, title: str, consequence: str, button: str, back_url: str, action_url: str | None = None
) -> HttpResponse:
    """The step a POST without ``confirmed=1`` gets: what will happen, confirm or go back.
    Every field posted (the edited text, the button's name) is posted again."""
    fields = [(name, value) for name, values in request.POST.lists() for value in values
              if name not in ("csrfmiddlewaretoken", "confirmed")]
    return render(
        request,
        "includes/confirm_page.html",
        {
            "title": title,
            "consequence": consequence,
            "button": button,
            "back_url": back_url,
            "action_url": action_url or request.get_full_path(),
            "fields": fields,
        },
    )
