"""Summary of the last `mutmut run` (`make mutants`): killed and surviving mutants per
file, then every survivor with its file, line and the change it made.

Reads mutmut's own results in mutants/; run from the repository root."""

import re
import sys
from collections import Counter, defaultdict

from mutmut.__main__ import (
    SourceFileMutationData,
    get_diff_for_mutant,
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
    for path, name, status, data in survivors:
        diff = get_diff_for_mutant(name, path=data.path)
        line = _HUNK_START.search(diff)
        print(f"{path}:{line.group(1) if line else '?'}: {name} ({status})")
        changed = [text for text in diff.splitlines() if text[:1] in "+-" and text[:3] not in ("+++", "---")]
        for text in changed:
            print(f"    {text}")
    if not total["tested"]:
        print("No mutant was tested: the run stopped before it began (see mutmut's output above).")
        return 1
    return 0


def _rate(killed, tested):
    return f"{100 * killed / tested:.0f}%" if tested else "-"


if __name__ == "__main__":
    sys.exit(main())
