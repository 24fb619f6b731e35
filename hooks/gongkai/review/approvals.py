"""Whether a pull request carries the approvals the catalog asks for.

Every changed file belongs to a group: an agency's folder ``content/<slug>/`` needs one of
that agency's ``reviewers``; the shared folders (rules pages, annual reports) the reviewers of
the site's owner (``site.yml`` ``owner``); the catalog both the owner's reviewers (it changes
what is published) and a site publisher; everything else (theme, configuration, workflows,
gongkai's own code) a publisher (``site.yml`` ``publishers``). An approval counts only from
such a person who is neither the pull request's author nor the author of any of its commits,
and only while it stands (not dismissed, not made on an older commit).

Who is who is read from the catalog of the trusted checkout (the protected base branch in the
review job), as plain data, so a pull request cannot name its own approvers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from gongkai.review.pull_facts import PullFacts

AGENCIES = "catalog/agencies.yml"
SITE = "catalog/site.yml"
#: folders under content/ the whole site shares: the site owner's
SHARED_FOLDERS = ("pages", "annual")
#: what only a publisher may change (the same list CODEOWNERS gives the publishers)
PUBLISHER_PATHS = ("hooks/", "overrides/", "mkdocs.yml", "Makefile", "pyproject.toml", ".github/",
                   ".gitea/", ".gitlab/", ".ci/", "catalog/")


class CatalogUnreadable(Exception):
    """The trusted catalog could not be read (message in Chinese)."""


@dataclass(frozen=True)
class Person:
    user: str  # lower-case forge login
    name: str

    def label(self) -> str:
        return f"{self.name}（{self.user}）" if self.name else self.user


@dataclass
class Group:
    """Files one set of people must approve."""

    title: str  # 青禾县乡村振兴局（content/xczx/）
    who: str  # how the approvers are called: 该机构的审查人, 网站发布人
    approvers: tuple[Person, ...]
    #: where the approvers are listed, named when nobody is
    catalog_key: str
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class People:
    owner: str
    publishers: tuple[Person, ...]
    #: agency slug -> (name, reviewers)
    agencies: dict[str, tuple[str, tuple[Person, ...]]]


def _people(value: Any) -> tuple[Person, ...]:
    """``[{user, name}]`` as the people branch writes it; anything else is nobody."""
    out: list[Person] = []
    for entry in value if isinstance(value, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("user"), str) and entry["user"].strip():
            out.append(Person(entry["user"].strip().removeprefix("@").lower(),
                              str(entry.get("name") or "").strip()))
    return tuple(out)


def _yaml(root: Path, rel: str) -> Any:
    try:
        return yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CatalogUnreadable(f"无法读取 {rel}：{exc}") from None


def read_people(root: Path) -> People:
    """Publishers, and each agency's reviewers, from the catalog at ``root``."""
    site = _yaml(root, SITE)
    data = _yaml(root, AGENCIES)
    site = site if isinstance(site, dict) else {}
    rows = data.get("agencies") if isinstance(data, dict) else data
    agencies: dict[str, tuple[str, tuple[Person, ...]]] = {}
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, dict) and isinstance(row.get("slug"), str):
            agencies[row["slug"]] = (str(row.get("name") or row["slug"]), _people(row.get("reviewers")))
    return People(str(site.get("owner") or ""), _people(site.get("publishers")), agencies)


def _owner_group(people: People) -> Group | None:
    for slug, (name, reviewers) in people.agencies.items():
        if name == people.owner:
            return Group(f"{name}（网站主办单位：共用栏目 content/pages/、content/annual/ 和目录）",
                         "主办单位的审查人", reviewers, f"{AGENCIES} 中“{name}”（slug: {slug}）的 reviewers")
    return None


def group_files(files: tuple[str, ...], people: People) -> list[Group]:
    """The groups the changed ``files`` fall into, each listing its files, in a fixed order."""
    publishers = Group("主题、配置、流水线与程序代码", "网站发布人", people.publishers, f"{SITE} 的 publishers")
    owner = _owner_group(people)
    agencies = {slug: Group(f"{name}（content/{slug}/）", "该机构的审查人", reviewers,
                            f"{AGENCIES} 中“{name}”（slug: {slug}）的 reviewers")
                for slug, (name, reviewers) in people.agencies.items()}
    for path in files:
        parts = PurePosixPath(path).parts
        targets: list[Group] = []
        if len(parts) >= 3 and parts[0] == "content" and parts[1] in agencies \
                and parts[1] not in SHARED_FOLDERS:
            targets.append(agencies[parts[1]])
        elif len(parts) >= 3 and parts[0] == "content" and parts[1] in SHARED_FOLDERS and owner:
            targets.append(owner)
        elif path.startswith("catalog/") and owner:
            targets += [owner, publishers]  # what it publishes, and what it configures
        else:  # theme, configuration, code, and anything not one agency's: the publishers
            targets.append(publishers)
        for g in targets:
            g.files.append(path)
    ordered = sorted(agencies.values(), key=lambda g: g.title)
    return [g for g in ([owner] if owner else []) + ordered + [publishers] if g.files]


