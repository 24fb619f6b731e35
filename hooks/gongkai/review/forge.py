"""Post the review diff on a pull request, updating our earlier comment.

GitHub and Gitea share the issue-comment endpoints (Gitea's API mirrors
GitHub's under ``/api/v1``); only the authorisation header differs. Standard
library only, so a pipeline needs nothing beyond the project itself.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
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


def post_or_update(api: str, repo: str, pr: int, body: str, token: str, forge: str) -> str:
    """The URL of the comment, created or replaced in place."""
    api = api.rstrip("/")
    body = fit(body if body.startswith(MARKER) else MARKER + "\n" + body)
    ours = None
    seen: set = set()
    for page in range(1, 21):
        # Gitea ignores paging here and returns every comment; stop when nothing is new
        comments = _request("GET", f"{api}/repos/{repo}/issues/{pr}/comments?per_page=50&page={page}",
                            token, forge) or []
        ours = next((c for c in comments if str(c.get("body", "")).startswith(MARKER)), None)
        ids = {c.get("id") for c in comments}
        if ours is not None or len(comments) < 50 or ids <= seen:
            break
        seen |= ids
    if ours is not None:
        result = _request("PATCH", f"{api}/repos/{repo}/issues/comments/{ours['id']}", token, forge,
                          {"body": body})
    else:
        result = _request("POST", f"{api}/repos/{repo}/issues/{pr}/comments", token, forge, {"body": body})
    return str((result or {}).get("html_url", ""))
