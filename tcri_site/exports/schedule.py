"""Expired prepared downloads leave the private storage."""

from datetime import timedelta

from tcri_site.background.registry import periodic


@periodic("exports.purge_expired", every=timedelta(hours=1))
def purge() -> int:
    from tcri_site.exports.services import purge_expired

    return purge_expired()