@dataclass(frozen=True)
class Verdict:
    group: Group
    approved_by: tuple[Person, ...]
    #: why an approval from someone on the list did not count, or what is missing
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return bool(self.approved_by)


def _is_author(p: Person, facts: PullFacts) -> bool:
    if p.user == facts.author:
        return True
    for c in facts.commits:
        if c.login is not None:
            if c.login == p.user:
                return True
            continue
        # no account behind the commit: compare what git recorded with the catalog
        local = c.email.split("@", 1)[0].split("+", 1)[-1].lower()
        if c.name and c.name.strip().lower() in {p.user, p.name.lower()} or local == p.user:
            return True
    return False


_STATES = {"dismissed": "已被撤销（dismissed）", "stale": "是在较早的提交上作出的，之后又有新的提交",
           "changes_requested": "要求修改（未批准）"}


def judge(group: Group, facts: PullFacts) -> Verdict:
    decided = {r.user: r.state for r in facts.reviews}
    approved: list[Person] = []
    notes: list[str] = []
    if not group.approvers:
        notes.append(f"目录中没有登记{group.who}，无人能批准：请在 {group.catalog_key} 中填写"
                     "（[{user: 平台用户名, name: 姓名}]）")
    for p in group.approvers:
        state = decided.get(p.user)
        if state is None:
            continue
        if state != "approved":
            notes.append(f"{p.label()} 的批准不算：{_STATES[state]}")
        elif _is_author(p, facts):
            notes.append(f"{p.label()} 的批准不算：他/她是本次变更的作者（发起人或提交作者），不能批准自己的变更")
        else:
            approved.append(p)
    listed = {p.user for p in group.approvers}
    others = sorted(u for u, s in decided.items() if s == "approved" and u not in listed)
    if others and not approved:
        notes.append(f"{'、'.join(others)} 的批准不算：不是{group.who}")
    return Verdict(group, tuple(approved), tuple(notes))


def shown(path: str) -> str:
    """An author-chosen file name as plain text in Markdown: control characters made
    visible, HTML and Markdown punctuation escaped, so a name cannot shape the report."""
    escaped = re.sub(r"([\\`*_{}\[\]|<>~&])", r"\\\1", path)
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)


def _short(files: list[str]) -> str:
    shown_ = "、".join(shown(f) for f in files[:5])
    return shown_ + (f" 等 {len(files)} 个文件" if len(files) > 5 else "")


def report(facts: PullFacts, verdicts: list[Verdict]) -> str:
    """The Chinese report: one line per group, what is missing, and the caveats."""
    lines = [f"### 批准核对（合并请求 #{facts.number}）", ""]
    for v in verdicts:
        g = v.group
        if v.ok:
            lines.append(f"- ✅ {g.title}：已由 {'、'.join(p.label() for p in v.approved_by)} 批准。"
                         f"文件：{_short(g.files)}")
        else:
            need = "、".join(p.label() for p in g.approvers) or "（未登记）"
            lines.append(f"- ❌ {g.title}：须由{g.who}之一批准（{need}），且不能是本次变更的作者。"
                         f"文件：{_short(g.files)}")
        lines += [f"  - {n}" for n in v.notes]
    if not verdicts:
        lines.append("- 本次变更没有改动任何文件。")
    lines += [f"- ⚠️ {c}" for c in facts.caveats]
    ok = all(v.ok for v in verdicts)
    lines += ["", "✅ 每一组变更都有相应的人批准。" if ok else
              "❌ 还缺少上面标 ❌ 的批准：在批准之前不能合并。", ""]
    return "\n".join(lines)


def check_approvals(facts: PullFacts, people: People) -> tuple[bool, str]:
    verdicts = [judge(g, facts) for g in group_files(facts.files, people)]
    return all(v.ok for v in verdicts), report(facts, verdicts)
