"""What the media library accepts: images and PDF documents, and only when the file is what
its name says.

django-filer decides a file's type from its name, so FILER_MIME_TYPE_WHITELIST (in settings)
refuses scripts, feeds, SVG and HTML by name; these validators then open the file itself, so
a script renamed `photo.png` is refused too.
"""

from filer.validation import FileValidationError
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
PDF_SIGNATURE = b"%PDF-"


def _refuse(file_name, what):
    raise FileValidationError(f'File "{file_name}" is not a real {what}, so it was not uploaded.')


def validate_image(file_name, file, owner, mime_type):
    try:
        with Image.open(file) as image:
            actual_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        _refuse(file_name, IMAGE_FORMATS[mime_type] + " image")
    finally:
        file.seek(0)
    if actual_format != IMAGE_FORMATS[mime_type]:
        _refuse(file_name, IMAGE_FORMATS[mime_type] + " image")


def validate_pdf(file_name, file, owner, mime_type):
    signature = file.read(len(PDF_SIGNATURE))
    file.seek(0)
    if signature != PDF_SIGNATURE:
        _refuse(file_name, "PDF document")
