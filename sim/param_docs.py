"""Field meanings and units in `help(sim.SimParams)`, read from the docstrings in sim/params.py.

Each parameter is documented by the string under its field (meaning, unit, source or
assumption); Python keeps those strings only in the source. `document()` (idempotent, run when
the package face first hands out `SimParams`) parses the classes' source with `ast` and writes
one Attributes list, section by section, with each field's default and allowed range, into
`SimParams.__doc__` and each section class's `__doc__`. Nothing in sim/params.py changes.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import MISSING, fields
from typing import Any

from sim.params import SECTIONS, SimParams

_done = False


def field_docs(cls: type) -> dict[str, str]:
    """Field name -> the docstring written under it in the class body (one line)."""
    node = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
    assert isinstance(node, ast.ClassDef)
    return class_field_docs(node)


def class_field_docs(cls: ast.ClassDef) -> dict[str, str]:
    """Field name -> the string literal that follows its annotation in a parsed class body."""
    body = cls.body
    docs = {}
    for node, after in zip(body, body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = " ".join(after.value.value.split())
    return docs


def kind_of(doc: str) -> str:
    """'fitted', 'assumption', 'sourced' or 'untagged': a field's tag words, checked in that order.

    A value partly sourced and partly assumed counts as an assumption.
    """
    text = doc.lower()
    if "fitted" in text:
        return "fitted"
    if "assumption" in text:
        return "assumption"
    if "source:" in text:
        return "sourced"
    return "untagged"


def _default(item: Any) -> Any:
    if item.default is not MISSING:
        return item.default
    return item.default_factory() if item.default_factory is not MISSING else None


def attributes(cls: type, prefix: str = "") -> list[str]:
    """'    holders (default 100000, range 1000-50000000): Simulated account holders; ...'."""
    docs = field_docs(cls)
    lines = []
    for item in fields(cls):  # type: ignore[arg-type]
        if item.name in SECTIONS and cls is SimParams:
            continue
        bounds = item.metadata.get("range")
        facts = f"default {_default(item)!r}"
        if bounds:
            facts += f", range {bounds[0]} to {'any' if bounds[1] is None else bounds[1]}"
        text = f"{prefix}{item.name} ({facts}): {docs.get(item.name, '')}".rstrip(": ")
        lines += textwrap.wrap(text, 96, initial_indent="    ", subsequent_indent="        ")
    return lines


def document() -> None:
    """Write the Attributes lists into SimParams' and each section's docstring (once)."""
    global _done
    if _done:
        return
    summary = (SimParams.__doc__ or "").strip()
    lines = [summary, "", "Attributes:", *attributes(SimParams)]
    for name, cls in SECTIONS.items():
        own = (cls.__doc__ or "").strip().splitlines()[0]
        cls.__doc__ = "\n".join([own, "", "Attributes:", *attributes(cls)])
        lines += ["", f"  {name}: {own}", *attributes(cls, f"{name}.")]
    SimParams.__doc__ = "\n".join(lines)
    _done = True
