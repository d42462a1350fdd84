"""Every interface string the Python side hands to templates or shows itself, for the
test that each has a translation. It reads the modules that own those strings, so it sits
above them all and nothing in the package imports it."""

from __future__ import annotations

import dataclasses
import typing

from somos_site import graphics, navigation, schema, serve


def interface_messages() -> set[str]:
    """Strings the Python side hands to templates for translation (labels of types,
    verdicts, realms, relations, inverse relations, navigation and kinds)."""
    messages = {"Home", "fiction"}
    messages.update(graphics.GRAPHIC_MESSAGES)
    messages.update(("from %(day)s; end disputed", "from %(start)s; end disputed"))  # dates.FuzzyDate.format
    messages.update(label for label, _ in navigation.NAV)
    messages.update(serve.OVERLAY_STRINGS)
    for content_type in schema.TYPES.values():
        messages.update((content_type.label, content_type.singular.capitalize()))
        for cls in (content_type.fields, schema.Relation, schema.FigureValue):
            for field in dataclasses.fields(cls):
                if field.metadata.get("inverse"):
                    messages.add(field.metadata["inverse"])
    labels_of = (schema.VERDICT_LABELS, schema.REALM_LABELS, schema.RELATION_LABELS, schema.SOURCE_KIND_LABELS)
    for labels in (*labels_of, schema.FIGURE_KIND_LABELS):
        messages.update(labels.values())
    for kinds in (schema.PlaceKind, schema.OrgKind):
        messages.update(kind.replace("-", " ").capitalize() for kind in typing.get_args(kinds))
    return messages
