"""Precedence in a routing must be acyclic: an operation cannot wait on itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

WHITE, GREY, BLACK = 0, 1, 2


def find_cycle(predecessors: Mapping[int, Sequence[int]]) -> list[int] | None:
    """Return one cycle as a list of node ids (first repeated last), or None when acyclic.

    ``predecessors`` maps each node to the nodes that must come before it; predecessors
    that are not keys are ignored here (the caller reports them as unknown).
    """
    colour = dict.fromkeys(predecessors, WHITE)
    for start in predecessors:
        if colour[start] != WHITE:
            continue
        # iterative depth-first search: routings are short, but recursion limits are not ours
        path: list[int] = [start]
        stack: list[tuple[int, int]] = [(start, 0)]
        colour[start] = GREY
        while stack:
            node, index = stack[-1]
            nexts = [p for p in predecessors[node] if p in colour]
            if index >= len(nexts):
                colour[node] = BLACK
                stack.pop()
                path.pop()
                continue
            stack[-1] = (node, index + 1)
            follow = nexts[index]
            if colour[follow] == GREY:
                return [*path[path.index(follow) :], follow]
            if colour[follow] == WHITE:
                colour[follow] = GREY
                stack.append((follow, 0))
                path.append(follow)
    return None
