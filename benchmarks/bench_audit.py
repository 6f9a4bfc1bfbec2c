"""Benchmark of the attacker's audit on the default book: median of 3 audits of the built book.

Target (issue 13): the audit of the default book (every HTML page, CSV with sidecar and workbook
of ``imdi run --year 2022``) in under 30 s on 2 cores. The book is built once with the default
synthetic data into ``benchmarks/_work/audit-build`` (or give ``--book DIR``, a built book's
``html`` folder); only the audit is timed, in a fresh interpreter after its imports. Also
reports what the audit found, so a regression in the book shows here too. Writes
benchmarks/results_audit.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchmarks._util import ROOT, WORK, fmt, machine_description, median_of

RESULTS = ROOT / "benchmarks" / "results_audit.md"
TARGET_SECONDS = 30
SETUP = "from pathlib import Path\nfrom imdi_analysis.audit import audit_directory\n"


def build_default_book() -> Path:
    """``imdi run --year 2022`` on the default data into the benchmark's own folders; its html folder.

    The run audits the staged book before the swap; when the audit refuses it, the refused book
    stays in the staging folder and is used here (the error message names it).
    """
    build, out = WORK / "audit-build", WORK / "audit-processed"
    code = (
        "from pathlib import Path\nfrom imdi_analysis.pipeline import run\n"
        f"run([2022], ['year'], build_dir=Path({str(build)!r}), output_dir=Path({str(out)!r}), jobs=2)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode == 0:
        return build / "html"
    staged = sorted(build.glob(".staging-*/out/_build/html"))
    if "The audit of the new book" in done.stderr and staged:
        return staged[-1]
    raise RuntimeError(f"building the default book failed:\n{done.stderr[-3000:]}")


def audit_summary(html: Path) -> dict:
    code = (
        SETUP + f"r = audit_directory(Path({str(html)!r}))\n"
        "import collections, json\n"
        "print('@@' + json.dumps({'findings': len(r.findings), 'tables': len(r.tables), 'files': r.files,"
        " 'kinds': collections.Counter(f.kind for f in r.findings),"
        " 'hidden': sum(c.status == ':' for t in r.published for c in t.cells)}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    line = [x for x in done.stdout.splitlines() if x.startswith("@@")][-1]
    return json.loads(line[2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--book", type=Path, default=None, help="a built book's html folder")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    html = args.book or build_default_book()
    timing = median_of(f"audit_directory(Path({str(html)!r}))", args.repeat, setup=SETUP)
    summary = audit_summary(html)
    verdict = "met" if timing["seconds"] < TARGET_SECONDS else "NOT met"
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(summary["kinds"].items())) or "none"
    lines = [
        "# Benchmark: the attacker's audit of the default book",
        "",
        machine_description(),
        "",
        f"Book: `{html}` ({summary['files']} files, {summary['tables']} tables read back, "
        f"{summary['hidden']} hidden cells).",
        "",
        "| step | wall s (median of {}) | CPU s | peak MiB |".format(timing["runs"]),
        "|---|---:|---:|---:|",
        f"| audit_directory | {fmt(timing['seconds'])} | {fmt(timing['cpu_seconds'])} | {fmt(timing['peak_mib'], 0)} |",
        "",
        f"Target: under {TARGET_SECONDS} s on 2 cores: **{verdict}** (wall time). The audit is one process;"
        f" its CPU time ({fmt(timing['cpu_seconds'])} s) is what it takes on an otherwise idle machine, and"
        " wall time grows with the machine's load (see above).",
        "",
        f"Findings on this book: {summary['findings']} ({kinds}).",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()


__all__ = ["main"]
