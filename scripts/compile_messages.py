"""Compile the portal's own translation catalogues (locale/*/LC_MESSAGES/django.po) to .mo
with Babel, so nothing but the pinned Python packages is needed (no GNU gettext)."""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogue(po_path):
    with po_path.open("rb") as po_file:
        catalogue = read_po(po_file)
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalogue)
    return mo_path


def main():
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        print(f"compiled {compile_catalogue(po_path).relative_to(LOCALE.parent)}")


if __name__ == "__main__":
    sys.exit(main())
