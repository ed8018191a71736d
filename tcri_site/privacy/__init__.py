"""Personal information (Québec's private-sector privacy law, Law 25): the privacy policy and
its acceptance, each person's export of what the workspace holds about them, and erasure by
anonymisation. Apps declare their part in ``<app>/personal_data.py`` (see ``registry``)."""
