"""The ``gongkai`` command line for editors and reviewers."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from gongkai.cli.annual import register_annual
from gongkai.cli.approvals import register_approvals
from gongkai.cli.args import arg_date, site_root
from gongkai.cli.assign_index import register_assign_index
from gongkai.cli.audit import register_audit
from gongkai.cli.cms import register_cms_config
from gongkai.cli.codeowners import register_codeowners
from gongkai.cli.deploy import register_deploy
from gongkai.cli.importing import register_import, register_import_docx
from gongkai.cli.new import register_new
from gongkai.load.cms_config import cms_config_problems
from gongkai.load.loader import check_codeowners, check_site_url
from gongkai.pipeline import load_site
from gongkai.problems import Problems, ValidationFailed


def cmd_check(args: argparse.Namespace) -> int:
    root = site_root(args.path, "check")
    if root is None:
        return 2
    problems = Problems()
    try:
        site = load_site(root, args.date, problems,
                         progress=lambda text: print(f"gongkai check: {text}", file=sys.stderr, flush=True))
    except ValidationFailed as exc:
        site, model = None, exc.model
    else:
        model = site
    check_site_url(root, problems)
    if model is not None:  # who may approve what: the forges' rules match the catalog
        problems.extend(check_codeowners(root, model.settings, model.agencies))
        problems.extend(cms_config_problems(root, model.settings, model.agencies, model.categories, model.topics))
    if model is not None:  # what only the built site tells: where each link lands
        from gongkai.render.outputs import link_problems

        problems.extend(link_problems(model))
        if problems.errors:
            site = None
    found = problems.sorted()
    if args.format == "json":
        print(json.dumps({"ok": site is not None, "problems": [p.as_dict() for p in found]},
                         ensure_ascii=False, indent=2))
    elif args.format == "github":
        for p in found:
            print(_annotation(p))
    else:
        for p in found:
            print(p.format())
        errors = sum(p.severity == "error" for p in found)
        if site is not None:
            print(f"检查通过：{len(site.items)} 个条目，其中 {len(site.public_items)} 个公开；"
                  f"{len(found)} 个警告。")
            for line in _scheduled(site):
                print(line)
        else:
            print(f"发现 {errors} 个错误、{len(found) - errors} 个警告。", file=sys.stderr)
    return 0 if site is not None else 1


def _scheduled(site) -> list[str]:
    """The items set to publish on a later day (reviewed, not drafts), named so nobody wonders
    why a file that passed is not on the site yet."""
    later = sorted((i for i in site.items if i.visibility(site.build_date) == "embargoed"),
                   key=lambda i: (i.published, i.source))
    if not later:
        return []
    return [f"定时发布：{len(later)} 个条目到发布日期才出现在网站上："] + [
        f"  {i.source}：将于 {i.published.isoformat()} 发布（{i.title}）" for i in later]


def _annotation(p) -> str:
    """A workflow command that GitHub and Gitea Actions show on the changed line."""
    def prop(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A") \
            .replace(":", "%3A").replace(",", "%2C")

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    props = [f"file={prop(p.file)}"] + ([f"line={p.line}"] if p.line else []) \
        + ([f"title={prop(p.field)}"] if p.field else [])
    return f"::{p.severity}{' ' + ','.join(props)}::{data(p.message)}"


def register_check(sub) -> None:
    check = sub.add_parser("check", help="校验条目、目录定义和登记表，不生成网站")
    check.add_argument("path", nargs="?", default=".", help="站点根目录（含 content/ 和 catalog/）")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="github：GitHub/Gitea Actions 的行内标注")
    check.add_argument("--date", type=arg_date, default=None, help="按此日期判断是否到发布时间（默认今天）")
    check.set_defaults(func=cmd_check)


def cmd_diff(args: argparse.Namespace) -> int:
    from gongkai.review.diff import review
    from gongkai.review.git import GitError
    from gongkai.review.report import as_json, markdown

    root = site_root(args.path, "diff")
    if root is None:
        return 2
    try:
        result = review(root, args.base, args.head, args.date, args.received_at)
    except GitError as exc:
        print(f"gongkai diff: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        print(markdown(result), end="")
    return 0 if result.ok else 1


def register_diff(sub) -> None:
    diff = sub.add_parser("diff", help="比较两个 git 版本：新增、修改、撤下了哪些条目，引入了哪些问题")
    diff.add_argument("base", help="比较的基准版本，例如 origin/main")
    diff.add_argument("head", nargs="?", default=None, help="要审查的版本（默认：当前工作区）")
    diff.add_argument("--path", default=".", help="站点根目录（含 content/ 和 catalog/）")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown")
    diff.add_argument("--date", type=arg_date, default=None, help="按此日期判断是否到发布时间（默认今天）")
    diff.add_argument("--received-at", type=arg_received, default=None,
                      help="平台收到本次变更的时间（ISO 格式，取自合并请求事件）；新增条目的发布日期不得早于它。"
                           "默认现在；从不使用提交时间（提交时间可由作者任意设置）")
    diff.set_defaults(func=cmd_diff)


def arg_received(text: str):
    """An ISO time (a date alone is midnight), as the day it is in China."""
    from gongkai.review.received import received_day

    try:
        return received_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是 ISO 格式的时间，例如 2026-11-26T09:30:00Z") from None


def cmd_fields(args: argparse.Namespace) -> int:
    from gongkai.schema.reference import OUTPUT, render

    root = site_root(args.path, "fields")
    if root is None:
        return 2
    path = root / OUTPUT
    text = render()
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if args.check:
        if current != text:
            print(f"{OUTPUT.as_posix()} 与字段定义不一致：请运行 gongkai fields 重新生成", file=sys.stderr)
            return 1
        print(f"{OUTPUT.as_posix()} 是最新的。")
        return 0
    if current != text:
        path.write_text(text, encoding="utf-8")
        print(f"已更新 {OUTPUT.as_posix()}。")
    else:
        print(f"{OUTPUT.as_posix()} 已是最新，未改动。")
    return 0


def register_fields(sub) -> None:
    fields = sub.add_parser("fields", help="根据字段定义生成编辑用的字段参考 catalog/FIELDS.md")
    fields.add_argument("path", nargs="?", default=".", help="站点根目录")
    fields.add_argument("--check", action="store_true", help="只检查是否最新，不写文件")
    fields.set_defaults(func=cmd_fields)


def cmd_pr_comment(args: argparse.Namespace) -> int:
    from gongkai.review.forge import ForgeError, PullRequest, post_or_update

    token = os.environ.get(args.token_env)
    if not token:
        print(f"gongkai pr-comment: 环境变量 {args.token_env} 中没有访问令牌", file=sys.stderr)
        return 2
    try:
        body = Path(args.file).read_text(encoding="utf-8")
        url = post_or_update(PullRequest(args.api, args.repo, args.pr, token, args.forge), body, args.bot_login)
    except (OSError, ForgeError) as exc:
        print(f"gongkai pr-comment: {exc}", file=sys.stderr)
        return 1
    print(url)
    return 0


def register_pr_comment(sub) -> None:
    pr = sub.add_parser("pr-comment", help="把变更报告发布为合并请求的评论（再次运行时更新同一条评论）")
    pr.add_argument("file", help="评论内容（gongkai diff 的输出）")
    pr.add_argument("--forge", choices=("github", "gitea"), required=True)
    pr.add_argument("--api", required=True, help="平台 API 地址，例如 GitHub 的 github.api_url")
    pr.add_argument("--repo", required=True, help="owner/name")
    pr.add_argument("--pr", required=True, type=int, help="合并请求编号")
    pr.add_argument("--token-env", default="GONGKAI_FORGE_TOKEN", help="存放访问令牌的环境变量名")
    pr.add_argument("--bot-login", default=None,
                    help="发评论的账号名（只更新这个账号自己的评论）；缺省时向平台查询令牌所属账号（GET /user）。"
                         "GitHub Actions 的令牌查不到，请写 github-actions[bot]")
    pr.set_defaults(func=cmd_pr_comment)


#: each subcommand registers itself; a new command adds one line here
REGISTRARS = [register_check, register_diff, register_fields, register_codeowners, register_cms_config,
              register_pr_comment, register_audit,
              register_annual, register_new, register_assign_index, register_import,
              register_import_docx, register_approvals, register_deploy]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开专栏生成工具")
    parser.add_argument("-C", dest="chdir", metavar="目录", default=None,
                        help="先进入此目录再运行（同 git -C）：审查流水线以受保护分支安装的 gongkai "
                             "检查另一目录中合并请求的内容")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in REGISTRARS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.chdir is not None:
        try:
            os.chdir(args.chdir)
        except OSError as exc:
            print(f"gongkai: 无法进入目录 {args.chdir}：{exc.strerror}", file=sys.stderr)
            return 2
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover  (python -m gongkai.cli uses __main__.py)
    sys.exit(main())
