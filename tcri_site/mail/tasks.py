"""The delivery task: it carries only the outbox row's id, the row carries the message."""

from django_tasks import task


@task(backend="background", queue_name="default")
def deliver_email(email_id: int) -> str:
    from tcri_site.mail.services import deliver

    return deliver(email_id)


@task(backend="background", queue_name="default")
def write_batch(batch_id: int) -> str:
    from tcri_site.mail.services import write_batch as write

    return write(batch_id)
