"""Build figures for the sample campaigns, in a scratch copy: time per leaflet, whole builds
(all cores, one core, nothing changed) and file sizes.

Usage: .venv/bin/python scripts/benchmark.py
Prints figures; checks nothing (speed targets are read by people, not asserted by tests).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path

from leaflets.pipeline import BuildOptions, build
from leaflets.project import Project

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        for folder in ("campaigns", "locales"):
            shutil.copytree(ROOT / folder, Path(scratch) / folder)
        project = Project(Path(scratch))
        parallel = build(project, BuildOptions())
        serial = build(project, BuildOptions(jobs=1, force=True))
        unchanged = build(project, BuildOptions())
        print(f"leaflets: {len(serial.results)} ({len(serial.failed)} failed)")
        print(f"whole build: {parallel.seconds:.1f} s on every core, {serial.seconds:.1f} s on "
              f"one, {unchanged.seconds:.2f} s when nothing changed")
        rows: dict[tuple[str, str], list] = {}
        for result in serial.results:
            rows.setdefault((result.job.format.name, result.job.variant), []).append(result)
        print(f"{'format':12} {'variant':8} {'time (median)':>14} {'PDF (median)':>13} "
              f"{'PDF (max)':>10}")
        for (name, variant), results in sorted(rows.items()):
            sizes = [r.output.stat().st_size / 1024 for r in results if r.output]
            seconds = statistics.median(r.seconds for r in results)
            print(f"{name:12} {variant:8} {seconds:>12.2f} s {statistics.median(sizes):>10.0f} KB "
                  f"{max(sizes):>7.0f} KB")


if __name__ == "__main__":
    main()
