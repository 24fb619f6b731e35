"""What a forge says about one pull (merge) request: its author, its commits' authors, the
files it changes and who approved it, read through the forge's REST API.

GitHub, Gitea/Forgejo and GitLab each get one reader; all return the same ``PullFacts``, so
the rule in ``review.approvals`` never knows which forge it is judging. Standard library
only; the HTTP transport is a parameter so tests can answer from recorded API responses.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Forge = Literal["github", "gitea", "gitlab"]
FORGES: tuple[Forge, ...] = ("github", "gitea", "gitlab")
#: what a transport does: GET ``url`` with ``headers``, the decoded JSON answer
Transport = Callable[[str, dict[str, str]], Any]

PER_PAGE = 100
#: GitHub lists at most 3,000 files and 250 commits of a pull request; past this we would be
#: judging a part of the change, so reading stops with an error instead
MAX_PAGES = 30


class ForgeReadError(Exception):
    """The forge could not be asked or did not answer as expected (message in Chinese)."""


@dataclass(frozen=True)
class CommitAuthor:
    sha: str
    #: the forge account the commit is attributed to, lower-case; None when the forge could not
    #: tie the commit's e-mail to an account (always on GitLab, which lists only git's fields)
    login: str | None
    name: str
    email: str


#: approved, or why an approval does not count: dismissed, stale (made on an older commit)
ReviewState = Literal["approved", "dismissed", "stale", "changes_requested"]


@dataclass(frozen=True)
class Review:
    user: str  # lower-case login
    state: ReviewState


@dataclass(frozen=True)
class PullFacts:
    forge: Forge
    number: int
    author: str  # lower-case login of whoever opened it
    head_sha: str
    files: tuple[str, ...]  # every path the change touches, old and new names of a move
    commits: tuple[CommitAuthor, ...]
    reviews: tuple[Review, ...]  # each user's latest decision only
    #: what this forge's answers cannot tell, said in the report
    caveats: tuple[str, ...] = ()


def urllib_transport(url: str, headers: dict[str, str]) -> Any:
    req = urllib.request.Request(url, method="GET", headers={"Accept": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read().decode("utf-8") or "null")
    except urllib.error.HTTPError as exc:
        raise ForgeReadError(f"读取 {url} 失败：HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ForgeReadError(f"读取 {url} 失败：{getattr(exc, 'reason', exc)}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ForgeReadError(f"读取 {url} 失败：返回的不是 JSON") from None


def _auth(forge: Forge, token: str) -> dict[str, str]:
    if forge == "github":
        return {"Authorization": f"Bearer {token}", "X-GitHub-Api-Version": "2022-11-28"}
    if forge == "gitea":
        return {"Authorization": f"token {token}"}
    return {"PRIVATE-TOKEN": token}


class _Client:
    def __init__(self, api: str, forge: Forge, token: str, transport: Transport):
        self.api = api.rstrip("/")
        self.headers = _auth(forge, token)
        self.transport = transport
        self.size_key = "limit" if forge == "gitea" else "per_page"

    def one(self, path: str) -> dict[str, Any]:
        data = self.transport(self.api + path, self.headers)
        if not isinstance(data, dict):
            raise ForgeReadError(f"{self.api}{path} 返回的不是一个对象")
        return data

    def all(self, path: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            sep = "&" if "?" in path else "?"
            data = self.transport(f"{self.api}{path}{sep}{self.size_key}={PER_PAGE}&page={page}",
                                  self.headers)
            if not isinstance(data, list):
                raise ForgeReadError(f"{self.api}{path} 返回的不是列表")
            out += [d for d in data if isinstance(d, dict)]
            if len(data) < PER_PAGE:
                return out
        raise ForgeReadError(f"{self.api}{path} 超过 {MAX_PAGES * PER_PAGE} 条，无法完整读取")


def _login(user: Any) -> str | None:
    if isinstance(user, dict):
        name = user.get("login") or user.get("username")
        if isinstance(name, str) and name:
            return name.lower()
    return None


def _git_author(c: dict[str, Any]) -> tuple[str, str]:
    who = (c.get("commit") or {}).get("author") or {}
    return str(who.get("name") or ""), str(who.get("email") or "")


def _changed(entries: list[dict[str, Any]], new: str, old: str) -> tuple[str, ...]:
    paths: list[str] = []
    for e in entries:
        for key in (new, old):
            value = e.get(key)
            if isinstance(value, str) and value and value not in paths:
                paths.append(value)
    return tuple(paths)


def _latest(decisions: list[tuple[str, ReviewState]]) -> tuple[Review, ...]:
    """Each user's last decision; a plain comment after an approval leaves it standing."""
    last: dict[str, ReviewState] = {}
    for user, state in decisions:
        last[user] = state
    return tuple(Review(u, s) for u, s in last.items())


