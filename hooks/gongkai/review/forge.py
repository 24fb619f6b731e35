"""Post the review diff on a pull request, updating our earlier comment.

GitHub and Gitea share the issue-comment endpoints (Gitea's API mirrors
GitHub's under ``/api/v1``); only the authorisation header differs. Standard
library only, so a pipeline needs nothing beyond the project itself.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from gongkai.review.report import MARKER

#: GitHub rejects comments over 65,536 characters
MAX_BODY = 60_000


class ForgeError(Exception):
    pass


def _request(method: str, url: str, token: str, forge: str, payload: dict | None = None) -> Any:
    headers = {"Accept": "application/json", "Content-Type": "application/json",
               "Authorization": f"Bearer {token}" if forge == "github" else f"token {token}"}
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read().decode("utf-8") or "null")
    except urllib.error.HTTPError as exc:
        raise ForgeError(f"{method} {url} 失败：HTTP {exc.code} {exc.read()[:300]!r}") from None
    except urllib.error.URLError as exc:
        raise ForgeError(f"{method} {url} 失败：{exc.reason}") from None


def fit(body: str) -> str:
    if len(body) <= MAX_BODY:
        return body
    return body[:MAX_BODY] + "\n\n……（报告过长，已截断；完整报告见流水线日志）\n"


def bot_login(api: str, token: str, forge: str) -> str:
    """The account the token belongs to (GitHub and Gitea: ``GET /user``)."""
    me = _request("GET", f"{api.rstrip('/')}/user", token, forge)
    login = me.get("login") if isinstance(me, dict) else None
    if not isinstance(login, str) or not login:
        raise ForgeError("无法从 GET /user 得知令牌所属的账号：请用 --bot-login 写明发评论的账号名")
    return login


def _ours(comment: Any, bot: str) -> bool:
    """The bot's own comment: written by its account AND starting with the marker. A reader
    can start a comment with the marker; only the author field comes from the forge."""
    if not isinstance(comment, dict):
        return False
    user = comment.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    return login == bot and str(comment.get("body", "")).startswith(MARKER)


@dataclass(frozen=True)
class PullRequest:
    api: str  # https://api.github.com, https://gitea.example/api/v1
    repo: str  # owner/name
    number: int
    token: str
    forge: str  # "github" | "gitea"


def post_or_update(pr: PullRequest, body: str, bot: str | None = None) -> str:
    """The URL of the comment, created or replaced in place. ``bot``: the account that
    writes the comment (default: asked of the forge)."""
    api, repo, token, forge = pr.api.rstrip("/"), pr.repo, pr.token, pr.forge
    bot = bot or bot_login(api, token, forge)
    body = fit(body if body.startswith(MARKER) else MARKER + "\n" + body)
    ours = None
    seen: set = set()
    for page in range(1, 21):
        # Gitea ignores paging here and returns every comment; stop when nothing is new
        comments = _request("GET", f"{api}/repos/{repo}/issues/{pr.number}/comments?per_page=50&page={page}",
                            token, forge) or []
        ours = next((c for c in comments if _ours(c, bot)), None)
        ids = {c.get("id") for c in comments if isinstance(c, dict)}
        if ours is not None or len(comments) < 50 or ids <= seen:
            break
        seen |= ids
    if ours is not None:
        result = _request("PATCH", f"{api}/repos/{repo}/issues/comments/{ours['id']}", token, forge,
                          {"body": body})
    else:
        result = _request("POST", f"{api}/repos/{repo}/issues/{pr.number}/comments", token, forge, {"body": body})
    return str((result or {}).get("html_url", ""))
