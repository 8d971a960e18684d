from django.apps import AppConfig


class TherapyPagesConfig(AppConfig):
    name = "therapy_pages"
    verbose_name = "Therapy pages"
