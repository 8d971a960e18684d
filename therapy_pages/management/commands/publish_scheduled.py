from django.core.management.base import BaseCommand, CommandError

from therapy_pages.scheduling import carry_out_due


class Command(BaseCommand):
    help = (
        "Publish and unpublish the pages scheduled for now or earlier, as the editors who "
        "scheduled them. Run every minute from cron; safe to run on several machines at once."
    )

    def handle(self, *args, **options):
        carried_out, failed = carry_out_due()
        if options["verbosity"] > 1 or carried_out:
            self.stdout.write(f"Scheduled publishing: {len(carried_out)} carried out.")
        if failed:
            raise CommandError(f"Scheduled publishing: {len(failed)} failed; see the log.")
