"""The forges' CODEOWNERS files, generated from the catalog's people, and the check that the
committed copies are current (a stale file would let the wrong people approve a change).

GitHub and GitLab read gitignore-like patterns where the last match wins; Gitea and Forgejo
read ``.gitea/CODEOWNERS`` with Go regular expressions anchored at both ends, every matching
line adding its owners (``!`` negates a line), and ``\\`` escaped as ``\\\\`` by their tokenizer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gongkai.load.owners import PUBLISHER_PATHS, SHARED_FOLDERS, names, people_declared, site_owner
from gongkai.problems import Problem
from gongkai.schema.catalog import Agency, Person, SiteSettings

COMMAND = "gongkai codeowners"
_HEADER = (f"# 由 {COMMAND} 根据 catalog/agencies.yml 和 catalog/site.yml 生成，请勿手工修改：",
           "# 改人员请改 catalog/，再运行该命令并提交本文件（gongkai check 检查它是否最新）。")


@dataclass(frozen=True)
class OwnersFile:
    path: str  # relative to the repository root
    text: str


def _handles(people: Sequence[Person]) -> str:
    return " ".join(f"@{p.user}" for p in people)


def _folders(settings: SiteSettings, agencies: Sequence[Agency]
             ) -> list[tuple[str, str, Sequence[Person]]]:
    """(folder under content/, whose it is, who approves it): an agency without reviewers
    falls back to the publishers, so no folder is ever left without an owner."""
    publishers = settings.publishers
    out: list[tuple[str, str, Sequence[Person]]] = [
        (a.slug, a.name, a.reviewers or publishers) for a in agencies]
    owner = site_owner(settings, agencies)
    for folder in SHARED_FOLDERS:
        out.append((folder, f"主办单位 {settings.owner}",
                    (owner.reviewers if owner is not None else ()) or publishers))
    return out


def github_text(settings: SiteSettings, agencies: Sequence[Agency]) -> str:
    """``.github/CODEOWNERS`` (GitLab reads the same syntax from ``.gitlab/CODEOWNERS``)."""
    publishers = _handles(settings.publishers)
    lines = [*_HEADER, "# 后面的规则优先：先把一切交给发布人，再把各机构的文件夹交给本机构审查人。",
             f"* {publishers}"]
    for folder, whose, people in _folders(settings, agencies):
        lines += [f"# {whose}", f"/content/{folder}/ {_handles(people)}"]
    lines.append("# 目录、程序、主题、构建和平台设置：只由发布人批准")
    lines += [f"/{path} {publishers}" for path in PUBLISHER_PATHS]
    return "\n".join(lines) + "\n"


def _go_regexp(path: str) -> str:
    """A PUBLISHER_PATHS entry as Gitea's anchored regular expression (``\\\\.`` is a dot)."""
    text = path.replace(".", "\\\\.")
    return text + ".*" if text.endswith("/") else text


def gitea_text(settings: SiteSettings, agencies: Sequence[Agency]) -> str:
    """``.gitea/CODEOWNERS`` for Gitea and Forgejo: every matching line adds its owners, so
    the publishers get everything outside content/ by a negated line, not a catch-all."""
    publishers = _handles(settings.publishers)
    lines = [*_HEADER, "# 每行是一个正则表达式（Go 语法，自动首尾锚定），所有匹配的行的人都是代码所有者。",
             f"!content/.* {publishers}"]
    for folder, whose, people in _folders(settings, agencies):
        lines += [f"# {whose}", f"content/{folder}/.* {_handles(people)}"]
    lines.append("# 目录、程序、主题、构建和平台设置：只由发布人批准")
    lines += [f"{_go_regexp(path)} {publishers}" for path in PUBLISHER_PATHS]
    return "\n".join(lines) + "\n"


def owners_files(settings: SiteSettings, agencies: Sequence[Agency]) -> list[OwnersFile]:
    github = github_text(settings, agencies)
    return [OwnersFile(".github/CODEOWNERS", github), OwnersFile(".gitlab/CODEOWNERS", github),
            OwnersFile(".gitea/CODEOWNERS", gitea_text(settings, agencies))]


def codeowners_problems(root: Path, settings: SiteSettings, agencies: Sequence[Agency]) -> list[Problem]:
    """A problem for each CODEOWNERS file that is missing or differs from what the catalog
    says, once people are declared (a site without them has nothing to generate)."""
    if not people_declared(settings, agencies):
        return []
    who = names(settings.publishers)
    out = []
    for wanted in owners_files(settings, agencies):
        path = root / wanted.path
        if path.is_symlink() or not path.is_file():
            state = "缺失"
        else:
            try:
                current = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                current = None
            if current == wanted.text:
                continue
            state = "与 catalog/ 中登记的编辑、审查人、发布人不一致"
        out.append(Problem(wanted.path, None, None,
                           f"{wanted.path} {state}：代码托管平台据此决定谁能批准合并。请网站发布人（{who}）"
                           f"运行 {COMMAND} 重新生成并提交"))
    return out
