"""Summary of the last `mutmut run` (`make mutants`): killed and surviving mutants per
file, then every survivor with its file, line and the change it made.

Reads mutmut's own results in mutants/; run from the repository root."""

import ast
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.__main__ import (
    SourceFileMutationData,
    get_diff_for_mutant,
    mangled_name_from_mutant_name,
    status_by_exit_code,
    walk_mutatable_files,
)

_HUNK_START = re.compile(r"^@@ -(\d+)", re.MULTILINE)
# Mutants of functions no selected test reaches are "no tests"; they count as survivors.
NOT_KILLED = {"survived", "no tests", "suspicious"}


def main():
    counts = defaultdict(Counter)
    survivors = []
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, exit_code in data.exit_code_by_key.items():
            status = status_by_exit_code[exit_code]
            counts[str(path)][status] += 1
            if status in NOT_KILLED:
                survivors.append((str(path), name, status, data))
    print(f"{'file':60} {'killed':>7} {'other':>6} {'total':>6}  kill rate")
    total = Counter()
    for path, by_status in sorted(counts.items()):
        tested = sum(count for status, count in by_status.items() if status != "not checked")
        killed = by_status["killed"] + by_status["timeout"]
        total.update(killed=killed, tested=tested)
        print(f"{path:60} {killed:7} {tested - killed:6} {tested:6}  {_rate(killed, tested)}")
    print(
        f"{'all':60} {total['killed']:7} {total['tested'] - total['killed']:6} {total['tested']:6}  "
        f"{_rate(total['killed'], total['tested'])}"
    )
    print()
    def_lines = {}
    for path, name, status, data in survivors:
        if path not in def_lines:
            def_lines[path] = _definition_lines(path)
        diff = get_diff_for_mutant(name, path=data.path)
        changed = [text for text in diff.splitlines() if text[:1] in "+-" and text[:3] not in ("+++", "---")]
        line = _changed_line(
            diff, def_lines[path].get(mangled_name_from_mutant_name(name).rpartition(".")[2])
        )
        print(f"{path}:{line}: {name} ({status})")
        for text in changed:
            print(f"    {text}")
    if not total["tested"]:
        print("No mutant was tested: the run stopped before it began (see mutmut's output above).")
        return 1
    return 0


def _definition_lines(path):
    """The first line of each function in the source (its first decorator, as in mutmut's
    diffs), by mutmut's name for it (`x_name` at module level, `xǁClassǁname` for a method)."""
    lines = {}
    for node in ast.parse(Path(path).read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines[f"x_{node.name}"] = _first_line(node)
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines[f"x\u01c1{node.name}\u01c1{member.name}"] = _first_line(member)
    return lines


def _first_line(function):
    return min([decorator.lineno for decorator in function.decorator_list] + [function.lineno])


def _changed_line(diff, def_line):
    """The source line of the mutant's first changed line: mutmut diffs the function alone,
    so its hunk counts from the function's first line."""
    hunk = _HUNK_START.search(diff)
    if not hunk or def_line is None:
        return "?"
    context = 0
    for text in diff[hunk.end() :].splitlines()[1:]:
        if text[:1] in "+-":
            break
        context += 1
    return def_line + int(hunk.group(1)) - 1 + context


def _rate(killed, tested):
    return f"{100 * killed / tested:.0f}%" if tested else "-"


if __name__ == "__main__":
    sys.exit(main())
