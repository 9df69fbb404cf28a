"""The IMDb awards files of ../shared/data, whole or cut to some years (written to a temporary
folder the way the files are laid out, header and event address included), and the Golden Globes
CSV cut to some ceremonies: a test imports a season without the whole history."""

import csv
from pathlib import Path

import yaml

from tests.support.archive import GLOBES_CSV, require
from tests.support.environment import SHARED_DATA

AWARDS = SHARED_DATA / "third_party" / "imdb-awards"


def awards_file(body: str) -> Path:
    return require(AWARDS / f"{body}.yml")


def awards_years(folder: Path, body: str, *years: str) -> Path:
    """The body's file with these years only, as the file writes them."""
    source = awards_file(body)
    text = source.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    header = text.splitlines()[0]
    out = [header]
    for year in years:
        event = next(
            line.split("# ", 1)[1] for line in text.splitlines() if line.startswith(f"'{year}':")
        )
        block = yaml.safe_dump({year: data[year]}, allow_unicode=True, sort_keys=True)
        first, rest = block.split("\n", 1)
        out += [f"{first} # {event}", rest.rstrip("\n")]
    path = folder / f"{body}.yml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def globes_ceremonies(folder: Path, *editions: int) -> Path:
    """golden_globe_awards.csv with these ceremonies' rows only."""
    with require(GLOBES_CSV).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if int(r["ceremony"]) in editions]
        fields = reader.fieldnames
    path = folder / "golden_globe_awards.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path
