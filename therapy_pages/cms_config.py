from cms.app_base import CMSAppConfig

from therapy_pages.cms_wizards import therapy_page_wizard


class TherapyPagesCMSConfig(CMSAppConfig):
    cms_enabled = True
    cms_wizards = [therapy_page_wizard]
