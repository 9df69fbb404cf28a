"""The admin: the live desk editors use on the night (`desk`), the append-only audit log
(`audit`), and plain model admin for preparing ceremonies (`models`). Importing the package
registers them all.
"""

from django.contrib import admin

from ceremony.admin import audit, desk, models  # noqa: F401 (registers the admins)

# The admin index names the desk; its template lives with the desk's.
admin.site.index_template = "admin/ceremony/index.html"
