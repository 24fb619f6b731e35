"""The web editor against a forge: Decap CMS's ``forgejo`` backend, as the built /admin/ runs it,
logs in through the forge's OAuth2 PKCE flow and saves a new 通知 as a ``cms/…`` branch with a
pull request to main (``publish_mode: editorial_workflow``), against the Forgejo stand-in of
tests/fake_forge.py whose answers keep Forgejo's recorded shapes (tests/data/forge/forgejo/)."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import shutil
import threading
import urllib.error
import urllib.request

import pytest
import yaml
from conftest import ROOT, copy_project, mkdocs_build
from fake_forge import DATA, ForgejoFake, conforms, shape
from sitekit import git, gongkai

PACKAGE = ROOT / "cms/node_modules/decap-cms"
APP_ID = "6f1c2a9e-gongkai-cms"
TITLE = "关于开展2026年冬季农村人居环境整治的通知"
INDEX_NO = "002501002/2026-00031"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def forge_site(tmp_path):
    """A clone of the sample behind a Forgejo stand-in, and the built site whose site.yml points
    the web editor at that forge, served on another port (another origin, as in real life)."""
    assert (PACKAGE / "dist/decap-cms.js").is_file(), "the web editor is not installed: run `make cms`"
    forge = ForgejoFake(tmp_path / "forge.git", "qinghe", "xxgk", APP_ID)
    url = forge.start()
    project = copy_project(tmp_path / "p")
    with (project / "catalog/site.yml").open("a", encoding="utf-8") as fh:
        fh.write(f"cms: {{backend: forgejo, repo: qinghe/xxgk, base_url: '{url}', app_id: {APP_ID}}}\n")
    assert gongkai("cms-config", str(project)).returncode == 0
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=陈建华", "-c", "user.email=chenjh@qinghe.example.gov.cn", "add", "-A")
    git(project, "-c", "user.name=陈建华", "-c", "user.email=chenjh@qinghe.example.gov.cn",
        "commit", "-q", "-m", "网站", date="2026-11-20")
    git(tmp_path, "clone", "-q", "--bare", str(project), str(tmp_path / "forge.git"))
    shutil.copytree(PACKAGE, project / "cms/node_modules/decap-cms", ignore=shutil.ignore_patterns("*.map"))
    out = tmp_path / "site"
    mkdocs_build(project, out)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    admin = f"http://127.0.0.1:{server.server_address[1]}/admin/"
    forge.redirect_uris.append(admin)
    yield forge, admin
    server.shutdown()
    forge.stop()


def test_the_recorded_shapes_are_forgejo_s_definitions():
    """Each recorded example has exactly the keys and types of its definition in Forgejo's
    swagger, so the stand-in's answers start from what Forgejo sends."""
    kinds = json.loads((DATA / "definitions.json").read_text(encoding="utf-8"))
    assert kinds["source"].startswith("Forgejo API swagger")
    named = {"user": "User", "repository": "Repository", "branch": "Branch", "git_tree": "GitTreeResponse",
             "git_entry": "GitEntry", "git_blob": "GitBlobResponse", "contents": "ContentsResponse",
             "files_response": "FilesResponse", "commit": "Commit", "pull_request": "PullRequest",
             "label": "Label", "compare": "Compare", "commit_affected_file": "CommitAffectedFiles",
             "changed_file": "ChangedFile", "api_error": "APIError"}
    assert {p.stem for p in DATA.glob("*.json")} - {"definitions"} == set(named)
    for name, definition in named.items():
        assert conforms(shape(name), definition) == [], name
    broken = shape("branch") | {"commit": {"id": 1}}
    assert ".commit.id: not string" in conforms(broken, "Branch")
    assert any("missing" in p for p in conforms(broken, "Branch"))


def _front_matter(text: str) -> dict:
    assert text.startswith("---\n"), text[:80]
    return yaml.safe_load(text.split("\n---", 2)[0][4:])


def _empty(value) -> bool:
    return value in ("", None, [], {}) or isinstance(value, dict) and any(_empty(v) for v in value.values())


