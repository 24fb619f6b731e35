"""``gongkai publish --plan OLD NEW``: what a deploy changes, in an order that never breaks a page.

A deploy is a series of uploads, and it can stop after any one of them. The order keeps every
page working at every point in between:

1. new and changed files other than pages: fingerprinted assets (new names, beside the old
   ones), the search index's new version folder, attachments, open data;
2. the search index's ``meta.json``, which names the version folder a search reads from: the
   new folder is complete before any browser is sent to it;
3. pages: added ones first (so a changed page never links to a page not yet there), then
   changed ones, then the sitemap and feed that list them;
4. after a grace period (pages and searches opened before the deploy keep loading the old
   assets and index meanwhile), deleting what the new site no longer has.

OLD and NEW are built sites or the manifests ``gongkai serve-config storage`` writes (so a
workflow can keep the last deploy's manifest on the bucket instead of the whole old site).
"""

from __future__ import annotations

import hashlib
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.deploy.storage import file_entry, site_files

INDEX_ENTRY = "search/idx/meta.json"
LISTS = ("sitemap.xml", "feed.xml")
STEP_TITLES = ("上传新增和修改的资源文件、搜索索引新版本、附件和数据文件", "上传搜索索引入口 meta.json",
               "上传新增和修改的页面", "宽限期后删除新网站已没有的文件")


@dataclass
class Plan:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    steps: list[list[str]] = field(default_factory=lambda: [[], [], [], []])

    @property
    def uploads(self) -> list[str]:
        """Every upload, in order (steps 1–3)."""
        return [path for step in self.steps[:3] for path in step]


def digests(source: Path) -> dict[str, str]:
    """path -> SHA-256 of a built site's files, or of the files a manifest lists."""
    if source.is_file():
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
            return {path: entry["sha256"] for path, entry in data["files"].items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{source}：不是 gongkai 的网站清单（{exc}）") from None
    if not source.is_dir():
        raise ValueError(f"{source}：既不是生成的网站目录，也不是网站清单文件")
    return {path: hashlib.sha256((source / path).read_bytes()).hexdigest() for path in site_files(source)}


def _is_page(path: str) -> bool:
    return path.endswith(".html")


def make_plan(old: dict[str, str], new: dict[str, str]) -> Plan:
    plan = Plan(added=sorted(set(new) - set(old)), removed=sorted(set(old) - set(new)),
                changed=sorted(p for p in set(new) & set(old) if new[p] != old[p]))
    for path in plan.added + plan.changed:
        if not _is_page(path) and path != INDEX_ENTRY and path not in LISTS:
            plan.steps[0].append(path)
    plan.steps[0].sort()
    if INDEX_ENTRY in plan.added or INDEX_ENTRY in plan.changed:
        plan.steps[1].append(INDEX_ENTRY)
    plan.steps[2] = ([p for p in plan.added if _is_page(p)] + [p for p in plan.changed if _is_page(p)]
                     + [p for p in LISTS if p in plan.added or p in plan.changed])
    plan.steps[3] = list(plan.removed)
    return plan


def plan_text(plan: Plan) -> str:
    lines = [f"新增 {len(plan.added)} 个、修改 {len(plan.changed)} 个、删除 {len(plan.removed)} 个文件。"]
    added = set(plan.added)
    for number, (title, paths) in enumerate(zip(STEP_TITLES, plan.steps, strict=True), 1):
        lines.append(f"第 {number} 步 {title}（{len(paths)} 个）：")
        for path in paths:
            mark = "-" if number == 4 else ("+" if path in added else "~")
            lines.append(f"  {mark} {path}")
    return "\n".join(lines)


def plan_json(plan: Plan) -> str:
    return json.dumps({"added": plan.added, "changed": plan.changed, "removed": plan.removed,
                       "steps": [{"title": t, "files": s} for t, s in zip(STEP_TITLES, plan.steps, strict=True)]},
                      ensure_ascii=False, indent=2)


def aws_script(plan: Plan, site_dir: Path, target: str, step: int) -> str:
    """The AWS CLI commands of one step (1–4), with each file's headers from ``rules.py``."""
    target = target.rstrip("/") + "/"
    lines = []
    for path in plan.steps[step - 1]:
        url = shlex.quote(target + path)
        if step == 4:
            lines.append(f"aws s3 rm {url}")
            continue
        entry = file_entry(site_dir, path)
        args = ["--content-type", entry["Content-Type"], "--cache-control", entry["Cache-Control"]]
        if "Content-Disposition" in entry:
            args += ["--content-disposition", entry["Content-Disposition"]]
        if "Content-Encoding" in entry:
            args += ["--content-encoding", entry["Content-Encoding"]]
        source = site_dir / entry.get("upload", path)
        lines.append(" ".join(["aws s3 cp", shlex.quote(str(source)), url, *map(shlex.quote, args)]))
    return "\n".join(lines)

