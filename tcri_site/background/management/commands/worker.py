"""The background worker: keeps the schedule ticking, then drains the task queue."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tasks import task_backends


class Command(BaseCommand):
    help = (
        "Run a background worker: enqueue a schedule tick (periodic jobs due while no worker "
        "ran are done now), then run django-tasks-db's db_worker on every queue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1, help="Seconds between polls of an empty queue.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None, help="Unique per worker (default: random).")
        parser.add_argument("--reload", action="store_true", help="Restart on code changes (development).")

    def handle(self, *args, interval, batch, max_tasks, worker_id, reload, **options):
        from django_tasks_db import DatabaseBackend

        from tcri_site.background.tasks import start

        if not isinstance(task_backends["background"], DatabaseBackend):
            raise CommandError("TASKS['background'] is not the database backend: there is no queue to work on.")
        start()
        argv = ["--backend", "background", "--queue-name", "*", "--interval", str(interval),
                "--verbosity", str(options["verbosity"]), "--reload" if reload else "--no-reload"]
        if batch:
            argv.append("--batch")
        if max_tasks:
            argv += ["--max-tasks", str(max_tasks)]
        if worker_id:
            argv += ["--worker-id", worker_id]
        call_command("db_worker", *argv)
