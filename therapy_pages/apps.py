from django.apps import AppConfig


class TherapyPagesConfig(AppConfig):
    name = "therapy_pages"
    verbose_name = "Therapy pages"

    def ready(self):
        from cms.models import PageContent
        from djangocms_versioning.signals import post_version_operation

        from therapy_pages import crisis_support, publish_checks, search, sign_off
        from therapy_pages.rich_text import restrict_rich_text

        restrict_rich_text()
        crisis_support.guard_versioning()
        sign_off.guard_versioning()
        publish_checks.guard_versioning()

        post_version_operation.connect(
            search.update_index_on_version_change, sender=PageContent, dispatch_uid="therapy_pages.search"
        )
