"""The review job runs trusted code only: gongkai from the protected base branch, the pull
request's checkout read as content and never run (issue 25, item 7)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path, PurePosixPath

import pytest
import yaml
from sitekit import ROOT, git, init_repo, item, make_site
from test_approvals import AGENCIES_YML, SITE_YML, Forge, routes

from gongkai.guards.pii import id_check_digit

WORKFLOWS = {"github": ROOT / ".github" / "workflows" / "review.yml",
             "gitea": ROOT / ".gitea" / "workflows" / "review.yml"}
#: what builds, installs or runs code: never against the pull request's files
RUNNERS = {"make", "pip", "pip3", "python", "python3", "mkdocs", "properdocs", "bash", "sh", "source", ".",
           "npm", "node", "pytest"}


def _steps(forge: str) -> list[dict]:
    doc = yaml.safe_load(WORKFLOWS[forge].read_text(encoding="utf-8"))
    return doc["jobs"]["review"]["steps"]


def _commands(run: str) -> list[str]:
    script = re.sub(r"\\\n\s*", " ", run)
    out = []
    for line in script.splitlines():
        for part in re.split(r"\s*(?:&&|\|\||;|\|)\s*", line.strip()):
            # a condition's command is still a command: `if git -C head diff --quiet; then`
            part = re.sub(r"^(?:(?:if|then|else|elif|while|until|do|!)\s+)+", "", part)
            if part and not part.startswith("#") and part not in ("then", "else", "fi", "do", "done"):
                out.append(re.sub(r"\$\{\{[^}]*\}\}", "X", part))
    return out


#: what the job may ask of git in the pull request's checkout: nothing here runs a program the
#: tree names (a filter or diff driver needs .git/config, which the pull request cannot write)
GIT_READS_AND_WRITES = {"diff", "status", "log", "rev-parse", "add", "commit", "merge", "push", "fetch"}


def _git_subcommand(words: list[str]) -> str:
    """The subcommand after git's own options (``-c name=value`` pairs)."""
    rest = list(words)
    while rest and rest[0] == "-c":
        rest = rest[2:]
    return rest[0] if rest else ""


def _inside(word: str, folder: str) -> bool:
    word = word.split("=", 1)[-1]  # --path=head
    norm = PurePosixPath(os.path.normpath(word)).as_posix() if word else ""
    return norm == folder or norm.startswith(folder + "/")


def violations(steps: list[dict]) -> list[str]:
    """Every way the job could run, install or build from the pull request's checkout."""
    checkouts = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout")]
    base = [s for s in checkouts if "pull_request.base.ref" in str((s.get("with") or {}).get("ref", ""))]
    if len(base) != 1 or len(checkouts) != 2:
        return ["not one checkout of the base branch and one of the pull request"]
    head = next(s for s in checkouts if s is not base[0])
    base_path = str(base[0]["with"].get("path") or ".")
    head_path = str((head.get("with") or {}).get("path") or ".")
    bad = []
    if head_path in (".", "") or base_path == head_path or _inside(base_path, head_path):
        bad.append(f"pull request checked out at {head_path!r}, tools at {base_path!r}")
    for s in checkouts:
        if (s.get("with") or {}).get("persist-credentials") is not False:
            bad.append(f"checkout to {s['with'].get('path')!r} leaves the token in .git/config")
    for step in steps:
        where = str(step.get("working-directory") or ".")
        if str(step.get("uses", "")).startswith("./"):
            bad.append(f"{step.get('name')}: a local action from a checkout")
        if not step.get("run"):
            continue
        if _inside(where, head_path):
            bad.append(f"{step.get('name')}: runs inside the pull request's checkout")
        for command in _commands(step["run"]):
            words = shlex.split(command)
            program = PurePosixPath(words[0]).name
            refs = [i for i, w in enumerate(words) if _inside(w, head_path)]
            if program in RUNNERS or program.startswith("python"):
                if refs or _inside(words[0], head_path) or "-C" in words and program == "make":
                    bad.append(f"{step.get('name')}: {command}")
            elif program == "cd" and refs:
                bad.append(f"{step.get('name')}: {command}")
            elif program == "git" and words[1:3] == ["-C", head_path] and refs == [2]:
                # git reads the checkout as data: its config and hooks are in .git, which the
                # trusted checkout step wrote; only subcommands that run nothing of the tree's
                if _git_subcommand(words[3:]) not in GIT_READS_AND_WRITES:
                    bad.append(f"{step.get('name')}: {command}")
            elif refs and not (program == "gongkai" and not _inside(words[0], head_path)
                               and all(words[i - 1] == "-C" for i in refs)):
                bad.append(f"{step.get('name')}: {command}")
    return bad


@pytest.mark.parametrize("forge", WORKFLOWS)
def test_no_review_step_runs_the_pull_requests_code(forge):
    assert violations(_steps(forge)) == []


