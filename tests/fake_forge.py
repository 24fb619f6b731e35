"""A Forgejo stand-in on 127.0.0.1 for the web editor's tests: the OAuth2 PKCE login and the
REST endpoints Decap CMS's ``forgejo`` backend (decap-cms-backend-forgejo 3.4.3, bundled in
decap-cms 3.16.3) calls in ``publish_mode: editorial_workflow``, answered over a real git
repository so branches, blobs, trees, commits and pull requests are what git says.

Every JSON answer starts from a recorded example of Forgejo's own shape
(``tests/data/forge/forgejo/*.json``, written from the definitions of Forgejo's API swagger that
``definitions.json`` keeps) with this repository's values filled in; ``conforms`` checks any
answer against those definitions, so the stand-in cannot drift from what Forgejo returns.
Requests Forgejo would answer but this stand-in does not know are answered 404 and listed in
``unknown``, so a test sees when Decap starts calling something new.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import http.server
import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

DATA = Path(__file__).parent / "data" / "forge" / "forgejo"
#: Forgejo's setting.API.DefaultGitTreesPerPage: a tree listing longer than this is cut and
#: says ``truncated`` (Decap 3.16.3 reads only the first page: a repository of more entries
#: loses the rest from the editor's lists)
TREE_PAGE = 1000
_EPOCH = "0001-01-01T00:00:00Z"


def shape(name: str) -> Any:
    """A fresh copy of the recorded example ``name`` (tests/data/forge/forgejo/<name>.json)."""
    return copy.deepcopy(_SHAPES[name])


_SHAPES = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in DATA.glob("*.json")
           if p.stem != "definitions"}
_DEFINITIONS = json.loads((DATA / "definitions.json").read_text(encoding="utf-8"))["definitions"]
_TYPES = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}


def conforms(value: Any, definition: str, where: str = "") -> list[str]:
    """Where ``value`` differs from Forgejo's definition: a key it lacks or does not have, a
    value of another type. ``null`` stands for an unset nested object, as Forgejo writes it."""
    spec = _DEFINITIONS[definition]
    if spec.get("type") == "string":
        return [] if isinstance(value, str) else [f"{where or definition}: not a string"]
    if not isinstance(value, dict):
        return [f"{where or definition}: not an object"]
    props: dict[str, Any] = spec.get("properties", {})
    problems = [f"{where}.{k}: not in {definition}" for k in value.keys() - props.keys()]
    problems += [f"{where}.{k}: missing ({definition})" for k in props.keys() - value.keys()]
    for key, prop in props.items():
        if key not in value or value[key] is None and ("$ref" in prop or prop.get("type") == "string"):
            continue
        inner = value[key]
        if "$ref" in prop:
            problems += conforms(inner, prop["$ref"].rsplit("/", 1)[1], f"{where}.{key}")
        elif not isinstance(inner, _TYPES[prop.get("type", "object")]) or isinstance(inner, bool) \
                and prop.get("type") == "integer":
            problems.append(f"{where}.{key}: not {prop.get('type')}")
        elif prop.get("type") == "array" and "$ref" in prop.get("items", {}):
            item = prop["items"]["$ref"].rsplit("/", 1)[1]
            for n, element in enumerate(inner):
                problems += conforms(element, item, f"{where}.{key}[{n}]")
    return problems


class GitError(Exception):
    pass


@dataclass
class Git:
    """The repository behind the forge (a non-bare clone; only refs and objects are used)."""

    root: Path
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, *args: str, data: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
        result = subprocess.run(["git", "-C", str(self.root), *args], input=data, capture_output=True,
                                env={**os.environ, **(env or {})})
        if result.returncode != 0:
            raise GitError(result.stderr.decode("utf-8", "replace"))
        return result.stdout

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8").strip()

    def commit_of(self, ref: str) -> str | None:
        """The commit a branch name or a commit id names, or None."""
        for name in (f"refs/heads/{ref}", ref):
            try:
                return self.text("rev-parse", "--verify", "-q", f"{name}^{{commit}}")
            except GitError:
                continue
        return None

    def blob_at(self, commit: str, path: str) -> str | None:
        try:
            kind, sha = self.text("ls-tree", "-z", commit, "--", path).split("\t", 1)[0].split()[1:3]
        except (GitError, ValueError):
            return None
        return sha if kind == "blob" else None

    def commit_info(self, sha: str) -> dict[str, str]:
        fields = self.text("show", "-s", "--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B",
                           sha).split("\x00")
        keys = ("sha", "tree", "parents", "an", "ae", "ad", "cn", "ce", "cd", "message")
        return dict(zip(keys, fields, strict=True))


class ForgejoFake:
    """One repository ``owner/name`` on a Forgejo at ``url``, one user whose token it issues
    through the OAuth2 PKCE login of the application ``app_id``."""

    def __init__(self, root: Path, owner: str, name: str, app_id: str,
                 user: dict[str, Any] | None = None) -> None:
        self.git = Git(root)
        self.owner, self.name, self.app_id = owner, name, app_id
        #: the application's registered redirect URIs (Forgejo grants no other)
        self.redirect_uris: list[str] = []
        self.user = shape("user") | {"id": 7, "login": "liuyang", "login_name": "liuyang", "full_name": "刘洋",
                                     "email": "liuyang@qinghe.example.gov.cn", "active": True,
                                     "visibility": "public", "language": "zh-CN"} | (user or {})
        self.token = secrets.token_hex(20)
        self.pulls: list[dict[str, Any]] = []
        self.labels: list[dict[str, Any]] = []
        #: (method, path with query) of every request, in order
        self.requests: list[tuple[str, str]] = []
        #: requests no handler here knows
        self.unknown: list[tuple[str, str]] = []
        #: (definition, answer) of every JSON answer, for ``conforms``
        self.answers: list[tuple[str, Any]] = []
        #: the bodies Decap posted, by "METHOD path"
        self.posted: list[tuple[str, Any]] = []
        #: the OAuth2 requests (authorize query, token body)
        self.oauth: list[dict[str, str]] = []
        self._grants: dict[str, dict[str, str]] = {}
        self._server: http.server.ThreadingHTTPServer | None = None
        self.url = ""

    # --- life cycle ---------------------------------------------------------------------------

    def start(self) -> str:
        forge = self

        class Handler(_Handler):
            pass

        Handler.forge = forge
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- shapes filled with this repository's values ---------------------------------------------

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def repository(self) -> dict[str, Any]:
        owner = shape("user") | {"id": 3, "login": self.owner, "login_name": "", "full_name": self.owner,
                                 "visibility": "public"}
        return shape("repository") | {
            "id": 11, "owner": owner, "name": self.name, "full_name": self.full_name,
            "default_branch": "main", "html_url": f"{self.url}/{self.full_name}",
            "url": f"{self.api}/repos/{self.full_name}", "clone_url": f"{self.url}/{self.full_name}.git",
            "has_pull_requests": True, "has_issues": True, "allow_merge_commits": True,
            "default_merge_style": "merge", "object_format_name": "sha1",
            "permissions": {"admin": False, "push": True, "pull": True},
            "open_pr_counter": sum(p["state"] == "open" for p in self.pulls)}

    def _payload_user(self, name: str, email: str) -> dict[str, str]:
        return {"name": name, "email": email, "username": self.user["login"] if email == self.user["email"] else ""}

    def branch(self, name: str, sha: str) -> dict[str, Any]:
        info = self.git.commit_info(sha)
        commit = shape("branch")["commit"] | {
            "id": sha, "message": info["message"], "url": f"{self.url}/{self.full_name}/commit/{sha}",
            "author": self._payload_user(info["an"], info["ae"]),
            "committer": self._payload_user(info["cn"], info["ce"]), "timestamp": info["cd"]}
        return shape("branch") | {"name": name, "commit": commit, "user_can_push": True,
                                  "user_can_merge": True}

    def commit(self, sha: str) -> dict[str, Any]:
        info = self.git.commit_info(sha)
        out = shape("commit")
        out["commit"] |= {"message": info["message"], "url": f"{self.api}/repos/{self.full_name}/git/commits/{sha}",
                          "author": {"name": info["an"], "email": info["ae"], "date": info["ad"]},
                          "committer": {"name": info["cn"], "email": info["ce"], "date": info["cd"]},
                          "tree": {"sha": info["tree"], "url": "", "created": info["cd"]}}
        out["author"] = out["committer"] = None  # no forge account behind a plain git identity
        return out | {"sha": sha, "created": info["cd"], "html_url": f"{self.url}/{self.full_name}/commit/{sha}",
                      "url": f"{self.api}/repos/{self.full_name}/git/commits/{sha}",
                      "parents": [{"sha": p, "url": "", "created": _EPOCH} for p in info["parents"].split()]}

    def contents(self, path: str, ref: str, blob: str, commit: str) -> dict[str, Any]:
        size = int(self.git.text("cat-file", "-s", blob))
        raw = f"{self.url}/{self.full_name}/raw/branch/{quote(ref)}/{quote(path)}"
        return shape("contents") | {
            "name": path.rsplit("/", 1)[-1], "path": path, "sha": blob, "last_commit_sha": commit,
            "type": "file", "size": size, "encoding": None, "content": None,
            "url": f"{self.api}/repos/{self.full_name}/contents/{quote(path)}?ref={quote(ref)}",
            "html_url": f"{self.url}/{self.full_name}/src/branch/{quote(ref)}/{quote(path)}",
            "git_url": f"{self.api}/repos/{self.full_name}/git/blobs/{blob}", "download_url": raw,
            "_links": {"self": "", "git": f"{self.api}/repos/{self.full_name}/git/blobs/{blob}", "html": ""}}

    def pull(self, number: int) -> dict[str, Any] | None:
        return next((p for p in self.pulls if p["number"] == number), None)

    def refresh_pull(self, pull: dict[str, Any]) -> dict[str, Any]:
        """The pull request's branch heads as git has them now."""
        for side in ("head", "base"):
            sha = self.git.commit_of(pull[side]["ref"])
            pull[side]["sha"] = sha or pull[side]["sha"]
        return pull

    # --- the work behind the endpoints -----------------------------------------------------------

    def change_files(self, branch: str, body: dict[str, Any]) -> tuple[int, Any, str]:
        """POST /repos/{owner}/{repo}/contents: one commit of every operation, refused whole
        (422) when an update's sha is not the file's current blob or a created file exists."""
        with self.git.lock:
            parent = self.git.commit_of(branch)
            if parent is None:
                return 404, self.error(f"branch does not exist [name: {branch}]"), "APIError"
            with tempfile.TemporaryDirectory(prefix="cmsforge-index-") as tmp:
                env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
                self.git.run("read-tree", parent, env=env)
                for op in body.get("files") or []:
                    path, kind = op["path"], op["operation"]
                    current = self.git.blob_at(parent, op.get("from_path") or path)
                    if kind == "create" and current is not None:
                        return 422, self.error(f"repository file already exists [path: {path}]"), "APIError"
                    if kind in ("update", "delete") and (current is None or op.get("sha") != current):
                        return 422, self.error(f"sha does not match [given: {op.get('sha')}]"), "APIError"
                    if op.get("from_path") or kind == "delete":
                        self.git.run("update-index", "--force-remove", "--", op.get("from_path") or path, env=env)
                    if kind != "delete":
                        blob = self.git.run("hash-object", "-w", "--stdin",
                                            data=base64.b64decode(op.get("content") or "")).decode().strip()
                        self.git.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
                tree = self.git.run("write-tree", env=env).decode().strip()
            who = {"GIT_AUTHOR_NAME": self.user["full_name"], "GIT_AUTHOR_EMAIL": self.user["email"],
                   "GIT_COMMITTER_NAME": self.user["full_name"], "GIT_COMMITTER_EMAIL": self.user["email"]}
            sha = self.git.run("commit-tree", tree, "-p", parent, "-m", body.get("message") or "",
                               env=who).decode().strip()
            self.git.run("update-ref", f"refs/heads/{branch}", sha, parent)
        info = self.git.commit_info(sha)
        files = []
        for op in body.get("files") or []:
            blob = self.git.blob_at(sha, op["path"])
            files.append(None if blob is None else self.contents(op["path"], branch, blob, sha))
        commit = shape("files_response")["commit"] | {
            "sha": sha, "message": info["message"], "created": info["cd"],
            "url": f"{self.api}/repos/{self.full_name}/git/commits/{sha}",
            "html_url": f"{self.url}/{self.full_name}/commit/{sha}",
            "author": {"name": info["an"], "email": info["ae"], "date": info["ad"]},
            "committer": {"name": info["cn"], "email": info["ce"], "date": info["cd"]},
            "tree": {"sha": info["tree"], "url": "", "created": info["cd"]},
            "parents": [{"sha": parent, "url": "", "created": _EPOCH}]}
        return 201, shape("files_response") | {"files": files, "commit": commit}, "FilesResponse"

    def create_pull(self, body: dict[str, Any]) -> tuple[int, Any, str]:
        head = str(body.get("head") or "")
        owner, _, ref = head.rpartition(":")
        if owner not in ("", self.owner) or self.git.commit_of(ref) is None:
            return 404, self.error(f"head branch not found [{head}]"), "APIError"
        base = str(body.get("base") or "main")
        if any(p["head"]["ref"] == ref and p["base"]["ref"] == base and p["state"] == "open" for p in self.pulls):
            return 409, self.error("pull request already exists for these targets"), "APIError"
        number = len(self.pulls) + 1
        repo = self.repository()
        now = self.git.commit_info(self.git.commit_of(ref) or "")["cd"]
        pull = shape("pull_request") | {
            "id": 100 + number, "number": number, "title": body.get("title") or "", "body": body.get("body") or "",
            "user": copy.deepcopy(self.user), "state": "open", "labels": [], "mergeable": True,
            "html_url": f"{self.url}/{self.full_name}/pulls/{number}",
            "url": f"{self.url}/{self.full_name}/pulls/{number}",
            "diff_url": f"{self.url}/{self.full_name}/pulls/{number}.diff",
            "patch_url": f"{self.url}/{self.full_name}/pulls/{number}.patch",
            "created_at": now, "updated_at": now, "allow_maintainer_edit": False,
            "head": shape("pull_request")["head"] | {"label": ref, "ref": ref, "sha": "", "repo_id": repo["id"],
                                                     "repo": repo},
            "base": shape("pull_request")["base"] | {"label": base, "ref": base, "sha": "", "repo_id": repo["id"],
                                                     "repo": repo}}
        pull["merge_base"] = self.git.text("merge-base", base, ref) if self.git.commit_of(base) else ""
        self.pulls.append(self.refresh_pull(pull))
        return 201, pull, "PullRequest"

    def compare(self, base: str, head: str) -> tuple[int, Any, str]:
        head_ref = head.rpartition(":")[2]
        old, new = self.git.commit_of(base), self.git.commit_of(head_ref)
        if old is None or new is None:
            return 404, self.error("compare: revision not found"), "APIError"
        shas = self.git.text("rev-list", "--reverse", f"{old}..{new}").split()
        status = {"A": "added", "M": "modified", "D": "removed", "R": "renamed", "C": "copied", "T": "changed"}
        parts = self.git.run("diff", "--name-status", "-z", "--no-renames", f"{old}...{new}").decode("utf-8").split("\0")
        files = [shape("commit_affected_file") | {"filename": path, "status": status.get(code[:1], "changed")}
                 for code, path in zip(parts[0::2], parts[1::2], strict=False) if path]
        return 200, shape("compare") | {"total_commits": len(shas), "commits": [self.commit(s) for s in shas],
                                        "files": files}, "Compare"

    def error(self, message: str) -> dict[str, Any]:
        return shape("api_error") | {"message": message, "url": f"{self.url}/api/swagger"}

    # --- OAuth2 (Forgejo's /login/oauth/authorize and /login/oauth/access_token) -------------

    def authorize(self, query: dict[str, str]) -> str | None:
        """The redirect back to the editor with a code, as Forgejo sends once the user has
        granted the application; None when the request is not one Forgejo would grant."""
        self.oauth.append(dict(query))
        if query.get("client_id") != self.app_id or query.get("response_type") != "code" \
                or query.get("code_challenge_method") != "S256" or not query.get("code_challenge") \
                or query.get("redirect_uri") not in self.redirect_uris:
            return None
        code = secrets.token_hex(16)
        self._grants[code] = query
        return query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})

    def access_token(self, body: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.oauth.append(dict(body))
        grant = self._grants.pop(str(body.get("code")), None)
        verifier = str(body.get("code_verifier") or "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if grant is None or body.get("client_id") != self.app_id or body.get("grant_type") != "authorization_code" \
                or body.get("redirect_uri") != grant["redirect_uri"] or challenge != grant["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "the code or its verifier is wrong"}
        # routers/web/auth/oauth.go AccessTokenResponse (id_token only with the openid scope)
        return 200, {"access_token": self.token, "token_type": "bearer", "expires_in": 3600,
                     "refresh_token": secrets.token_hex(20)}


class _Handler(http.server.BaseHTTPRequestHandler):
    forge: ForgejoFake
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    # --- plumbing --------------------------------------------------------------------------------

    def _cors(self) -> None:
        # what Forgejo's [cors] ENABLED=true sends for an allowed origin (Decap's docs: CORS must be on)
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Credentials", "true")
            self.send_header("Vary", "Origin")

    def _send(self, status: int, body: bytes, kind: str = "application/json;charset=utf-8",
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any, definition: str | None = None) -> None:
        if definition is not None:
            self.forge.answers.append((definition, data))
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else {}

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers") or "")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        forge = self.forge
        forge.requests.append((method, self.path))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            if parts.path == "/login/oauth/authorize" and method == "GET":
                target = forge.authorize(query)
                if target is None:
                    self._send(400, "不是本平台登记的应用".encode(), "text/plain;charset=utf-8")
                else:
                    self._send(303, b"", extra={"Location": target})
                return
            if parts.path == "/login/oauth/access_token" and method == "POST":
                status, data = forge.access_token(self._body())
                self._json(status, data)
                return
            prefix = f"/api/v1/repos/{forge.full_name}"
            if parts.path == "/api/v1/user" and method == "GET":
                self._authorized() and self._json(200, forge.user, "User")
                return
            if parts.path.startswith(prefix + "/") or parts.path == prefix:
                if self._authorized():
                    segments = [unquote(s) for s in parts.path[len(prefix):].split("/")[1:]]
                    self._repo(method, segments, query)
                return
        except GitError as exc:
            self._json(500, forge.error(str(exc)), "APIError")
            return
        forge.unknown.append((method, self.path))
        self._json(404, forge.error("not found"), "APIError")

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") == f"token {self.forge.token}":
            return True
        self._json(401, self.forge.error("token is required"), "APIError")
        return False

    # --- /api/v1/repos/{owner}/{repo}/... --------------------------------------------------------

    def _repo(self, method: str, seg: list[str], query: dict[str, str]) -> None:  # noqa: C901 (one route table)
        forge, git = self.forge, self.forge.git
        route = (method, seg[0] if seg else "", len(seg))
        if route == ("GET", "", 0):
            return self._json(200, forge.repository(), "Repository")
        if route == ("GET", "branches", 2):
            sha = git.commit_of(f"refs/heads/{seg[1]}")
            if sha is None:
                return self._json(404, forge.error(f"branch not found [{seg[1]}]"), "APIError")
            return self._json(200, forge.branch(seg[1], sha), "Branch")
        if route == ("POST", "branches", 1):
            body = self._body()
            forge.posted.append(("POST branches", body))
            name, old = body.get("new_branch_name", ""), body.get("old_ref_name") or body.get("old_branch_name") \
                or "main"
            with git.lock:
                if git.text("branch", "--list", name):
                    return self._json(409, forge.error(f"branch already exists [{name}]"), "APIError")
                base = git.commit_of(old)
                if base is None:
                    return self._json(404, forge.error(f"ref not found [{old}]"), "APIError")
                git.run("branch", name, base)
            return self._json(201, forge.branch(name, base), "Branch")
        if route == ("DELETE", "branches", 2):
            with git.lock:
                if not git.text("branch", "--list", seg[1]):
                    return self._json(404, forge.error("branch not found"), "APIError")
                git.run("branch", "-D", seg[1])
            return self._send(204, b"")
        if route[:2] == ("GET", "git") and len(seg) == 3 and seg[1] == "trees":
            return self._tree(seg[2], query)
        if route[:2] == ("GET", "git") and len(seg) == 3 and seg[1] == "blobs":
            try:
                data = git.run("cat-file", "blob", seg[2])
            except GitError:
                return self._json(404, forge.error("blob not found"), "APIError")
            return self._json(200, shape("git_blob") | {
                "content": base64.b64encode(data).decode(), "encoding": "base64", "sha": seg[2], "size": len(data),
                "url": f"{forge.api}/repos/{forge.full_name}/git/blobs/{seg[2]}"}, "GitBlobResponse")
        if route == ("GET", "commits", 1):
            sha = git.commit_of(query.get("sha") or "main")
            if sha is None:
                return self._json(404, forge.error("ref not found"), "APIError")
            args = ["rev-list", f"--max-count={min(int(query.get('limit') or 50), 50)}", sha]
            shas = git.text(*args, *(["--", query["path"]] if query.get("path") else [])).split()
            answer = [forge.commit(s) for s in shas]
            forge.answers.extend(("Commit", c) for c in answer)
            return self._json(200, answer)
        if route[:2] == ("GET", "contents") and len(seg) >= 2:
            ref = query.get("ref") or "main"
            path = "/".join(seg[1:])
            commit = git.commit_of(ref)
            blob = git.blob_at(commit, path) if commit else None
            if blob is None or commit is None:
                return self._json(404, forge.error(f"object does not exist [id: , rel_path: {path}]"), "APIError")
            return self._json(200, forge.contents(path, ref, blob, commit), "ContentsResponse")
        if route == ("POST", "contents", 1):
            body = self._body()
            forge.posted.append(("POST contents", body))
            status, data, definition = forge.change_files(body.get("branch") or "main", body)
            return self._json(status, data, definition)
        if route == ("GET", "pulls", 1):
            state, base = query.get("state", "open"), query.get("base")
            answer = [forge.refresh_pull(p) for p in forge.pulls
                      if (state == "all" or p["state"] == state) and (base is None or p["base"]["ref"] == base)]
            forge.answers.extend(("PullRequest", p) for p in answer)
            return self._json(200, answer)
        if route == ("POST", "pulls", 1):
            body = self._body()
            forge.posted.append(("POST pulls", body))
            return self._json(*forge.create_pull(body))
        if method == "GET" and seg[:1] == ["pulls"] and len(seg) == 3 and seg[2] == "files":
            pull = forge.pull(int(seg[1])) if seg[1].isdigit() else None
            if pull is None:
                return self._json(404, forge.error("pull request not found"), "APIError")
            _, compared, _ = forge.compare(pull["base"]["ref"], pull["head"]["ref"])
            answer = [shape("changed_file") | {"filename": f["filename"], "status": f["status"]}
                      for f in compared["files"]]
            forge.answers.extend(("ChangedFile", f) for f in answer)
            return self._json(200, answer)
        if route == ("GET", "compare", 2):
            base, _, head = seg[1].partition("...")
            return self._json(*forge.compare(base, head))
        if route == ("GET", "labels", 1):
            forge.answers.extend(("Label", lb) for lb in forge.labels)
            return self._json(200, forge.labels)
        if route == ("POST", "labels", 1):
            body = self._body()
            forge.posted.append(("POST labels", body))
            if not body.get("name") or not re.fullmatch(r"#?[0-9a-fA-F]{6}", str(body.get("color", ""))):
                return self._json(422, forge.error("name and color are required"), "APIError")
            label = shape("label") | {"id": len(forge.labels) + 1, "name": body["name"],
                                      "color": str(body["color"]).lstrip("#"),
                                      "url": f"{forge.api}/repos/{forge.full_name}/labels/{len(forge.labels) + 1}"}
            forge.labels.append(label)
            return self._json(201, label, "Label")
        if method == "PUT" and seg[:1] == ["issues"] and len(seg) == 3 and seg[2] == "labels":
            body = self._body()
            forge.posted.append(("PUT issues/labels", body))
            pull = forge.pull(int(seg[1])) if seg[1].isdigit() else None
            chosen = [lb for lb in forge.labels if lb["id"] in (body.get("labels") or [])]
            if pull is None or len(chosen) != len(body.get("labels") or []):
                return self._json(404, forge.error("issue or label not found"), "APIError")
            pull["labels"] = copy.deepcopy(chosen)
            forge.answers.extend(("Label", lb) for lb in chosen)
            return self._json(200, chosen)
        forge.unknown.append((method, self.path))
        return self._json(404, forge.error("not found"), "APIError")

    def _tree(self, ref: str, query: dict[str, str]) -> None:
        forge, git = self.forge, self.forge.git
        sha = git.commit_of(ref)
        if sha is None:
            return self._json(404, forge.error("sha not found"), "APIError")
        tree = git.text("rev-parse", f"{sha}^{{tree}}")
        flags = ["-r", "-t"] if query.get("recursive") in ("1", "true") else []
        rows = [r for r in git.run("ls-tree", "-l", "-z", *flags, tree).decode("utf-8").split("\0") if r]
        page = max(int(query.get("page") or 1), 1)
        per_page = min(int(query.get("per_page") or TREE_PAGE), TREE_PAGE)
        entries = []
        for row in rows[(page - 1) * per_page:page * per_page]:
            meta, path = row.split("\t", 1)
            mode, kind, obj, size = meta.split()
            entries.append(shape("git_entry") | {
                "path": path, "mode": mode, "type": kind, "sha": obj, "size": 0 if size == "-" else int(size),
                "url": f"{forge.api}/repos/{forge.full_name}/git/{kind}s/{obj}"})
        return self._json(200, shape("git_tree") | {
            "sha": tree, "url": f"{forge.api}/repos/{forge.full_name}/git/trees/{tree}", "tree": entries,
            # as services/repository/files/tree.go sets it: more entries than one page holds, on any page
            "truncated": len(rows) > per_page, "page": page, "total_count": len(rows)}, "GitTreeResponse")
