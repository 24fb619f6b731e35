"""The review pipelines' own steps, run by bash against a local forge (a bare repository):
the 索引号 the web form left empty is assigned on the pull request's branch, committed there by
the forge's bot with a Chinese message, and the branch merged into main is what ``check`` reads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sitekit import ROOT, commit, git, init_repo, item, make_site, write

FORGES = {"github": (ROOT / ".github/workflows/review.yml", "secrets.GITHUB_TOKEN",
                     "github-actions[bot]|41898282+github-actions[bot]@users.noreply.github.com"),
          "gitea": (ROOT / ".gitea/workflows/review.yml", "secrets.GITEA_TOKEN", "gitea-actions|teabot@gitea.io")}
ASSIGN = "Assign 索引号 and commit them to the pull request branch"
MERGE = "Merge into the base branch (what merging would publish is what is checked)"
CHECK = "Check content"
BRANCH = "cms/zfb-2025-新通知"
NEW_FILE = "content/zfb/2025/xin-tong-zhi/index.md"


def _job(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return doc["jobs"]["review"]


def _evaluate(text: str, values: dict[str, str]) -> str:
    """A forge's ``${{ … }}`` expressions, each one this test knows (else a KeyError fails it)."""
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: values[m[1]], text)


def _run_step(job: dict, name: str, workdir: Path, values: dict[str, str]) -> subprocess.CompletedProcess:
    step = next(s for s in job["steps"] if s.get("name") == name)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(workdir / "no-gitconfig"))
    env.update({k: _evaluate(str(v), values) for k, v in {**job.get("env", {}), **step.get("env", {})}.items()})
    # how both forges run a ``run:`` script
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          cwd=workdir, env=env, capture_output=True, text=True)


@pytest.fixture
def forge(tmp_path):
    """A bare repository holding main (00001-00003, then 00004 merged after the branch left it)
    and the editor's branch with one item whose 索引号 the form left empty."""
    site = init_repo(make_site(tmp_path / "editor", {f"zfb/2025/{n:05d}.md": item(f"002501001/2025-{n:05d}", f"通知{n}")
                                                     for n in (1, 2, 3)}))
    commit(site, "start")
    bare = tmp_path / "forge.git"
    git(tmp_path, "clone", "-q", "--bare", str(site), str(bare))
    git(site, "remote", "add", "forge", str(bare))
    git(site, "checkout", "-q", "-b", BRANCH)
    write(site, "zfb/2025/xin-tong-zhi/index.md",
          item('""', "网页编辑器新建的通知", published="2025-08-01", created="2025-08-01"))
    commit(site, "新建条目")
    git(site, "push", "-q", "forge", BRANCH)
    git(site, "checkout", "-q", "main")
    write(site, "zfb/2025/00004.md", item("002501001/2025-00004", "另一个已合并的通知"))
    commit(site, "another pull request merged")
    git(site, "push", "-q", "forge", "main")
    return bare


def _workspace(tmp_path: Path, bare: Path) -> Path:
    """What the job has before these steps: tools/ (gongkai from the base) and head/ (the pull
    request's branch, all branches fetched)."""
    work = tmp_path / "run"
    (work / "tools" / "bin").mkdir(parents=True)
    (work / "no-gitconfig").write_text("", encoding="utf-8")
    tool = work / "tools" / "bin" / "gongkai"
    tool.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gongkai.cli "$@"\n', encoding="utf-8")
    tool.chmod(0o755)
    git(work, "clone", "-q", str(bare), "head")
    git(work / "head", "checkout", "-q", "--detach", f"origin/{BRANCH}")
    return work


@pytest.mark.parametrize("name", FORGES)
def test_the_pipeline_commits_the_assigned_number_to_the_branch_then_checks_the_merge(forge, tmp_path, name):
    path, token, bot = FORGES[name]
    values = {"github.event.pull_request.base.ref": "main", "github.event.pull_request.head.ref": BRANCH,
              f"secrets.GONGKAI_PUSH_TOKEN || {token}": "令牌",
              "github.event.pull_request.head.repo.full_name == github.repository": "true"}
    job, work = _job(path), _workspace(tmp_path, forge)
    tip = git(forge, "rev-parse", BRANCH).strip()

    assigned = _run_step(job, ASSIGN, work, values)
    assert assigned.returncode == 0, assigned.stderr
    # 00004 went to main after the branch left it: the next free one is 00005
    assert f"已分配索引号 002501001/2025-00005：{NEW_FILE}" in assigned.stdout
    pushed = git(forge, "log", "-1", "--format=%an|%ae|%cn|%ce|%s|%P", BRANCH).strip()
    assert pushed == f"{bot}|{bot}|自动分配索引号（gongkai assign-index）|{tip}"
    assert git(forge, "show", "--format=", "--numstat", BRANCH).split() == ["1", "1", NEW_FILE]

    merged = _run_step(job, MERGE, work, values)
    assert merged.returncode == 0, merged.stderr
    assert git(work / "head", "ls-files", "content/zfb/2025/00004.md").strip()  # main's side is there
    checked = _run_step(job, CHECK, work, values)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    assert "索引号: 002501001/2025-00005\n" in git(forge, "show", f"{BRANCH}:{NEW_FILE}")

    numbered = git(forge, "rev-parse", BRANCH).strip()
    again = _run_step(job, ASSIGN, work, values)  # a later run (an approval) has nothing to do
    assert again.returncode == 0 and "没有需要分配索引号的条目" in again.stdout
    assert git(forge, "rev-parse", BRANCH).strip() == numbered


def test_a_pull_request_from_a_fork_is_told_to_number_its_items_itself(forge, tmp_path):
    path, token, _ = FORGES["github"]
    values = {"github.event.pull_request.base.ref": "main", "github.event.pull_request.head.ref": BRANCH,
              f"secrets.GONGKAI_PUSH_TOKEN || {token}": "令牌",
              "github.event.pull_request.head.repo.full_name == github.repository": "false"}
    tip = git(forge, "rev-parse", BRANCH).strip()
    result = _run_step(_job(path), ASSIGN, _workspace(tmp_path, forge), values)
    assert result.returncode == 1
    assert "来自复刻仓库的合并请求无法由流水线提交索引号：请在本地运行 gongkai assign-index --base origin/main 后提交" \
        in result.stderr
    assert git(forge, "rev-parse", BRANCH).strip() == tip  # nothing pushed anywhere
