"""Small awards seasons of every precursor body, built through the importer and linked as
import_awards links them: the 97th's and the 96th's Best Actress (tests/test_precursors.py, the
browser's season tests)."""

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Ceremony
from tests.support.builders import ceremony_data, make_ceremony, precursor_link, record

ACTRESS = "Best Actress"
NOMINEES_97 = [
    ("Wicked", "Cynthia Erivo"),
    ("Emilia Pérez", "Karla Sofía Gascón"),
    ("Anora", "Mikey Madison"),
    ("The Substance", "Demi Moore"),
    ("I'm Still Here", "Fernanda Torres"),
]


def imported(categories: dict, **fields) -> Ceremony:
    spec = ceremony_spec(ceremony_data(categories, **fields), source="test")
    return services.ceremony_import(spec=spec).ceremony


def season_97(result: bool = True) -> Ceremony:
    """The 97th's Best Actress with all five bodies: the Globes with people (as their JSON
    files), the others by film only (as the IMDb files), linked as import_awards links them;
    Madison's win recorded."""
    imported(
        {
            "Best Actress in a Motion Picture – Drama": [
                ("I'm Still Here", "Fernanda Torres", True),
                ("Maria", "Angelina Jolie"),
            ],
            "Best Actress in a Motion Picture – Musical or Comedy": [
                ("The Substance", "Demi Moore", True),
                ("Wicked", "Cynthia Erivo"),
            ],
        },
        ceremony="82nd Golden Globe Awards",
        body="Golden Globe Awards",
        edition=82,
        date="2025-01-05",
        film_year="2024",
    )
    bodies = [
        ("Critics' Choice Awards", 30, "2025-02-07", "Best Actress", "The Substance"),
        ("BAFTA Film Awards", 78, "2025-02-16", "Best Leading Actress", "Anora"),
        ("Film Independent Spirit Awards", 40, "2025-02-22", "Best Lead Performance", "Anora"),
        ("Actor Awards", 31, "2025-02-23", "Female Actor in a Leading Role", "The Substance"),
    ]
    precursors = []
    for body, edition, date, name, winner in bodies:
        films = ["Anora", "The Substance", "Wicked"]
        ceremony = imported(
            {name: [(f, None, True) if f == winner else f for f in films]},
            ceremony=f"{edition}th {body}",
            body=body,
            edition=edition,
            date=date,
            film_year="2024",
        )
        precursors.append((ceremony, name))
    oscars = make_ceremony(
        {ACTRESS: NOMINEES_97},
        ceremony="97th Academy Awards",
        body="Academy Awards",
        edition=97,
        date="2025-03-02",
        film_year="2024",
    )
    for ceremony, name in precursors:
        precursor_link(oscars, ACTRESS, ceremony, name, "people")
    if result:
        record(oscars, ACTRESS, "Mikey Madison")
    return oscars


def season_96() -> Ceremony:
    """The 96th's Best Actress, finished: the Globe Drama winner Lily Gladstone lost to Emma
    Stone, who had the BAFTA and the Critics' Choice (by film, as the IMDb files give them)."""
    imported(
        {
            "Best Actress in a Motion Picture – Drama": [
                ("Killers of the Flower Moon", "Lily Gladstone", True)
            ]
        },
        ceremony="81st Golden Globe Awards",
        body="Golden Globe Awards",
        edition=81,
        date="2024-01-07",
        film_year="2023",
    )
    precursors = [
        imported(
            {
                name: [
                    (f, None, True) if f == "Poor Things" else f for f in ("Poor Things", "Maestro")
                ]
            },
            ceremony=f"{edition}th {body}",
            body=body,
            edition=edition,
            date=date,
            film_year="2023",
        )
        for body, edition, date, name in (
            ("Critics' Choice Awards", 29, "2024-01-14", "Best Actress"),
            ("BAFTA Film Awards", 77, "2024-02-18", "Best Leading Actress"),
        )
    ]
    oscars = imported(
        {
            ACTRESS: [
                ("Nyad", "Annette Bening"),
                ("Killers of the Flower Moon", "Lily Gladstone"),
                ("Anatomy of a Fall", "Sandra Hüller"),
                ("Maestro", "Carey Mulligan"),
                ("Poor Things", "Emma Stone", True),
            ]
        },
        ceremony="96th Academy Awards",
        body="Academy Awards",
        edition=96,
        date="2024-03-10",
        film_year="2023",
    )
    for ceremony in precursors:
        precursor_link(oscars, ACTRESS, ceremony, ceremony.categories.get().name, "people")
    return oscars


def live_globes_director() -> Ceremony:
    """The 82nd Golden Globes live, with one category to record: Best Director."""
    return make_ceremony(
        {"Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")]},
        ceremony="82nd Golden Globe Awards",
        body="Golden Globe Awards",
        edition=82,
        date="2025-01-05",
    )