def test_a_new_notice_saved_in_the_editor_is_a_branch_and_a_pull_request_that_passes_check(
        forge_site, open_tab, tmp_path):
    forge, admin = forge_site
    tab = open_tab()
    # Decap probes for the branch and the file before creating them: Forgejo answers 404, which
    # the browser logs; every other problem still fails the test below
    tab.log.expected = True
    page = tab.page
    page.goto(admin)
    page.get_by_role("button", name="使用 Forgejo 登录", exact=True).click()  # PKCE: to the forge's authorize page and back
    page.get_by_text("青禾县乡村振兴局").first.click()
    page.get_by_role("link", name="条目").click()
    page.get_by_label("索引号", exact=True).fill(INDEX_NO)
    page.get_by_label("标题", exact=True).fill(TITLE)
    page.get_by_label("目录", exact=True).click()
    page.get_by_text("通知公告（tzgg）", exact=True).click()
    page.get_by_label("成文日期", exact=True).fill("2026-12-01")
    page.get_by_label("发布日期", exact=True).fill("2026-12-02")
    # not yet reviewed: saved as a draft, as check's message asks, until the reviewer signs 审查
    page.get_by_label("草稿 (可选)", exact=True).click()
    body = page.locator("[data-slate-editor=true]").first
    body.click()
    body.type("各乡镇（街道）：现将有关事项通知如下。")
    with page.expect_response(lambda r: r.request.method == "PUT" and "/labels" in r.url) as labelled:
        page.get_by_role("button", name="保存").first.click()
    assert labelled.value.status == 200

    # a branch cms/… holding the item, and a pull request from it to main, labelled as Decap's draft
    branches = forge.git.text("for-each-ref", "--format=%(refname:short)", "refs/heads/cms/").split()
    assert len(branches) == 1 and branches[0].startswith("cms/xczx/"), branches
    changed = forge.git.text("diff", "--name-only", "main", branches[0]).splitlines()
    assert len(changed) == 1 and changed[0].startswith("content/xczx/2026/") and changed[0].endswith("/index.md")
    [pull] = forge.pulls
    assert pull["state"] == "open" and pull["base"]["ref"] == "main" and pull["head"]["ref"] == branches[0]
    assert [label["name"] for label in pull["labels"]] == ["decap-cms/draft"]
    assert pull["head"]["sha"] == forge.git.commit_of(branches[0])

    # what Decap wrote: the Chinese keys, no field left empty
    text = forge.git.run("show", f"{branches[0]}:{changed[0]}").decode("utf-8")
    meta = _front_matter(text)
    assert meta["标题"] == TITLE and meta["索引号"] == INDEX_NO and meta["目录"] == "tzgg"
    assert meta["草稿"] is True
    assert all(not key.isascii() for key in meta), sorted(meta)
    assert [key for key, value in meta.items() if _empty(value)] == []

    # the branch passes gongkai check as the pull request's pipeline would run it
    work = tmp_path / "pr"
    git(tmp_path, "clone", "-q", "--branch", branches[0], str(forge.git.root), str(work))
    result = gongkai("check", str(work))
    assert result.returncode == 0, result.stdout + result.stderr

    # the login went through the forge's OAuth2 application, and only to 127.0.0.1
    authorize = forge.oauth[0]
    assert authorize["client_id"] == APP_ID and authorize["redirect_uri"] == admin
    assert authorize["scope"] == "repository"
    assert tab.log.foreign_requests == [] and tab.log.popups == [] and tab.log.dialogs == []
    assert forge.unknown == []
    # the save, call by call, as decap-cms-backend-forgejo 3.4.3 makes it
    assert [kind for kind, _ in forge.posted] == ["POST branches", "POST contents", "POST pulls", "POST labels",
                                                  "PUT issues/labels"]
    made, wrote, opened = (body for _, body in forge.posted[:3])
    assert made == {"new_branch_name": branches[0], "old_ref_name": "main"}
    assert wrote["branch"] == branches[0] and [(f["operation"], f["path"]) for f in wrote["files"]] == [
        ("create", changed[0])]
    assert opened["head"] == f"qinghe:{branches[0]}" and opened["base"] == "main"
    wrong = [f"{d}: {p}" for d, answer in forge.answers for p in conforms(answer, d)]
    assert wrong == []
    assert [e for e in tab.log.console_errors if "status of 404" not in e] == []
    probes = [r for r in tab.log.bad_responses
              if not (r.startswith("404 ") and ("/branches/cms%2F" in r or "/contents/content/xczx/" in r))]
    assert probes == []


