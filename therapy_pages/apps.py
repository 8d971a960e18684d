from django.apps import AppConfig


class TherapyPagesConfig(AppConfig):
    name = "therapy_pages"
    verbose_name = "Therapy pages"

    def ready(self):
        from therapy_pages.rich_text import restrict_rich_text

        restrict_rich_text()
