"""Fiction-versus-reality model checks: the mapping of characters to what inspired them
must not contradict itself.

- an `invented` relation names no target (a target would make it inspired by something);
- `composite_of` and `inspired_by` name their target (without one they say nothing);
- an entry is not both `composite_of` something and `invented`;
- a character's `appears_in` agrees with the `cast` of each episode that lists one.
"""

from __future__ import annotations

from somos_site.diagnostics import Diagnostic, error
from somos_site.model import Entry
from somos_site.resolve import Site
from somos_site.schema import Character, Episode


def check_fiction(site: Site) -> list[Diagnostic]:
    originals = [e for (_, lang), e in sorted(site.entries.items()) if lang == site.default_lang]
    diagnostics: list[Diagnostic] = []
    for entry in originals:
        if isinstance(entry.fields, Character):
            diagnostics += relation_contradictions(site, entry)
    diagnostics += cast_mismatches(originals)
    return diagnostics


def relation_contradictions(site: Site, entry: Entry) -> list[Diagnostic]:
    found = []
    relations = entry.fields.relations
    for index, relation in enumerate(relations):
        where = f"relations[{index}]"
        if relation.relation == "invented" and relation.target is not None:
            target = site.get(relation.target.target)
            real = f" the real {target.type.singular}" if target is not None and target.realm == "reality" else ""
            found.append(
                contradiction(
                    f"an 'invented' relation names{real} '{relation.target.target}' as its target",
                    entry,
                    f"{where}.target",
                    "use 'inspired_by' (or 'composite_of') for a real target, or drop the target",
                )
            )
        elif relation.relation != "invented" and relation.target is None:
            found.append(
                contradiction(
                    f"a '{relation.relation}' relation without a target",
                    entry,
                    where,
                    "add 'target:' with the real entry, or make it 'invented'",
                )
            )
    kinds = {r.relation for r in relations}
    if {"composite_of", "invented"} <= kinds:
        index = next(i for i, r in enumerate(relations) if r.relation == "invented")
        found.append(
            contradiction(
                "this character is both a composite of real elements and invented",
                entry,
                f"relations[{index}]",
                "keep 'composite_of' and say what is invented in its note, or make the character only 'invented'",
            )
        )
    return found


def contradiction(message: str, entry: Entry, where: str, hint: str) -> Diagnostic:
    return error("relation-contradiction", message, entry.span(where), hint)


def cast_mismatches(originals: list[Entry]) -> list[Diagnostic]:
    casts = {e.id: e for e in originals if isinstance(e.fields, Episode) and e.fields.cast}
    if not casts:
        return []
    found = []
    characters = [e for e in originals if isinstance(e.fields, Character)]
    listed = {(c.id, ref.target) for c in characters for ref in c.fields.appears_in}
    for character in characters:
        for index, ref in enumerate(character.fields.appears_in):
            episode = casts.get(ref.target)
            if episode is not None and character.id not in {r.target for r in episode.fields.cast}:
                found.append(
                    error(
                        "cast-mismatch",
                        f"'{character.id}' appears in '{ref.target}', whose cast does not list it",
                        character.span(f"appears_in[{index}]"),
                        f"add it to the cast of {episode.file.display}, or remove the episode here",
                    )
                )
    for episode in casts.values():
        for index, ref in enumerate(episode.fields.cast):
            if (ref.target, episode.id) not in listed and ref.target.startswith("characters/"):
                found.append(
                    error(
                        "cast-mismatch",
                        f"the cast lists '{ref.target}', whose 'appears_in' does not include '{episode.id}'",
                        episode.span(f"cast[{index}]"),
                        f"add '{episode.id}' to its appears_in, or remove it from this cast",
                    )
                )
    return found
