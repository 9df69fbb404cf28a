"""Parsers: a file in, checked `CeremonySpec`s out (`spec.py`): the ceremony JSON format
(`json_file`), oscars.csv (`oscars_csv`), golden_globe_awards.csv (`globes_csv`). They neither
read nor write the database; the one import writer is `ceremony.services.imports`.
"""
