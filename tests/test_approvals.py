"""``gongkai approvals`` against forge API answers shaped as GitHub, Gitea/Forgejo and GitLab
give them (tests/data/forge/), served over real HTTP on 127.0.0.1.

The pull request: 刘洋 (liuyang, an editor of 乡村振兴局) adds an item under content/xczx/.
王丽 (wangli) reviews for 乡村振兴局, 周敏 (zhoumin) for 县政府办公室 (the site's owner),
陈建华 (chenjh) is the site's publisher.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai.cli.main import main

DATA = Path(__file__).parent / "data" / "forge"

SITE_YML = """\
title: 青禾县人民政府信息公开
owner: 青禾县人民政府办公室
publishers:
  - {user: chenjh, name: 陈建华}
"""
AGENCIES_YML = """\
agencies:
  - name: 青禾县人民政府办公室
    slug: zfb
    reviewers: [{user: zhoumin, name: 周敏}]
  - name: 青禾县乡村振兴局
    slug: xczx
    editors: [{user: liuyang, name: 刘洋}]
    reviewers: [{user: wangli, name: 王丽}]
"""

PULL = {"github": "/repos/qinghe/xxgk/pulls/7", "gitea": "/api/v1/repos/qinghe/xxgk/pulls/7",
        "gitlab": "/api/v4/projects/qinghe%2Fxxgk/merge_requests/7"}
API = {"github": "", "gitea": "/api/v1", "gitlab": "/api/v4"}


def routes(forge: str, reviews: str, files: str = "", commits: str = "") -> dict[str, Path]:
    """URL path -> recorded answer, for one scenario."""
    base, d = PULL[forge], DATA / forge
    if forge == "gitlab":
        return {base: d / "merge_request.json", base + "/approvals": d / f"approvals-{reviews}.json",
                base + "/commits": d / f"commits{commits}.json", base + "/diffs": d / f"diffs{files}.json"}
    return {base: d / "pull.json", base + "/reviews": d / f"reviews-{reviews}.json",
            base + "/commits": d / f"commits{commits}.json", base + "/files": d / f"files{files}.json"}


class Forge:
    def __init__(self) -> None:
        self.routes: dict[str, Path] = {}
        self.headers: list[dict[str, str]] = []
        forge = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                forge.headers.append(dict(self.headers))
                answer = forge.routes.get(path)
                body = answer.read_bytes() if answer else b'{"message": "Not Found"}'
                self.send_response(200 if answer else 404)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def forge() -> Iterator[Forge]:
    f = Forge()
    thread = threading.Thread(target=f.server.serve_forever, daemon=True)
    thread.start()
    yield f
    f.server.shutdown()
    f.server.server_close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "site.yml").write_text(SITE_YML, encoding="utf-8")
    (tmp_path / "catalog" / "agencies.yml").write_text(AGENCIES_YML, encoding="utf-8")
    return tmp_path


def run(forge_name: str, f: Forge, site: Path, capsys, monkeypatch, token: str | None = "t0ken") -> tuple[int, str]:
    if token is None:
        monkeypatch.delenv("GONGKAI_FORGE_TOKEN", raising=False)
    else:
        monkeypatch.setenv("GONGKAI_FORGE_TOKEN", token)
    repo = "qinghe/xxgk"
    code = main(["approvals", "--forge", forge_name, "--api", f.url + API[forge_name], "--repo", repo,
                 "--pr", "7", "--path", str(site)])
    return code, capsys.readouterr().out


FORGES = ("github", "gitea", "gitlab")


@pytest.mark.parametrize("name", FORGES)
def test_approval_by_the_agencys_reviewer_passes(name, forge, site, capsys, monkeypatch):
    forge.routes = routes(name, "agency-reviewer")
    code, out = run(name, forge, site, capsys, monkeypatch)
    assert code == 0, out
    assert "✅ 青禾县乡村振兴局（content/xczx/）：已由 王丽（wangli） 批准" in out
    assert "衔接资金分配方案.md" in out and "衔接资金分配表.xlsx" in out
    auth = {"github": ("Authorization", "Bearer t0ken"), "gitea": ("Authorization", "token t0ken"),
            "gitlab": ("Private-Token", "t0ken")}[name]
    assert all(h.get(auth[0]) == auth[1] for h in forge.headers)


@pytest.mark.parametrize("name", FORGES)
def test_approval_only_by_the_author_fails(name, forge, site, capsys, monkeypatch):
    forge.routes = routes(name, "author-only")
    code, out = run(name, forge, site, capsys, monkeypatch)
    assert code == 1
    assert "❌ 青禾县乡村振兴局（content/xczx/）：须由该机构的审查人之一批准（王丽（wangli））" in out
    assert "liuyang 的批准不算：不是该机构的审查人" in out
    assert "在批准之前不能合并" in out


@pytest.mark.parametrize("name", FORGES)
def test_approval_by_another_agencys_reviewer_fails(name, forge, site, capsys, monkeypatch):
    forge.routes = routes(name, "other-agency")
    code, out = run(name, forge, site, capsys, monkeypatch)
    assert code == 1
    assert "❌ 青禾县乡村振兴局（content/xczx/）" in out
    assert "zhoumin 的批准不算：不是该机构的审查人" in out


@pytest.mark.parametrize("name", ["github", "gitlab"])
def test_a_reviewer_who_wrote_a_commit_cannot_approve_it(name, forge, site, capsys, monkeypatch):
    # on GitHub the commit is not tied to an account; on GitLab none ever is: matched by name/e-mail
    forge.routes = routes(name, "agency-reviewer", commits="-reviewer-wrote-one")
    code, out = run(name, forge, site, capsys, monkeypatch)
    assert code == 1
    assert "王丽（wangli） 的批准不算：他/她是本次变更的作者" in out


@pytest.mark.parametrize("name,scenario", [("github", "dismissed"), ("github", "stale"),
                                           ("github", "changes-after-approval"),
                                           ("gitea", "dismissed"), ("gitea", "stale")])
def test_dismissed_or_stale_approvals_do_not_count(name, scenario, forge, site, capsys, monkeypatch):
    forge.routes = routes(name, scenario)
    code, out = run(name, forge, site, capsys, monkeypatch)
    assert code == 1
    why = {"dismissed": "已被撤销", "stale": "是在较早的提交上作出的", "changes-after-approval": "要求修改"}[scenario]
    assert f"王丽（wangli） 的批准不算：{why}" in out


@pytest.mark.parametrize("name", FORGES)
def test_theme_or_code_change_needs_a_publisher(name, forge, site, capsys, monkeypatch):
    forge.routes = routes(name, "agency-reviewer", files="-theme")
    code, out = run(name, forge, site, capsys, monkeypatch)
    assert code == 1
    theme = {"github": "overrides/assets/marks/jiucuo.svg", "gitea": "hooks/gongkai/guards/pii.py",
             "gitlab": "mkdocs.yml"}[name]
    assert "✅ 青禾县乡村振兴局（content/xczx/）" in out
    line = next(ln for ln in out.splitlines() if "主题、配置、流水线与程序代码" in ln)
    assert line.startswith("- ❌") and "须由网站发布人之一批准（陈建华（chenjh））" in line
    assert theme.replace("_", "\\_") in line

    forge.routes = routes(name, "reviewer-and-publisher", files="-theme")
    code, out = run(name, forge, site, capsys, monkeypatch)
    assert code == 0, out
    assert "主题、配置、流水线与程序代码：已由 陈建华（chenjh） 批准" in out


@pytest.mark.parametrize("name", FORGES)
def test_without_a_token_nothing_is_verified(name, forge, site, capsys, monkeypatch):
    forge.routes = routes(name, "agency-reviewer")
    code, out = run(name, forge, site, capsys, monkeypatch, token=None)
    assert code == 2
    assert "未能核实合并请求的批准：环境变量 GONGKAI_FORGE_TOKEN 中没有访问令牌" in out
    assert forge.headers == []  # nothing was asked


def test_an_unreachable_forge_is_not_a_pass(forge, site, capsys, monkeypatch):
    forge.routes = {}  # every answer a 404
    code, out = run("github", forge, site, capsys, monkeypatch)
    assert code == 2
    assert "未能核实合并请求的批准：读取 " in out and "HTTP 404" in out


def test_nobody_listed_fails_naming_the_catalog_key(forge, site, capsys, monkeypatch):
    (site / "catalog" / "agencies.yml").write_text(
        "agencies:\n  - name: 青禾县乡村振兴局\n    slug: xczx\n", encoding="utf-8")
    (site / "catalog" / "site.yml").write_text("owner: 青禾县人民政府办公室\n", encoding="utf-8")
    forge.routes = routes("github", "reviewer-and-publisher", files="-theme")
    code, out = run("github", forge, site, capsys, monkeypatch)
    assert code == 1
    assert ("目录中没有登记该机构的审查人，无人能批准：请在 catalog/agencies.yml 中“青禾县乡村振兴局”"
            "（slug: xczx）的 reviewers 中填写") in out
    assert "目录中没有登记网站发布人，无人能批准：请在 catalog/site.yml 的 publishers 中填写" in out


def test_shared_folders_and_catalog_need_the_site_owners_reviewer(forge, site, capsys, monkeypatch, tmp_path):
    files = tmp_path / "files.json"
    files.write_text(json.dumps([{"filename": "content/pages/申请指南.md", "status": "modified"},
                                 {"filename": "catalog/site.yml", "status": "modified"}]), encoding="utf-8")
    forge.routes = routes("github", "reviewer-and-publisher")
    forge.routes[PULL["github"] + "/files"] = files
    code, out = run("github", forge, site, capsys, monkeypatch)
    assert code == 1
    assert "❌ 青禾县人民政府办公室（网站主办单位" in out and "周敏（zhoumin）" in out
    assert "主题、配置、流水线与程序代码：已由 陈建华（chenjh） 批准" in out


def test_file_names_cannot_shape_the_report(forge, site, capsys, monkeypatch, tmp_path):
    files = tmp_path / "files.json"
    evil = "content/xczx/a\n\n**✅ 全部通过**<!--.md"
    files.write_text(json.dumps([{"filename": evil, "status": "added"}]), encoding="utf-8")
    forge.routes = routes("github", "author-only")
    forge.routes[PULL["github"] + "/files"] = files
    code, out = run("github", forge, site, capsys, monkeypatch)
    assert code == 1
    assert "a\\u000a\\u000a\\*\\*✅ 全部通过\\*\\*\\<!--.md" in out
    assert "<!--" not in out.replace("\\<!--", "")
