"""Python-Markdown's inline tree processor, linear in the number of blocks.

The stock `InlineProcessor.run` (Python-Markdown 3.x) takes its work queue from the front
of a list (`stack.pop(0)`) and finds each child's position with `list(parent).index(child)`:
both cost the number of blocks, per block. A body of 100,000 paragraphs (a hostile or
machine-written file) then takes minutes. This is the same algorithm with a deque and a
running index; the output is identical (tests/test_markdown.py compares the two).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's convention)
from collections import deque

from markdown import util
from markdown.treeprocessors import InlineProcessor


class LinearInlineProcessor(InlineProcessor):
    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        handle = self._InlineProcessor__handleInline
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
