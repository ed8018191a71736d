"""Indexing a bulk change in the worker: the ids travel, the documents are read there."""

from django_tasks import task


@task(backend="background", queue_name="default")
def index_objects_task(source: str, pks: list, deleted: bool = False, created: bool = False) -> int:
    from search.indexing import index_objects

    index_objects(source, pks, deleted=deleted, created=created)
    return len(pks)
