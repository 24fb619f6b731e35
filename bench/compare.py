"""The same generated items built by an earlier commit's code and by this worktree's, in turn.

    python bench/compare.py --items 10000 --ref COMMIT [--rounds 3] [--work DIR] [--jobs auto]

A generated site carries its own copy of ``hooks/`` (the ``gongkai`` package too),
``overrides/`` and ``mkdocs.yml``; MkDocs imports the hooks from there. So two projects
over the same ``content/`` and ``catalog/`` differ only in code: one with the files of
``--ref`` (``git archive``), one with this worktree's (each project's ``hooks/`` first on
``PYTHONPATH``, so neither imports the installed package). They are built in alternating
order (ref, head, head, ref, …) so that a machine shared with other work loads both
alike; CPU seconds (user + system of the build and its children) are the figure to
read on a busy machine, wall time and peak memory are printed beside them, with the
load average when each build started. Finally the two last outputs are compared file by
file: "identical", or the files that differ.
"""

from __future__ import annotations

import argparse
import filecmp
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from measure import human_bytes, run, tree_size  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD_DATE = "2026-11-26"
CODE = ("hooks", "overrides", "mkdocs.yml")


def _from_ref(ref: str, dest: Path) -> None:
    """``CODE`` as commit ``ref`` has them."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, *CODE],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def _from_worktree(dest: Path) -> None:
    for name in CODE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(source, dest / name)


def project(generated: Path, dest: Path, ref: str | None) -> Path:
    """A project over a copy of ``generated``'s content and catalog with the code of ``ref``
    (``None``: this worktree)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("content", "catalog"):
        shutil.copytree(generated / name, dest / name)  # copies: the guards refuse hard-linked attachments
    for name in (".github", ".gitlab", ".gitea"):
        if (generated / name).exists():
            shutil.copytree(generated / name, dest / name)
    if ref is None:
        _from_worktree(dest)
    else:
        _from_ref(ref, dest)
    return dest


def build(proj: Path, out: Path, log: Path, jobs: str) -> dict:
    # mkdocs.yml loads a Markdown extension from gongkai before the hook file puts its own folder
    # first on sys.path: without this, both projects would run the installed (this worktree's) package
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", GONGKAI_JOBS=jobs,
               PYTHONPATH=str(proj / "hooks"))
    load = os.getloadavg()[0]
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(proj / "mkdocs.yml"),
                  "-d", str(out)], proj, env, log)
    if result.returncode != 0:
        raise SystemExit(f"build of {proj} failed ({result.returncode}), see {log}:\n{result.output[-3000:]}")
    files, size = tree_size(out)
    return {"seconds": result.seconds, "cpu": result.cpu, "peak": result.tree_rss, "files": files,
            "bytes": size, "load": load}


def differences(a: Path, b: Path, limit: int = 20) -> list[str]:
    """Paths under ``a`` and ``b`` whose presence or bytes differ (at most ``limit``)."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        for name in sorted(cmp.left_only + cmp.right_only + cmp.common_funny + cmp.funny_files):
            out.append(prefix + name)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(prefix + name for name in sorted(mismatch + errors))
        for name, sub in sorted(cmp.subdirs.items()):
            if len(out) < limit:
                walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b), "")
    return out[:limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--ref", required=True, help="the commit to compare with (its hooks/, overrides/, mkdocs.yml)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", default="auto", help="GONGKAI_JOBS for both builds")
    parser.add_argument("--work", type=Path, default=Path("/tmp/gongkai-compare"))
    parser.add_argument("--reuse", action="store_true", help="keep the items generated by an earlier run")
    args = parser.parse_args(argv)
    work = args.work
    generated = work / f"items-{args.items}-{args.seed}"
    if not (args.reuse and (generated / "content").is_dir()):
        generate(args.items, generated, args.seed)
    projects = {"ref": project(generated, work / "ref", args.ref), "head": project(generated, work / "head", None)}
    figures: dict[str, list[dict]] = {"ref": [], "head": []}
    for n in range(args.rounds):
        for label in ("ref", "head") if n % 2 == 0 else ("head", "ref"):
            f = build(projects[label], work / f"site-{label}", work / f"{label}-{n}.log", args.jobs)
            figures[label].append(f)
            print(f"round {n + 1} {label:4}  cpu {f['cpu']:7.1f} s   wall {f['seconds']:7.1f} s   "
                  f"peak {human_bytes(f['peak']):>9}   {f['files']} files {human_bytes(f['bytes'])}   "
                  f"load {f['load']:.1f}", flush=True)
    for label, runs in figures.items():
        print(f"median {label:4}  cpu {statistics.median(r['cpu'] for r in runs):7.1f} s   "
              f"wall {statistics.median(r['seconds'] for r in runs):7.1f} s   "
              f"peak {human_bytes(statistics.median(r['peak'] for r in runs)):>9}")
    ref_cpu = statistics.median(r["cpu"] for r in figures["ref"])
    head_cpu = statistics.median(r["cpu"] for r in figures["head"])
    print(f"head / ref CPU: {head_cpu / ref_cpu:.2f}")
    diff = differences(work / "site-ref", work / "site-head")
    print("outputs identical" if not diff else "outputs differ:\n  " + "\n  ".join(diff))
    return 0 if not diff else 1


if __name__ == "__main__":
    sys.exit(main())
