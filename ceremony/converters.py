"""The URL converter for slugs of names in any script ("東京物語-1953"), as the importers make
them; used by the page routes and the websocket route alike (importing this module registers
it as `<uslug:...>`)."""

from django.urls import register_converter


class UnicodeSlug:
    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlug, "uslug")
