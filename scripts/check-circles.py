#!/usr/bin/env python3
"""Fails when two source files of a crate read each other, directly or round a longer
loop (ARCHITECTURE.md: "no circles between files"; the shared piece wants a file of its
own).

A file reads another when one of its `use` declarations names a module the other file
holds (`use super::wire::Party`, `use crate::meta::{item, wire}`). A file's own
ancestors (`mod.rs`, `lib.rs`) are left out: a parent that declares and re-exports its
children while they use its items is how Rust modules are built, not a circle between
peers. Paths are resolved against the files that exist; anything else (an item, a
re-export, an external crate) is not an edge.

Usage: scripts/check-circles.py [SRC_DIR ...]   (default: every crate's and binding's src/)
"""

from __future__ import annotations

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
USE = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", re.M)


def module_of(src: pathlib.Path, file: pathlib.Path) -> tuple[str, ...]:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts.pop()
    return tuple(parts)


def expand(tree: str) -> list[list[str]]:
    """`a::{b, c::{d, self}}` as the paths [a, b], [a, c, d], [a, c]."""
    tree = re.sub(r"\s+", "", tree)
    out: list[list[str]] = []

    def walk(prefix: list[str], rest: str) -> None:
        brace = rest.find("{")
        if brace < 0:
            out.append(prefix + [p for p in rest.split("::") if p])
            return
        head = [p for p in rest[:brace].split("::") if p]
        body = rest[brace + 1 : rest.rfind("}")]
        depth, start = 0, 0
        for i, ch in enumerate(body + ","):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                item = body[start:i]
                start = i + 1
                if item == "self":
                    out.append(prefix + head)
                elif item:
                    walk(prefix + head, item)

    walk([], tree)
    return out


def edges(src: pathlib.Path) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    files = {module_of(src, f): f for f in src.rglob("*.rs")}
    graph: dict[tuple[str, ...], set[tuple[str, ...]]] = {m: set() for m in files}
    for module, file in files.items():
        text = file.read_text(encoding="utf-8")
        # Test modules may read anything in their crate.
        text = text.split("#[cfg(test)]")[0]
        here = list(module)
        for tree in USE.findall(text):
            for path in expand(tree):
                if path and path[0] == "crate":
                    base, rest = [], path[1:]
                elif path and path[0] in ("super", "self"):
                    base = list(here)
                    rest = path
                    while rest and rest[0] in ("super", "self"):
                        if rest[0] == "super":
                            base = base[:-1]
                        rest = rest[1:]
                else:
                    continue
                target = None
                for n in range(len(rest), -1, -1):
                    candidate = tuple(base + rest[:n])
                    if candidate in files:
                        target = candidate
                        break
                # Ancestors (and the file itself) are not peers.
                if target is None or module[: len(target)] == target:
                    continue
                graph[module].add(target)
    return graph


def cycles(graph: dict[tuple[str, ...], set[tuple[str, ...]]]) -> list[list[tuple[str, ...]]]:
    """Strongly connected components of more than one file (Tarjan)."""
    index: dict[tuple[str, ...], int] = {}
    low: dict[tuple[str, ...], int] = {}
    stack: list[tuple[str, ...]] = []
    on: set[tuple[str, ...]] = set()
    found: list[list[tuple[str, ...]]] = []
    sys.setrecursionlimit(10_000)

    def visit(v: tuple[str, ...]) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main() -> int:
    dirs = [pathlib.Path(d) for d in sys.argv[1:]] or sorted(
        p for p in [*ROOT.glob("crates/*/src"), *ROOT.glob("bindings/*/src")] if p.is_dir()
    )
    bad = 0
    for src in dirs:
        for comp in cycles(edges(src)):
            bad += 1
            names = ", ".join("/".join(m) or "lib" for m in comp)
            print(f"{src.relative_to(ROOT) if src.is_relative_to(ROOT) else src}: files read each other: {names}")
    if bad:
        print(f"{bad} circle(s): move the piece both sides need into a file of its own.")
        return 1
    print(f"no circles between files ({len(dirs)} source trees)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
