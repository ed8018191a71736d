"""Moved to ``tcri_site.sections`` (members uses it too, and members sits below home).

Kept only so the apps' ``sections.py`` and their tests import as before until they are
updated; new code imports ``tcri_site.sections``.
"""

from tcri_site.sections import Section, home_sections, organisation_sections

__all__ = ["Section", "home_sections", "organisation_sections"]
