#!/usr/bin/env python
import os
import sys

# These only compare the models with the migrations: they serve nothing and sign nothing, so
# they run on a fresh checkout or in a hook without the secret and host names that serving
# requires (tracker/settings.py refuses to start without them unless DEBUG is on).
SERVE_NOTHING = {"makemigrations", "showmigrations", "sqlmigrate"}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    if len(sys.argv) > 1 and sys.argv[1] in SERVE_NOTHING:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