def _github(c: _Client, repo: str, number: int) -> PullFacts:
    base = f"/repos/{repo}/pulls/{number}"
    pull = c.one(base)
    head = str((pull.get("head") or {}).get("sha") or "")
    decisions: list[tuple[str, ReviewState]] = []
    for r in c.all(f"{base}/reviews"):  # chronological
        user, state = _login(r.get("user")), str(r.get("state") or "").upper()
        if user is None:
            continue
        if state == "APPROVED":
            decisions.append((user, "approved" if r.get("commit_id") == head else "stale"))
        elif state == "DISMISSED":
            decisions.append((user, "dismissed"))
        elif state == "CHANGES_REQUESTED":
            decisions.append((user, "changes_requested"))
    commits = tuple(CommitAuthor(str(x.get("sha") or ""), _login(x.get("author")), *_git_author(x))
                    for x in c.all(f"{base}/commits"))
    return PullFacts("github", number, _login(pull.get("user")) or "", head,
                     _changed(c.all(f"{base}/files"), "filename", "previous_filename"), commits,
                     _latest(decisions))


def _gitea(c: _Client, repo: str, number: int) -> PullFacts:
    base = f"/repos/{repo}/pulls/{number}"
    pull = c.one(base)
    head = str((pull.get("head") or {}).get("sha") or "")
    decisions: list[tuple[str, ReviewState]] = []
    for r in c.all(f"{base}/reviews"):
        user, state = _login(r.get("user")), str(r.get("state") or "").upper()
        if user is None:
            continue
        if state == "APPROVED":
            decisions.append((user, "dismissed" if r.get("dismissed") else
                              "stale" if r.get("stale") else "approved"))
        elif state == "REQUEST_CHANGES":
            decisions.append((user, "dismissed" if r.get("dismissed") else "changes_requested"))
    commits = tuple(CommitAuthor(str(x.get("sha") or ""), _login(x.get("author")), *_git_author(x))
                    for x in c.all(f"{base}/commits"))
    return PullFacts("gitea", number, _login(pull.get("user")) or "", head,
                     _changed(c.all(f"{base}/files"), "filename", "previous_filename"), commits,
                     _latest(decisions))


def _gitlab(c: _Client, project: str, number: int) -> PullFacts:
    base = f"/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{number}"
    mr = c.one(base)
    approvals = c.one(f"{base}/approvals")
    reviews = tuple(Review(u, "approved") for entry in approvals.get("approved_by") or []
                    if isinstance(entry, dict) and (u := _login(entry.get("user"))))
    commits = tuple(CommitAuthor(str(x.get("id") or ""), None, str(x.get("author_name") or ""),
                                 str(x.get("author_email") or "")) for x in c.all(f"{base}/commits"))
    return PullFacts("gitlab", number, _login(mr.get("author")) or "", str(mr.get("sha") or ""),
                     _changed(c.all(f"{base}/diffs"), "new_path", "old_path"), commits, reviews,
                     ("GitLab 的批准记录不说明批准的是哪一次提交：请在项目的合并请求设置中开启"
                      "“添加提交时移除所有批准”（Remove all approvals when commits are added），"
                      "否则批准之后推送的内容也会被算作已批准",
                      "GitLab 只列出提交的 git 作者姓名和邮箱，提交作者按姓名、邮箱与目录中登记的人比对"))


READERS: dict[Forge, Callable[[_Client, str, int], PullFacts]] = {
    "github": _github, "gitea": _gitea, "gitlab": _gitlab}


def read_pull(forge: Forge, api: str, repo: str, number: int, token: str,
              transport: Transport = urllib_transport) -> PullFacts:
    """Everything ``review.approvals`` needs about pull request ``number`` of ``repo``
    (GitLab: the project's path or id); raises ForgeReadError."""
    return READERS[forge](_Client(api, forge, token, transport), repo, number)
