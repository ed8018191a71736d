"""The forum's refusals: ``AdvocacyRefusal`` (a ``tcri_site.errors.Refusal``) and its kinds.

Each kind is also the foundation's (``NotAllowed`` is a ``tcri_site.errors.NotAllowed``...),
so views and consumers catch ``Refusal`` and answer with its ``status`` and ``code``.
"""

from __future__ import annotations

from tcri_site import errors
from tcri_site.errors import Refusal


class AdvocacyRefusal(Refusal):
    """A refused action at the forum; ``message`` is translated and shown as is."""


class NotAllowed(AdvocacyRefusal, errors.NotAllowed):
    """The person may not do this (``advocacy.rules`` said no)."""


class InvalidState(AdvocacyRefusal, errors.InvalidState):
    """Not possible at the demand's, motion's or minutes' current stage."""


class InvalidInput(AdvocacyRefusal, errors.InvalidInput):
    """What was sent does not make sense (empty text, unknown choice...)."""
