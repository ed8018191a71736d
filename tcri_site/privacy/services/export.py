"""Everything the workspace holds about a person, gathered from every app's personal_data."""

from __future__ import annotations

from django.utils import timezone

from tcri_site.privacy.registry import contributors

FORMAT_VERSION = 1


def build_export(person) -> dict:
    """``{"format", "generated_at", "person_id", "sections": {key: data}}``; keys in docs/privacy.md."""
    sections = {}
    for module in contributors():
        sections[module.SECTION] = module.export(person)
    return {
        "format": f"tcri-pasi-personal-data/{FORMAT_VERSION}",
        "generated_at": timezone.now().isoformat(),
        "person_id": person.pk,
        "sections": sections,
    }
