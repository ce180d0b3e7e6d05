"""Write docs/parameters.md: every parameter of sim/params.py, from the source itself.

The tables are not hand-copied: this script parses sim/params.py with `ast` and reads, for every
field of every section of `SimParams` (population, behaviour, market, fraud, platform, context,
regulation), its name, type annotation, default and the docstring that follows it. The "kind"
column is read from the docstring's words:

- "fitted"      -> fitted     (set by calibration, docs/calibration.md)
- "assumption"  -> assumption (a modelling assumption)
- "source:"     -> sourced    (a published figure)

checked in that order, so a value that is partly sourced and partly assumed counts as an
assumption. The regulation levers are also listed with their values in
configs/scenario/historical.yaml and the comments written above them there, and the values
that configs/calibration/fitted.yaml (part of the default config) sets over the defaults. It also
rewrites the count sentence of docs/ODD.md between the markers `<!-- parameter-counts -->` and
`<!-- /parameter-counts -->`.

Usage:
    .venv/bin/python experiments/parameter_table.py            # rewrite docs/parameters.md
    .venv/bin/python experiments/parameter_table.py --check    # exit 1 if it is out of date
    .venv/bin/python experiments/parameter_table.py --output /tmp/parameters.md
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.param_docs import class_field_docs, kind_of

ROOT = Path(__file__).resolve().parent.parent
PARAMS_FILE = ROOT / "sim" / "params.py"
HISTORICAL_FILE = ROOT / "configs" / "scenario" / "historical.yaml"
CALIBRATION_FILE = ROOT / "configs" / "calibration" / "fitted.yaml"
UNCERTAINTIES_FILE = ROOT / "configs" / "uncertainties" / "default.yaml"
OUTPUT_FILE = ROOT / "docs" / "parameters.md"
ODD_FILE = ROOT / "docs" / "ODD.md"
COUNTS_BEGIN, COUNTS_END = "<!-- parameter-counts -->", "<!-- /parameter-counts -->"
TOP_LEVEL = ("seed", "end", "label")  # SimParams fields that are not sections
KINDS = ("sourced", "fitted", "assumption")
COMMAND = ".venv/bin/python experiments/parameter_table.py"


@dataclass(frozen=True)
class Parameter:
    """One field of one section, as written in sim/params.py."""

    section: str
    name: str
    annotation: str
    default: Any
    doc: str

    @property
    def key(self) -> str:
        """Dotted config key, as used on the command line."""
        return f"{self.section}.{self.name}"

    @property
    def kind(self) -> str:
        """'fitted', 'assumption', 'sourced', or 'untagged' (see the module docstring)."""
        return kind_of(self.doc)


def _default(value: ast.expr | None) -> Any:
    """Literal default of a field; `field(default_factory=lambda: X)` gives X."""
    if value is None:
        raise ValueError("field without a default")
    if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "ranged":
        return ast.literal_eval(value.args[0])
    if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "field":
        for keyword in value.keywords:
            if keyword.arg == "default_factory" and isinstance(keyword.value, ast.Lambda):
                return ast.literal_eval(keyword.value.body)
            if keyword.arg == "default_factory" and isinstance(keyword.value, ast.Name):
                empty = {"list": [], "dict": {}, "tuple": ()}
                if keyword.value.id in empty:
                    return empty[keyword.value.id]
            if keyword.arg == "default":
                return ast.literal_eval(keyword.value)
        raise ValueError(f"cannot read the default of {ast.unparse(value)}")
    return ast.literal_eval(value)


def _fields(cls: ast.ClassDef, section: str) -> list[Parameter]:
    """Annotated fields of a class body with the string literal that follows each."""
    docs = class_field_docs(cls)
    return [
        Parameter(
            section,
            node.target.id,
            ast.unparse(node.annotation),
            _default(node.value),
            docs.get(node.target.id, ""),
        )
        for node in cls.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    ]


def parse_params(path: Path = PARAMS_FILE) -> dict[str, list[Parameter]]:
    """Section name -> its parameters, in the order of `SimParams` and of each dataclass."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    sections: dict[str, list[Parameter]] = {}
    for node in classes["SimParams"].body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        name = node.target.id
        if name in TOP_LEVEL:
            continue
        sections[name] = _fields(classes[ast.unparse(node.annotation)], name)
    return sections


