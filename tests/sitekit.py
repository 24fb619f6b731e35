"""Small sites for the review-workflow tests: the real catalogue, hand-written items."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from itemfactory import write  # noqa: F401  (re-exported for the tests that use sitekit)

ROOT = Path(__file__).resolve().parent.parent
GONGKAI = [sys.executable, "-m", "gongkai.cli"]
#: what `gongkai codeowners` writes from the catalog
CODEOWNERS = (".github/CODEOWNERS", ".gitlab/CODEOWNERS", ".gitea/CODEOWNERS")


def item(id: str = "002501001/2025-00001", title: str = "关于开展春季植树活动的通知",
         published: str = "2025-03-02", created: str = "2025-03-01", category: str = "qtwj",
         extra: str = "", body: str = "正文第一段。\n\n正文第二段。\n", review: bool = True) -> str:
    reviewed = (f"审查:\n  审查人: 王丽\n  审查日期: {published}\n  审查结果: 同意公开\n" if review else "")
    return (f"---\n索引号: {id}\n标题: {title}\n发布机构: 青禾县人民政府办公室\n目录: {category}\n"
            f"成文日期: {created}\n发布日期: {published}\n{extra}{reviewed}---\n{body}")


def make_site(root: Path, items: dict[str, str] | None = None) -> Path:
    """A site with the repository's catalogue and the given content files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "catalog", root / "catalog", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("annual"))
    for owners in CODEOWNERS:  # generated from the catalog: `gongkai check` wants them current
        (root / owners).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / owners, root / owners)
    (root / "content").mkdir(exist_ok=True)
    for rel, text in (items or {}).items():
        write(root, rel, text)
    return root


def gongkai(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``gongkai ARGS`` run by the console entry point's own ``main``, in this process: the exit
    code and what it prints are those of the command (a process of its own spends most of its
    second importing; test_check_command.py runs the real console once). An exception the command
    does not turn into a message fails the test, as its traceback would fail the process."""
    from gongkai.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or Path.cwd()), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors, a command's sys.exit
            code = exc.code if isinstance(exc.code, int) else 1 if exc.code else 0
            if isinstance(exc.code, str):
                print(exc.code, file=sys.stderr)
    return subprocess.CompletedProcess([*GONGKAI, *args], code, out.getvalue(), err.getvalue())


def gongkai_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real console entry point in a process of its own, as an editor or a pipeline runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
    return subprocess.run([*GONGKAI, *args], cwd=cwd, env=env, capture_output=True, text=True)


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ)
    if date:  # commit as of a given day, so back-dating is deterministic
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T10:00:00+08:00"
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout


def init_repo(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "测试编辑")
    git(root, "config", "user.email", "editor@example.org")
    git(root, "config", "commit.gpgsign", "false")
    return root


def commit(root: Path, message: str, date: str = "2026-11-20") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD").strip()