@pytest.mark.parametrize("forge", WORKFLOWS)
def test_gongkai_is_installed_from_the_base_checkout(forge):
    steps = _steps(forge)
    base = next(s for s in steps if "base.ref" in str((s.get("with") or {}).get("ref", "")))
    install = next(s for s in steps if "pip install" in str(s.get("run", "")))
    assert install["working-directory"] == base["with"]["path"]
    assert "pip install --quiet ." in install["run"] and "-e" not in install["run"].split()
    runs = [c for s in steps for c in _commands(str(s.get("run", "")))
            if PurePosixPath(shlex.split(c)[0]).name == "gongkai"]
    assert runs and all(c.startswith("tools/bin/gongkai ") for c in runs), runs
    approvals = next(c for c in runs if " approvals " in c)
    assert "--path base" in approvals  # who may approve: the protected branch's catalog
    assert all("-C head" in c for c in runs if " check " in c or " diff " in c)


@pytest.mark.parametrize("step", [
    {"name": "a", "run": "make install && .venv/bin/gongkai check"},
    {"name": "b", "run": "cd head && make install"},
    {"name": "c", "run": "pip install -e ./head"},
    {"name": "d", "run": "head/.venv/bin/python -m gongkai.cli check"},
    {"name": "e", "working-directory": "head", "run": "tools/bin/gongkai check"},
    {"name": "f", "run": "mkdocs build -f head/mkdocs.yml"},
    {"name": "g", "run": "make -C head check"},
    {"name": "h", "uses": "./head/.github/actions/setup"},
    {"name": "i", "run": "if make -C head check; then echo ok; fi"},
    {"name": "j", "run": "git -C head submodule update --init"},
    {"name": "k", "run": "git -C head -c core.hooksPath=head/hooks commit -m x"},
])
def test_the_static_check_catches_each_way_in(step):
    steps = _steps("github")
    at = next(i for i, s in enumerate(steps) if s.get("name") == "Check content")
    tampered = steps[:at] + [step] + steps[at:]
    if step["name"] == "a":  # the workflow before issue 25: one checkout at the workspace root
        tampered = [{"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}, step]
    assert violations(tampered) != []


# ---- end to end: a pull request that switches the guard off in its own copy of gongkai

ID = "33012719800101123"
ID += id_check_digit(ID)


def _site_repo(root: Path) -> Path:
    make_site(root, {"zfb/2025/a.md": item()})
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    for forge_dir in (".github", ".gitea", ".gitlab"):  # generated CODEOWNERS, where the catalog asks for them
        if (ROOT / forge_dir / "CODEOWNERS").is_file():
            (root / forge_dir).mkdir(exist_ok=True)
            shutil.copy(ROOT / forge_dir / "CODEOWNERS", root / forge_dir / "CODEOWNERS")
    init_repo(root)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "site", date="2026-11-20")
    return root


def _pull_request(workspace: Path, tamper: dict[str, str], items: dict[str, str]) -> Path:
    upstream = _site_repo(workspace.parent / "upstream")
    head = workspace / "head"
    git(workspace, "clone", "-q", str(upstream), "head")
    git(head, "config", "user.name", "作者")
    git(head, "config", "user.email", "author@example.org")
    git(head, "checkout", "-q", "-b", "pr")
    for rel, (old, new) in tamper.items():
        path = head / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for rel, text in items.items():
        (head / rel).parent.mkdir(parents=True, exist_ok=True)
        (head / rel).write_text(text, encoding="utf-8")
    git(head, "add", "-A")
    git(head, "commit", "-qm", "pr", date=(dt.date.today() - dt.timedelta(days=1)).isoformat())
    return head


def _run_step(workspace: Path, forge: str, name: str, received_at: str,
              context: dict[str, str] | None = None, token: str = "") -> tuple[int, str, str]:
    """One ``run:`` of the review job as the runner executes it, with this worktree's installed
    gongkai (the trusted tools) in the place of tools/bin/gongkai."""
    run = next(s["run"] for s in _steps(forge) if s.get("name") == name)
    tools = Path(sys.executable).parent / "gongkai"
    script = run.replace("tools/bin/gongkai", shlex.quote(str(tools)))
    script = script.replace("${{ github.event.pull_request.updated_at }}", received_at)
    for key, value in (context or {}).items():
        script = script.replace("${{ " + key + " }}", value)
    assert "${{" not in script, script
    out = workspace / "github_output"
    env = dict(os.environ, BASE_REF="main", GITHUB_OUTPUT=str(out), GITHUB_STEP_SUMMARY=str(workspace / "summary"))
    env.pop("PYTHONPATH", None)
    env["GONGKAI_FORGE_TOKEN"] = token
    result = subprocess.run(["bash", "-e", "-c", script], cwd=workspace, env=env, capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr, out.read_text(encoding="utf-8") if out.exists() else ""


def _leaking_item() -> str:
    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    return item(id="002501001/2026-00077", title="关于低保对象名单的公示", published=day, created=day,
                body=f"低保对象：张三，身份证号 {ID}。\n")


@pytest.mark.parametrize("forge", WORKFLOWS)
def test_a_pull_request_cannot_switch_off_its_own_guard(tmp_path, forge):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    head = _pull_request(
        workspace,
        {"hooks/gongkai/guards/pii.py": ('    """Every unmasked personal number in ``text``, in reading order."""\n',
                                         '    """Every unmasked personal number in ``text``, in reading order."""\n'
                                         "    return []\n")},
        {"content/zfb/2026/leak.md": _leaking_item()})

    # the pull request's own code would let it through (the same for either forge: run once) ...
    if forge == "github":
        env = dict(os.environ, PYTHONPATH=str(head / "hooks"))
        own = subprocess.run([sys.executable, "-m", "gongkai.cli", "check", str(head)], env=env,
                             capture_output=True, text=True)
        said = own.stdout + own.stderr
        assert re.search(r"检查通过|发现 \d+ 个错误", said) and "身份证号" not in said, said

    # ... the review job's commands (base tools, head content) refuse it
    code, out, _ = _run_step(workspace, forge, "Check content", "2026-12-01T02:00:00Z")
    assert code == 1
    assert re.search(r"::error file=content/zfb/2026/leak\.md,line=\d+.*含有未脱敏的身份证号", out), out
    code, out, outputs = _run_step(workspace, forge, "Review diff", "2026-12-01T02:00:00Z")
    assert "rc=1" in outputs, out
    report = (workspace / "review.md").read_text(encoding="utf-8")
    assert "leak.md" in report and "含有未脱敏的身份证号" in report
    assert not (head / "review.md").exists()  # nothing written into the pull request's checkout


def test_a_pull_requests_mkdocs_yml_cannot_run_a_command(tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    marker = tmp_path / "pwned"
    _pull_request(workspace,
                  {"mkdocs.yml": ("  - gongkai.render.markdown_tables   # scope on table header cells, for screen readers\n",
                                  "  - gongkai.render.markdown_tables\n"
                                  f"  - subprocess:run:\n      args: touch {marker}\n      shell: true\n")},
                  {})
    code, out, _ = _run_step(workspace, "github", "Check content", "2026-12-01T02:00:00Z")
    assert not marker.exists()
    assert "::warning file=mkdocs.yml" in out and "“subprocess:run”不是 Python-Markdown、PyMdown 或 gongkai 的扩展" in out
    assert code == 0, out


@pytest.fixture
def recorded_forge():
    served = Forge()
    threading.Thread(target=served.server.serve_forever, daemon=True).start()
    yield served
    served.server.shutdown()
    served.server.server_close()


@pytest.mark.parametrize("forge_name", WORKFLOWS)
def test_the_approvals_step_reads_the_forge_and_the_base_catalog(tmp_path, forge_name, recorded_forge):
    forge = recorded_forge
    workspace = tmp_path / "workspace"
    (workspace / "base" / "catalog").mkdir(parents=True)
    (workspace / "base" / "catalog" / "site.yml").write_text(SITE_YML, encoding="utf-8")
    (workspace / "base" / "catalog" / "agencies.yml").write_text(AGENCIES_YML, encoding="utf-8")
    context = {"github.api_url": forge.url, "github.server_url": forge.url, "github.repository": "qinghe/xxgk",
               "github.event.pull_request.number": "7"}

    forge.routes = routes(forge_name, "author-only")
    code, out, outputs = _run_step(workspace, forge_name, "Approvals", "", context, token="t0ken")
    assert code == 0 and "rc=1" in outputs, out
    report = (workspace / "review.md").read_text(encoding="utf-8")
    assert "❌ 青禾县乡村振兴局（content/xczx/）：须由该机构的审查人之一批准（王丽（wangli））" in report

    (workspace / "review.md").unlink()
    (workspace / "github_output").unlink()
    forge.routes = routes(forge_name, "agency-reviewer")
    code, out, outputs = _run_step(workspace, forge_name, "Approvals", "", context, token="t0ken")
    assert "rc=0" in outputs, out
    assert "✅ 青禾县乡村振兴局（content/xczx/）：已由 王丽（wangli） 批准" in (workspace / "review.md").read_text(
        encoding="utf-8")

    (workspace / "review.md").unlink()
    (workspace / "github_output").unlink()
    code, out, outputs = _run_step(workspace, forge_name, "Approvals", "", context, token="")
    assert "rc=2" in outputs, out
    assert "未能核实合并请求的批准" in (workspace / "review.md").read_text(encoding="utf-8")