def _call(url: str, method: str = "GET", body: dict | None = None, token: str | None = None):
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"token {token}"} if token else {})})

    class _Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    try:
        with urllib.request.build_opener(_Stay).open(request) as answer:
            return answer.status, answer.headers, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, error.headers, json.loads(raw) if raw.startswith(b"{") else raw.decode()


def test_the_stand_in_refuses_what_forgejo_refuses(tmp_path):
    """The browser test proves little unless the stand-in is as strict as Forgejo: a login with
    another redirect URL or a wrong PKCE verifier gets no token, the API wants the token, and a
    commit naming a stale blob or re-creating a file is refused whole."""
    repo = tmp_path / "forge.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(repo))
    work = tmp_path / "w"
    git(tmp_path, "init", "-q", "-b", "main", str(work))
    (work / "a.md").write_text("甲\n", encoding="utf-8")
    git(work, "add", "a.md")
    git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "a")
    git(work, "push", "-q", str(repo), "main")
    forge = ForgejoFake(repo, "qinghe", "xxgk", APP_ID)
    url = forge.start()
    forge.redirect_uris.append("http://127.0.0.1:1/admin/")
    try:
        verifier = "v" * 64
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        ask = {"client_id": APP_ID, "response_type": "code", "scope": "repository", "state": "s",
               "code_challenge_method": "S256", "code_challenge": challenge}
        query = "&".join(f"{k}={v}" for k, v in ask.items())
        assert _call(f"{url}/login/oauth/authorize?{query}&redirect_uri=http://127.0.0.1:2/admin/")[0] == 400
        status, headers, _ = _call(f"{url}/login/oauth/authorize?{query}&redirect_uri=http://127.0.0.1:1/admin/")
        assert status == 303
        code = headers["Location"].split("code=")[1].split("&")[0]
        grant = {"client_id": APP_ID, "code": code, "grant_type": "authorization_code",
                 "redirect_uri": "http://127.0.0.1:1/admin/", "code_verifier": "w" * 64}
        assert _call(f"{url}/login/oauth/access_token", "POST", grant)[0] == 400
        assert _call(f"{url}/login/oauth/access_token", "POST", grant | {"code_verifier": verifier})[0] == 400, \
            "a code is good for one exchange only"
        status, headers, _ = _call(f"{url}/login/oauth/authorize?{query}&redirect_uri=http://127.0.0.1:1/admin/")
        grant["code"] = headers["Location"].split("code=")[1].split("&")[0]
        status, _, token = _call(f"{url}/login/oauth/access_token", "POST", grant | {"code_verifier": verifier})
        assert status == 200 and token["token_type"] == "bearer"

        api = f"{url}/api/v1/repos/qinghe/xxgk"
        assert _call(f"{api}/branches/main")[0] == 401
        head = forge.git.commit_of("main")
        stale = {"branch": "main", "message": "m", "files": [
            {"operation": "update", "path": "a.md", "sha": "0" * 40, "content": base64.b64encode(b"x").decode()}]}
        again = {"branch": "main", "message": "m", "files": [
            {"operation": "create", "path": "a.md", "content": base64.b64encode(b"x").decode()}]}
        for body in (stale, again):
            status, _, answer = _call(f"{api}/contents", "POST", body, token["access_token"])
            assert status == 422 and conforms(answer, "APIError") == []
        assert forge.git.commit_of("main") == head
        assert forge.unknown == []
    finally:
        forge.stop()
