"""Turn the JSON lines written by ``build.py --json`` into a Markdown table.

    python bench/report.py figures.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import human_bytes  # noqa: E402


def _builds(row: dict) -> list[str]:
    """gongkai's builds (``gongkai``, ``gongkai-j1`` …) in the order measured, then Material."""
    return [k for k in row if k.startswith("gongkai")] + ["material"]


def table(rows: list[dict]) -> str:
    lines = ["| items | build | wall | CPU | peak memory | files | written | per 1,000 items (CPU) | "
             "wall / Material | CPU / Material |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in sorted(rows, key=lambda r: r["items"]):
        material = row.get("material")
        for name in _builds(row):
            f = row.get(name)
            if f is None:
                continue
            ratio = cpu_ratio = "–"
            if material and name != "material":
                ratio = f"{f['seconds'] / material['seconds']:.2f}"
                cpu_ratio = f"{f['cpu'] / material['cpu']:.2f}"
            lines.append(
                f"| {row['items']:,} | {name} | {f['seconds']:.1f} s | {f['cpu']:.1f} s | "
                f"{human_bytes(f['tree_rss'])} | {f['files']:,} | {human_bytes(f['bytes'])} | "
                f"{f['cpu'] / row['items'] * 1000:.1f} s | {ratio} | {cpu_ratio} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    rows = [json.loads(line) for path in argv for line in Path(path).read_text().splitlines() if line]
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