def fmt(value: Any) -> str:
    """A value written as on the Hydra command line (true/false, bare strings, [a, b])."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in value.items()) + "}"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text else ""


def historical_levers(path: Path = HISTORICAL_FILE) -> dict[str, tuple[Any, str]]:
    """Lever -> (value in the historical scenario, the comment lines written above it)."""
    text = path.read_text(encoding="utf-8")
    values = yaml.safe_load(text).get("regulation", {})
    notes: dict[str, str] = {}
    comment: list[str] = []
    in_regulation = False
    for line in text.splitlines():
        stripped = line.strip()
        if not line.startswith(" ") and stripped:
            in_regulation = stripped.startswith("regulation:")
            comment = []
            continue
        if not in_regulation:
            continue
        if stripped.startswith("#"):
            comment.append(stripped.lstrip("#").strip())
        elif ":" in stripped:
            notes[stripped.split(":", 1)[0].strip()] = " ".join(comment)
            comment = []
    return {key: (value, notes.get(key, "")) for key, value in values.items()}


def calibrated_values(path: Path = CALIBRATION_FILE) -> dict[str, Any]:
    """Dotted key -> value set by the calibration config ({} if there is none)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        f"{section}.{name}": value
        for section, values in data.items()
        if isinstance(values, dict)
        for name, value in values.items()
    }


def _bounds(entry: dict[str, Any]) -> str:
    text = f"{fmt(entry['low'])} to {fmt(entry['high'])}"
    if entry.get("scale") == "log":
        text += " (log)"
    if entry.get("dist") == "triangular":
        text += " (triangular)"
    return text


