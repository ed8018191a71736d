"""The build task: it carries only the download's id, the row carries what to build."""

from django_tasks import task


@task(backend="background", queue_name="default")
def build_download(download_id: int) -> str:
    from tcri_site.exports.services import build

    return build(download_id)
