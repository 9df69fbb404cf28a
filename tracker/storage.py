"""Static files as production serves them: WhiteNoise's compressed, content-hashed copies."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    # The page scripts are ES modules that import "./dom.js": its hashed name is written into
    # their import statements too, so a changed dom.js changes their names (and caches) as well,
    # instead of being fetched by its plain name, which nginx lets browsers keep for 5 minutes.
    support_js_module_import_aggregation = True