def plausible_ranges(path: Path = UNCERTAINTIES_FILE) -> dict[str, str]:
    """Dotted key -> its plausible range in configs/uncertainties/default.yaml, in words.

    A list parameter shows each declared element ('[2] 0.4 to 0.8'); a held one shows 'held'.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for key, entry in data["ranges"].items():
        parts = key.split(".")
        if len(parts) == 3:
            out.setdefault(".".join(parts[:2]), []).append(f"[{parts[2]}] {_bounds(entry)}")
        else:
            out.setdefault(key, []).append(_bounds(entry))
    ranges = {key: "; ".join(texts) for key, texts in out.items()}
    return {**ranges, **{key: "held" for key in data.get("fixed") or {}}}


def render(
    params_path: Path = PARAMS_FILE,
    historical_path: Path = HISTORICAL_FILE,
    calibration_path: Path = CALIBRATION_FILE,
    uncertainties_path: Path = UNCERTAINTIES_FILE,
) -> str:
    """The whole of docs/parameters.md."""
    sections = parse_params(params_path)
    counts = {name: Counter(p.kind for p in params) for name, params in sections.items()}
    total = sum(counts.values(), Counter())
    lines = [
        "# Parameters",
        "",
        f"Generated from `sim/params.py` by `{COMMAND}`;",
        "do not edit by hand (the test `tests/test_docs.py` fails when this file is out of date).",
        "Each row is one field of a section of `SimParams`; the key is what you override on the",
        "command line, e.g.",
        "`cpf-sim behaviour.search_rate=0.3`. *Kind* is read from the field's docstring:",
        '"fitted" (set by calibration, see [calibration.md](calibration.md)), "assumption"',
        '(a modelling assumption), "source:" (a published figure), checked in that order, so a',
        "value that is partly sourced and partly assumed counts as an assumption. The model's",
        "description is [ODD.md](ODD.md).",
        "",
        "## Counts",
        "",
        "| section | parameters | sourced | fitted | assumption | untagged |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, params in sections.items():
        c = counts[name]
        lines.append(
            f"| {name} | {len(params)} | {c['sourced']} | {c['fitted']} | {c['assumption']} "
            f"| {c['untagged']} |"
        )
    lines.append(
        f"| **all** | {sum(total.values())} | {total['sourced']} | {total['fitted']} "
        f"| {total['assumption']} | {total['untagged']} |"
    )
    lines.append("")
    calibrated = calibrated_values(calibration_path)
    if calibrated:
        by_key = {p.key: p for params in sections.values() for p in params}
        lines += [
            "## Values set by the calibration",
            "",
            "The default configuration (`configs/config.yaml`) includes",
            "`configs/calibration/fitted.yaml`, which sets these parameters over the defaults of",
            "`sim/params.py` shown in the tables below; runs through `cpf-sim` or",
            "`sim.run(overrides=...)` use these values, `sim.run(SimParams())` does not.",
            "",
            "| key | default in sim/params.py | value in configs/calibration/fitted.yaml | kind |",
            "| --- | --- | --- | --- |",
        ]
        for key, value in calibrated.items():
            p = by_key.get(key)
            default, kind = (_code(fmt(p.default)), p.kind) if p else ("(unknown key)", "")
            lines.append(f"| `{key}` | {default} | {_code(fmt(value))} | {kind} |")
        lines.append("")
    plausible = plausible_ranges(uncertainties_path)
    lines += [
        "*Plausible range*: the range `configs/uncertainties/default.yaml` declares for an",
        "assumption or fitted parameter, with its justification there (sensitivity designs draw",
        "from it; [sensitivity.md](sensitivity.md)); 'held' parameters are not varied (the file",
        "says why). Sourced figures and policy levers are not uncertainties.",
        "",
    ]
    for name, params in sections.items():
        lines += [
            f"## {name}",
            "",
            "| key | default | kind | plausible range | meaning, unit, source |",
        ]
        lines.append("| --- | --- | --- | --- | --- |")
        for p in params:
            shown = _cell(plausible.get(p.key, ""))
            lines.append(
                f"| `{p.key}` | {_code(fmt(p.default))} | {p.kind} | {shown} | {_cell(p.doc)} |"
            )
        lines.append("")
    regulation = {p.name: p for p in sections.get("regulation", [])}
    levers = historical_levers(historical_path)
    lines += [
        "## Regulation levers in the historical scenario",
        "",
        "Every lever is a constant or a dated schedule `{YYYY-MM: value}`; before the first date",
        "it keeps its default (the `none` scenario). Values from",
        "`configs/scenario/historical.yaml`, with the notes written above them there.",
        "",
        "| lever | none (default) | historical | notes |",
        "| --- | --- | --- | --- |",
    ]
    for name, p in regulation.items():
        value, note = levers.get(name, (None, ""))
        shown = _code(fmt(value)) if name in levers else "(default)"
        lines.append(f"| `{p.key}` | {_code(fmt(p.default))} | {shown} | {_cell(note)} |")
    lines.append("")
    return "\n".join(lines)


def counts_sentence(params_path: Path = PARAMS_FILE) -> str:
    """The sentence of docs/ODD.md that summarises the parameter counts."""
    kinds = Counter(p.kind for params in parse_params(params_path).values() for p in params)
    text = (
        f"{sum(kinds.values())} parameters, of which {kinds['sourced']} sourced (a published "
        f"figure), {kinds['fitted']} fitted (calibration) and {kinds['assumption']} assumptions"
    )
    if kinds["untagged"]:
        text += f", and {kinds['untagged']} untagged"
    return text + "."


def odd_with_counts(odd_text: str, params_path: Path = PARAMS_FILE) -> str:
    """`odd_text` with the block between the count markers replaced by the current counts."""
    if COUNTS_BEGIN not in odd_text or COUNTS_END not in odd_text:
        raise ValueError(f"docs/ODD.md lacks the markers {COUNTS_BEGIN} ... {COUNTS_END}")
    head, rest = odd_text.split(COUNTS_BEGIN, 1)
    _, tail = rest.split(COUNTS_END, 1)
    return f"{head}{COUNTS_BEGIN}{counts_sentence(params_path)}{COUNTS_END}{tail}"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the tables and the ODD counts; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_FILE, help="tables to write")
    parser.add_argument("--odd", type=Path, default=ODD_FILE, help="ODD document to update")
    parser.add_argument("--check", action="store_true", help="only check the files are up to date")
    args = parser.parse_args(argv)
    outputs = {args.output: render()}
    if args.odd.exists():
        odd = args.odd.read_text(encoding="utf-8")
        outputs[args.odd] = odd_with_counts(odd)
    stale = [
        path
        for path, text in outputs.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"{path} is out of date; regenerate it with: {COMMAND}", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
