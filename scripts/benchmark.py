"""Build figures: time per leaflet and file sizes, for the sample campaigns in a scratch copy.

Usage: .venv/bin/python scripts/benchmark.py [--repeat N]
Prints figures; checks nothing (speed targets are read by people, not asserted by tests).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from leaflets.pipeline import BuildOptions, build
from leaflets.project import Project

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for folder in ("campaigns", "locales"):
            shutil.copytree(ROOT / folder, Path(scratch) / folder)
        project = Project(Path(scratch))
        runs = []
        for _ in range(arguments.repeat):
            outcome = build(project, BuildOptions())
            runs.append(outcome)
        last = runs[-1]
        per_job = [r.seconds for r in last.results]
        print(f"leaflets: {len(last.results)} ({len(last.failed)} failed)")
        print(f"whole build: " + ", ".join(f"{r.seconds:.1f} s" for r in runs))
        print(f"per leaflet: median {statistics.median(per_job):.2f} s, "
              f"max {max(per_job):.2f} s")
        by_format: dict[str, list[float]] = {}
        for result in last.results:
            by_format.setdefault(result.job.format.name, []).append(result.seconds)
        for name, seconds in sorted(by_format.items()):
            sizes = [r.output.stat().st_size for r in last.results
                     if r.job.format.name == name and r.output]
            print(f"  {name:12} {statistics.median(seconds):.2f} s median, "
                  f"PDF {statistics.median(sizes) / 1024:.0f} KB median")


if __name__ == "__main__":
    main()
