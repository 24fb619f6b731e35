"""Does ``load_site`` still give exactly what an earlier commit gave, on good and bad input?

    python bench/load_compare.py [--ref COMMIT] [--items 400] [--broken 600] [--seed 1]

Speed work on the loader must not change a single result. This extracts
``hooks/gongkai`` as it is at ``--ref`` (``git archive``; default: where this
branch left main, ``git merge-base HEAD main``), then loads the same
sites with both versions in child processes and compares everything they
produce: each problem (file, line, field, message, severity) in the order it
was reported, whether the load failed, and the whole ``Site`` (every item's
fields, line table and attachments, categories, rules, annual reports).

The sites: this repository's sample, a generated site of ``--items`` items, the
same with half its items changed in ways that keep them valid (CRLF and BOM,
drafts, harmless HTML, tables), and a generated site where ``--broken`` of the
files are damaged in seeded random ways (missing, repeated and unknown keys, junk values, bad dates, YAML syntax,
GBK and NUL bytes, CRLF and BOM, personal numbers and unsafe HTML in every
field and the body, exceptions, attachments, duplicate 索引号 …).
Prints "identical" per site or the first differences; exits 1 on any.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_DATE = "2026-11-26"

# --- the child: load a site and print a canonical dump --------------------------------------


def canonical(value, depth: int = 0):
    """Plain nested tuples, dict order kept; a category's parent by its code (no cycles)."""
    from pydantic import BaseModel

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = []
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if f.name == "parent":
                out.append((f.name, getattr(v, "code", None)))
            elif f.name in ("agency", "category") and dataclasses.is_dataclass(v):
                out.append((f.name, type(v).__name__, getattr(v, "code", None)))
            else:
                out.append((f.name, canonical(v, depth + 1)))
        return (type(value).__name__, tuple(out))
    if isinstance(value, BaseModel):
        return (type(value).__name__, canonical(value.model_dump(), depth + 1),
                tuple(sorted(value.model_fields_set)))
    if isinstance(value, dict):
        return ("dict", tuple((canonical(k), canonical(v, depth + 1)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(canonical(v, depth + 1) for v in value))
    return repr(value)


def child(root: str) -> None:
    from gongkai.pipeline import load_site
    from gongkai.problems import Problems, ValidationFailed

    problems = Problems()
    try:
        site = load_site(Path(root), dt.date.fromisoformat(BUILD_DATE), problems)
        print("loaded")
    except ValidationFailed as exc:
        site = None
        print("failed", len(exc.problems))
    for p in problems.items:
        print("problem", repr((p.file, p.line, p.field, p.message, p.severity)))
    if site is None:
        return
    for name in ("settings", "agencies", "categories", "topics", "topic_aliases", "rules", "annual"):
        print(name, repr(canonical(getattr(site, name))))
    for item in site.items:
        print("item", repr(canonical(item)))
        print("lines", repr(tuple(item.lines.items())))


# --- the parent: sites, damage, comparison -------------------------------------------------

JUNK = ["", "~", "null", "[a, b]", "{a: 1}", "2025-02-30", "2025/3/8", "!!int 3", "'q", '"open', "a: b",
        "- x", "&a x", "*a", "|", ">", "010", "no", "是", "13812345678", "〔2024〕", "002501001/2024-00012"]
PII = ["13812345678", "138 1234 5678", "138-1234-5678", "+8613812345678", "１３８１２３４５６７８",
       "330102198506141232", "11010519491231002X", "6222021234567890128", "6222 0212 3456 7890 128",
       "6228480012345671", "002501001/2024-00012", "2025-03-18", "0571-65000001"]
HTML = ["<script>alert(1)</script>", '<a href="javascript:x()">x</a>', "[点此](javascript:void(0))",
        '<img src="a.png" onerror="x()">', "<iframe src=x></iframe>", '<meta http-equiv="refresh" content="0">',
        "[r]: java\tscript:x", "<b>粗体</b>", "a < b > c", "&lt;script&gt;"]


def _front(text: str) -> tuple[list[str], str] | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end < 0:
        return None
    return text[4:end].split("\n"), text[end + 5:]


#: changes that keep an item valid, so the "mild" site loads and its whole Site is compared
MILD = (10, 24, 25, 26)


def damage(text: str, r: random.Random, other_ids: list[str], kinds=range(24)) -> str | bytes:
    split = _front(text)
    if split is None:
        return text
    lines, body = split
    kind = r.choice(kinds)
    i = r.randrange(len(lines))
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2 and ":" in lines[i]:
        key = lines[i].split(":", 1)[0]
        lines[i] = f"{key}: {r.choice(JUNK)}"
    elif kind == 3:
        body = body + "\n联系人：张三，电话 " + r.choice(PII) + "。\n"
    elif kind == 4:
        key = r.choice(["标题", "title", "主题词", "内容概述", "替代文件"])
        lines = [ln for ln in lines if not ln.startswith(key + ":")]
        lines.append(f"{key}: 联系 {r.choice(PII)}" if key != "主题词" else f"{key}: [a, {r.choice(PII)}]")
    elif kind == 5:
        body = r.choice(HTML) + "\n\n" + body
    elif kind == 6:
        lines.insert(i, r.choice(["标题1: x", "titel: x", "审核: y", "unknown: z", "附 件: a"]))
    elif kind == 7:
        lines.append(r.choice(["title: 另一个标题", "id: 002501001/2025-00001", "category: tzgg",
                               "published: 2025-01-01"]))
    elif kind == 8:
        return ("---\n" + "\n".join(lines) + "\n---\n" + body).encode("gb18030")
    elif kind == 9:
        return "\n".join(lines) + "\n" + body if r.random() < 0.5 else "---\n" + "\n".join(lines) + "\n" + body
    elif kind == 10:
        text = "---\n" + "\n".join(lines) + "\n---\n" + body
        return ("\ufeff" if r.random() < 0.5 else "") + text.replace("\n", "\r\n")
    elif kind == 11:
        name = r.choice(["缺少.pdf", "sub/a.pdf", "x.md", ".hidden", "名单.csv"])
        lines.append(f"附件:\n  - 文件: {name}\n    名称: 附件")
    elif kind == 12:
        number = r.choice(PII[:10])
        lines.append(f"个人信息例外:\n  号码: [{number}]\n  理由: {r.choice(['村委会办公电话', ''])}")
        body += f"\n电话 {number}，另 {r.choice(PII)}\n"
    elif kind == 13:
        lines.append(r.choice(["draft: true", "草稿: 是", "公开方式: 依申请公开", "公开方式: 不予公开",
                               "草稿: maybe"]))
    elif kind == 14 and other_ids:
        lines = [ln for ln in lines if not ln.startswith("索引号:")]
        lines.insert(0, f"索引号: {r.choice(other_ids)}")
    elif kind == 15:
        lines = [ln.replace("  ", "\t", 1) if ln.startswith("  ") else ln for ln in lines]
    elif kind == 16:
        lines = [ln.replace("同意公开", r.choice(["不同意公开", "待审"])) for ln in lines]
    elif kind == 17:
        key = r.choice(["发布机构", "目录", "主题分类", "解读对象", "替代文件", "有效性", "废止日期", "发文字号"])
        lines = [ln for ln in lines if not ln.startswith(key + ":")]
        lines.append(f"{key}: {r.choice(['不存在的机构', 'nosuch', '2026-13-01', '废止', '青政发2025第4号', '002501001/2099-99999'])}")
    elif kind == 18:
        return ""
    elif kind == 19:
        lines = [ln.replace("审查日期: ", "审查日期: 2099-") if "审查日期" in ln else ln for ln in lines]
    elif kind == 20:
        body = body[:10] + "\x00" + body[10:]
    elif kind == 21:
        lines.insert(i, r.choice(['标题: "未闭合', "索引号 002501001", "  - 游离项", "审查: [a", "? 复杂键"]))
    elif kind == 24:
        body = r.choice(["<b>粗体</b>", "a < b > c", "&lt;script&gt;", "<table><tr><td>1</td></tr></table>",
                         "[链接](https://example.org/) 与 ![图](a.png)"]) + "\n\n" + body
    elif kind == 25:
        body = "## 标题\n\n| a | b |\n|---|---|\n| 1 | 002501001/2024-00012 0571-65000001 |\n\n" + body
    elif kind == 26:
        lines.append(r.choice(["draft: true", "草稿: 是", "公开方式: 依申请公开", "草稿: false"]))
    elif kind == 22:
        lines.append(r.choice(["公示期:\n  开始日期: 2025-06-07\n  结束日期: 2025-06-01",
                               "公示期: 2025-06-01", "审查: 同意公开", "主题词: {a: b}", "公开载体: [微博]"]))
    else:
        body = "## 标题\n\n| a | b |\n|---|---|\n| 1 | 13812345678 |\n\n" + body
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def make_sites(work: Path, items: int, broken: int, seed: int) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    sites = {"sample": ROOT}
    good = work / "generated"
    generate(items, good, seed)
    sites["generated"] = good
    bad = work / "broken"
    generate(max(broken, 50), bad, seed + 1)
    files = sorted((bad / "content").rglob("*.md"))
    ids = [ln.split(": ", 1)[1] for f in files[:200] for ln in f.read_text(encoding="utf-8").split("\n")
           if ln.startswith("索引号: ")]
    r = random.Random(seed)
    for f in r.sample(files, min(broken, len(files))):
        damaged = damage(f.read_text(encoding="utf-8"), r, ids)
        f.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode("utf-8"))
    sites["broken"] = bad
    mild = work / "mild"
    shutil.copytree(good, mild)
    files = [f for f in sorted((mild / "content").rglob("*.md"))
             if f.relative_to(mild / "content").parts[0] not in ("annual", "pages")]
    for f in r.sample(files, len(files) // 2):
        damaged = damage(f.read_text(encoding="utf-8"), r, [], MILD)
        f.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode("utf-8"))
    sites["mild"] = mild
    return sites


def dump(hooks: Path, root: Path) -> list[str]:
    result = subprocess.run([sys.executable, __file__, "--child", str(root)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(hooks), "PYTHONHASHSEED": "0"}, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"loading {root} with {hooks} crashed:\n{result.stderr}")
    return result.stdout.splitlines()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ref", help="commit to compare with (default: git merge-base HEAD main)")
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--broken", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child")
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    ref_commit = args.ref or subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, check=True,
                                            capture_output=True, text=True).stdout.strip()
    differ = False
    with tempfile.TemporaryDirectory(prefix="gk-compare-") as tmp:
        work = Path(tmp)
        ref = work / "ref"
        ref.mkdir()
        archive = subprocess.run(["git", "archive", ref_commit, "hooks/gongkai"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(ref)], input=archive, check=True)
        for name, root in make_sites(work, args.items, args.broken, args.seed).items():
            old, new = dump(ref / "hooks", root), dump(ROOT / "hooks", root)
            problems = sum(line.startswith("problem") for line in new)
            if old == new:
                print(f"{name}: identical ({new[0]}, {problems} problems, "
                      f"{sum(line.startswith('item') for line in new)} items)")
                continue
            differ = True
            print(f"{name}: DIFFERENT")
            for line in list(difflib.unified_diff(old, new, ref_commit[:12], "worktree", n=0, lineterm=""))[:40]:
                print("  " + line[:300])
        shutil.rmtree(work, ignore_errors=True)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
