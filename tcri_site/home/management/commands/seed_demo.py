"""Create the demo workspace: organisations, people in every role, pages, and each app's content."""

from django.core.management.base import BaseCommand, CommandError

from tcri_site.seeding import DEMO_PASSWORD, SeedContext, seeders


class Command(BaseCommand):
    help = "Create the demo data (idempotent). --scale N multiplies content for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply generated content by N (1 to 1000) for benchmarks.",
        )

    def handle(self, *args, scale: int, **options):
        if scale < 1 or scale > 1000:
            raise CommandError("--scale must be a whole number from 1 to 1000.")
        ctx = SeedContext(stdout=self.stdout, scale=scale)
        for module in seeders():
            module.seed(ctx)
        self.stdout.write(self.style.SUCCESS("\nDemo data ready. Demo accounts (password: %s):" % DEMO_PASSWORD))
        for role, email in ctx.accounts:
            self.stdout.write(f"  {role:<34} {email}")
