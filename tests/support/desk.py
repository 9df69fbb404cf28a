"""An editor's browser on the live desk through nginx (tests/support/nginx.py): logs in on the
admin form and posts the desk's forms, the write path of the night, for the tests and drills of
the production shape."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from ceremony.models import Category, Ceremony
from tests.support.nginx import Nginx

PASSWORD = "correct horse battery staple"


def make_desk_editor(username: str = "night-editor"):
    """A staff user allowed on the live desk, with PASSWORD."""
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    # The permission, not the Editors group: a transactional test's flush removes the group.
    user.user_permissions.add(Permission.objects.get(codename="use_live_desk"))
    return user


class Editor:
    """An editor's browser: logs in on the admin form and posts the live desk's forms."""

    def __init__(self, nginx: Nginx):
        self.nginx = nginx
        self.cookies = http.cookiejar.CookieJar()
        self.opener = nginx.opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.token = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        url = self.nginx.base + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # As a browser sends them: Django checks both against the site for HTTPS posts.
        headers = {"Referer": url, "Origin": self.nginx.base} if data is not None else {}
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode(errors="replace")

    def read_token(self, html: str) -> None:
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def log_in(self, username: str) -> None:
        status, _, html = self.request("/admin/login/")
        assert status == 200, html[:500]
        self.read_token(html)
        status, headers, html = self.request(
            "/admin/login/",
            {
                "username": username,
                "password": PASSWORD,
                "next": "/admin/",
                "csrfmiddlewaretoken": self.token,
            },
        )
        assert status == 302, html[:2000]
        assert headers["Location"] == "/admin/"

    def open_desk(self, ceremony: Ceremony) -> None:
        status, _, html = self.request(f"/admin/ceremony/ceremony/{ceremony.pk}/desk/")
        assert status == 200, html[:2000]
        self.read_token(html)

    def record(self, ceremony: Ceremony, category: Category) -> int:
        """Record the category's first nominee as its winner; the version the write made."""
        before = Ceremony.objects.get(pk=ceremony.pk).version
        status, headers, html = self.request(
            f"/admin/ceremony/ceremony/{ceremony.pk}/desk/record/",
            {
                "category": category.pk,
                "nomination": category.nominations.order_by("order", "pk").first().pk,
                "expected_revision": Category.objects.get(pk=category.pk).revision,
                "csrfmiddlewaretoken": self.token,
            },
        )
        assert status == 302, html[:2000]
        assert "/desk/" in headers["Location"]
        version = Ceremony.objects.get(pk=ceremony.pk).version
        assert version == before + 1, "the desk's write did not land"
        return version
