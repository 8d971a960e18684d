from cms.app_base import CMSAppConfig, CMSAppExtension

from therapy_pages.cms_wizards import therapy_page_wizard


class TherapyPagesCMSConfig(CMSAppConfig):
    cms_enabled = True
    cms_wizards = [therapy_page_wizard]


class TherapyPagesCMSExtension(CMSAppExtension):
    """Runs once every django CMS app is configured, djangocms-versioning's admins included."""

    def configure_app(self, cms_config):
        """No other app asks this one for anything."""

    def ready(self):
        from therapy_pages.version_actions import explain_version_actions

        explain_version_actions()
