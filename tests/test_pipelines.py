"""The forge pipelines call commands that exist, the same way on GitHub and Gitea,
and the comment poster talks to both APIs as they expect."""

from __future__ import annotations

import http.server
import json
import re
import shlex
import threading

import pytest
import yaml
from sitekit import ROOT, gongkai, item, make_site

from gongkai.cli.main import build_parser
from gongkai.review.report import MARKER

FORGES = {"github": ROOT / ".github" / "workflows", "gitea": ROOT / ".gitea" / "workflows"}
WORKFLOWS = ("review.yml", "publish.yml")


def _steps(forge: str, name: str) -> list[dict]:
    doc = yaml.safe_load((FORGES[forge] / name).read_text(encoding="utf-8"))
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def _commands(forge: str, name: str) -> list[str]:
    """Each shell command line of every ``run:``, with continuations joined."""
    out = []
    for step in _steps(forge, name):
        script = step.get("run", "")
        script = re.sub(r"\\\n\s*", " ", script)
        for line in script.splitlines():
            for part in re.split(r"\s*&&\s*", line.strip()):
                if part and not part.startswith("#"):
                    out.append(part)
    return out


def _placeholders(command: str) -> str:
    """A forge's ``${{ … }}`` expressions as a value of the right form: a time where the
    expression is an event time, else a number."""
    def value(m: re.Match) -> str:
        return "2026-11-26T09:30:00Z" if m.group().rstrip("} ").endswith("_at") else "1"
    return re.sub(r"\$\{\{[^}]*\}\}", value, command)


@pytest.mark.parametrize("name", WORKFLOWS)
def test_both_forges_run_the_same_steps(name):
    def shape(forge):
        steps = []
        for step in _steps(forge, name):
            run = step.get("run")
            if run and "pr-comment" in run:
                run = "pr-comment"  # only the API and the token differ between forges
            if run and "gongkai approvals" in run:
                run = "approvals"
            if run and "GITHUB_STEP_SUMMARY" in run:
                run = run.replace('cat review.md >> "$GITHUB_STEP_SUMMARY"', "cat review.md")
            if run:
                steps.append((step.get("name"), run))
        return steps

    github, gitea = shape("github"), shape("gitea")
    assert gitea == github


@pytest.mark.parametrize("forge", FORGES)
@pytest.mark.parametrize("name", WORKFLOWS)
def test_pipeline_commands_exist(forge, name):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    parser = build_parser()
    seen = set()
    for command in _commands(forge, name):
        words = shlex.split(_placeholders(command))
        if words[0] == "make":
            goals = [w for w in words[1:] if "=" not in w]  # NAME=value sets a make variable
            assert set(goals) <= targets, command
            seen.add("make " + " ".join(goals))
        elif words[0].endswith("bin/gongkai"):
            args = words[1:]
            for sep in (">", ">>", "|"):  # redirected to a file, or piped into the job summary
                args = args[:args.index(sep)] if sep in args else args
            parsed = parser.parse_args(args)  # exits (fails the test) on an unknown subcommand or option
            seen.add("gongkai " + parsed.command)
    expected = {"review.yml": {"gongkai check", "gongkai diff", "gongkai pr-comment", "gongkai approvals"},
                "publish.yml": {"make check", "make build", "gongkai audit", "gongkai compress",
                                "gongkai serve-config", "gongkai publish"}}[name]
    assert expected <= seen


def test_publish_builds_strictly_and_redeploys_daily():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^build:.*\n\t.*mkdocs build --strict", makefile, re.M)
    for forge in FORGES:
        doc = yaml.safe_load((FORGES[forge] / "publish.yml").read_text(encoding="utf-8"))
        on = doc.get("on", doc.get(True))  # PyYAML reads the key `on` as True
        assert on["push"]["branches"] == ["main"]
        assert on["schedule"][0]["cron"] == "5 16 * * *"  # 00:05 China time: embargoes lapse
        text = (FORGES[forge] / "publish.yml").read_text(encoding="utf-8")
        # gongkai publish's order: assets and index, the index's entry, pages; deletions after a grace period
        assert "aws s3 sync" not in text and "AWS_ENDPOINT_URL:" in text
        runs = [text.index(f"bash -e step-{n}.sh") for n in (1, 2, 3)]
        assert runs == sorted(runs)
        assert runs[-1] < text.index('sleep "$GRACE_SECONDS"') < text.index("bash -e step-4.sh")


