"""Python-Markdown, linear in the number of blocks.

Python-Markdown 3.x keeps two queues as lists and works on their front: the block parser
(`blocks.pop(0)`, `blocks.insert(0, ...)` in every block processor) and the inline tree
processor (`stack.pop(0)`, and `list(parent).index(child)` for each child). Each of those
costs the number of blocks, per block: a body of 100,000 paragraphs (a hostile or
machine-written file) takes minutes. Here the same algorithms run on queues whose front is
cheap, and text no inline pattern can match is not offered to each pattern in turn; the
output is identical (tests/test_markdown.py compares it with stock Python-Markdown's).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's convention)
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor

# What text each known inline pattern needs before it can match (a superset): text with
# none of it is left as it is without trying ~20 patterns on it. A pattern not listed here
# (a new extension) turns the shortcut off for its processor.
PATTERN_NEEDS = {
    "backtick": r"`",
    "escape": r"\\",
    **dict.fromkeys(
        ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref", "footnote"),
        r"\[",
    ),
    **dict.fromkeys(("somos-wikilink", "somos-citation"), r"\["),
    **dict.fromkeys(("autolink", "automail", "html"), r"<"),
    "linebreak": r"  \n",
    "entity": r"&",
    **dict.fromkeys(("em_strong", "em_strong2", "not_strong", "strong", "emphasis", "emphasis2"), r"[*_]"),
    "smarty-ellipses": r"\.\.\.",
    **dict.fromkeys(("smarty-em-dashes", "smarty-en-dashes"), r"--"),
    **{f"smarty-quotes-{i}": r"['\"]" for i in range(20)},
}


def needed_text(patterns: Any) -> re.Pattern | None:
    """One regex matching what any of `patterns` needs, or None if one is unknown."""
    names = [item.name for item in patterns._priority]
    if not names or any(name not in PATTERN_NEEDS for name in names):
        return None
    return re.compile("|".join(sorted({PATTERN_NEEDS[name] for name in names})))


class LinearInlineProcessor(InlineProcessor):
    def handle_inline(self, data: str) -> str:
        """Python-Markdown's `__handleInline`, skipped for text no pattern can match."""
        needs = self.__dict__.get("_needs", False)
        if needs is False:
            needs = self._needs = needed_text(self.inlinePatterns)
        if needs is not None and not isinstance(data, util.AtomicString) and not needs.search(data):
            return data
        return self._InlineProcessor__handleInline(data)

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        handle = self.handle_inline
        place = self._InlineProcessor__processPlaceholders

        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            index = 0
            # Children inserted after the current one are visited too, as the stock loop
            # (iterating the element while inserting into it) does.
            while index < len(current):
                child = current[index]
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    found = place(handle(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack.extend(found)
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = handle(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    tail_result = place(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    position = index + 1
                    tail_result.reverse()
                    for new_child in tail_result:
                        self.parent_map[new_child[0]] = current
                        current.insert(position, new_child[0])
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
                index += 1
            for element, found in insert_queue:
                for i, item in enumerate(found):
                    element.insert(i, item[0])
        return tree


class FrontQueue:
    """The list operations block processors use, with an O(1) front: the items are kept in
    reverse order, so `pop(0)` and `insert(0, x)` work on the end of a Python list."""

    def __init__(self, items: Iterable[str]) -> None:
        self._reversed = list(items)[::-1]

    def _index(self, i: int) -> int:
        size = len(self._reversed)
        if i < 0:
            i += size
        if not 0 <= i < size:
            raise IndexError("block index out of range")
        return size - 1 - i

    def __len__(self) -> int:
        return len(self._reversed)

    def __bool__(self) -> bool:
        return bool(self._reversed)

    def __iter__(self) -> Iterator[str]:
        return reversed(self._reversed)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return list(self)[i]
        return self._reversed[self._index(i)]

    def __setitem__(self, i: int, value: str) -> None:
        self._reversed[self._index(i)] = value

    def pop(self, i: int = -1) -> str:
        return self._reversed.pop() if i == 0 else self._reversed.pop(self._index(i))

    def insert(self, i: int, value: str) -> None:
        if i == 0:
            self._reversed.append(value)
        else:
            size = len(self._reversed)
            i = max(0, min(size, i + size if i < 0 else i))
            self._reversed.insert(size - i, value)

    def append(self, value: str) -> None:
        self._reversed.insert(0, value)

    def extend(self, values: Iterable[str]) -> None:
        self._reversed[:0] = list(values)[::-1]


def make_linear(md: markdown.Markdown) -> None:
    """Give `md` the linear block queue and inline processors (Python-Markdown's own and
    smarty's); same algorithms, same output."""
    parser = md.parser

    def parse_chunk(parent: etree.Element, text: str) -> None:
        parser.parseBlocks(parent, FrontQueue(text.split("\n\n")))

    parser.parseChunk = parse_chunk
    for processor in md.treeprocessors:
        if type(processor) is InlineProcessor:
            processor.__class__ = LinearInlineProcessor
