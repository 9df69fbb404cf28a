"""The admin: the live desk editors use on the night (`desk`), the append-only audit log
(`audit`), plain model admin for preparing ceremonies (`models`), and the disagreements
between sources with the performers the files cannot tell (`sources`). Importing the package
registers them all.
"""

from django.contrib import admin

from ceremony.admin import audit, desk, models, sources  # noqa: F401 (registers the admins)

# The admin index names the desk; its template lives with the desk's.
admin.site.index_template = "admin/ceremony/index.html"