class _FakeForge(http.server.BaseHTTPRequestHandler):
    comments: list[dict] = []
    requests: list[tuple[str, str, str, dict | None]] = []

    def log_message(self, *args):
        pass

    def _reply(self, status: int, data) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _payload(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length)) if length else None

    def do_GET(self):
        self.requests.append(("GET", self.path, self.headers["Authorization"], None))
        self._reply(200, self.comments)

    def do_POST(self):
        payload = self._payload()
        self.requests.append(("POST", self.path, self.headers["Authorization"], payload))
        comment = {"id": 100 + len(self.comments), "body": payload["body"], "user": {"login": "gongkai-bot"},
                   "html_url": f"http://forge/c/{100 + len(self.comments)}"}
        self.comments.append(comment)
        self._reply(201, comment)

    def do_PATCH(self):
        payload = self._payload()
        self.requests.append(("PATCH", self.path, self.headers["Authorization"], payload))
        cid = int(self.path.rsplit("/", 1)[1])
        comment = next(c for c in self.comments if c["id"] == cid)
        comment["body"] = payload["body"]
        self._reply(200, comment)


@pytest.fixture
def forge():
    _FakeForge.comments = [{"id": 7, "body": "看起来不错", "html_url": "http://forge/c/7"}]
    _FakeForge.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeForge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("kind, api_suffix, auth", [("github", "", "Bearer s3cret"),
                                                     ("gitea", "/api/v1", "token s3cret")])
def test_pr_comment_posts_once_then_updates_in_place(forge, tmp_path, monkeypatch, kind, api_suffix, auth):
    report = tmp_path / "review.md"
    report.write_text(MARKER + "\n## 信息公开变更报告：main → HEAD\n", encoding="utf-8")
    monkeypatch.setenv("GONGKAI_FORGE_TOKEN", "s3cret")
    args = ["pr-comment", str(report), "--forge", kind, "--api", forge + api_suffix,
            "--repo", "qinghe/xxgk", "--pr", "12", "--bot-login", "gongkai-bot"]
    first = gongkai(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "http://forge/c/101"
    report.write_text(MARKER + "\n## 信息公开变更报告：第二次推送\n", encoding="utf-8")
    second = gongkai(*args)
    assert second.returncode == 0, second.stderr
    methods = [(m, p) for m, p, _, _ in _FakeForge.requests]
    base = f"{api_suffix}/repos/qinghe/xxgk/issues"
    assert methods == [("GET", f"{base}/12/comments?per_page=50&page=1"), ("POST", f"{base}/12/comments"),
                       ("GET", f"{base}/12/comments?per_page=50&page=1"), ("PATCH", f"{base}/comments/101")]
    assert {a for _, _, a, _ in _FakeForge.requests} == {auth}
    assert [c["body"] for c in _FakeForge.comments] == ["看起来不错", MARKER + "\n## 信息公开变更报告：第二次推送\n"]


def test_pr_comment_without_a_token_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.delenv("GONGKAI_FORGE_TOKEN", raising=False)
    result = gongkai("pr-comment", "x.md", "--forge", "gitea", "--api", "http://127.0.0.1:9", "--repo", "a/b",
                     "--pr", "1")
    assert result.returncode == 2
    assert "环境变量 GONGKAI_FORGE_TOKEN 中没有访问令牌" in result.stderr


def test_check_annotations_for_actions(tmp_path):
    site = make_site(tmp_path, {"zfb/a.md": item(published="2025-3-2", review=False)})
    result = gongkai("check", str(site), "--format", "github", "--date", "2026-11-26")
    assert result.returncode == 1
    assert ("::error file=content/zfb/a.md,line=7,title=发布日期::日期“2025-3-2”应写成 YYYY-MM-DD，"
            "例如“2025-03-02”") in result.stdout.splitlines()
