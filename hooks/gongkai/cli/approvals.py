"""``gongkai approvals``: does the pull request carry the approvals the catalog asks for?

Exit codes: 0 every group approved; 1 an approval is missing; 2 nothing could be verified
(no token, no answer from the forge, no readable catalog): never a silent pass.
"""

from __future__ import annotations

import argparse
import os

from gongkai.cli.args import site_root
from gongkai.review.approvals import CatalogUnreadable, check_approvals, read_people
from gongkai.review.pull_facts import FORGES, ForgeReadError, read_pull


def _not_verified(args: argparse.Namespace, why: str) -> int:
    print(f"### 批准核对（合并请求 #{args.pr}）\n\n"
          f"❌ 未能核实合并请求的批准：{why}\n"
          "这一步没有通过：在能读取批准记录的流水线中重新运行，或请审查人在平台上批准后再运行。")
    return 2


def cmd_approvals(args: argparse.Namespace) -> int:
    root = site_root(args.path, "approvals")
    if root is None:
        return 2
    token = os.environ.get(args.token_env, "")
    if not token:
        return _not_verified(args, f"环境变量 {args.token_env} 中没有访问令牌，无法向 {args.forge} 读取批准记录"
                                   "（本地运行时无法核实谁批准了变更）。")
    try:
        people = read_people(root)
        facts = read_pull(args.forge, args.api, args.repo, args.pr, token)
    except (CatalogUnreadable, ForgeReadError) as exc:
        return _not_verified(args, str(exc))
    ok, text = check_approvals(facts, people)
    print(text, end="")
    return 0 if ok else 1


def register_approvals(sub) -> None:
    p = sub.add_parser("approvals", help="核对合并请求是否已由相应机构的审查人（及网站发布人）批准")
    p.add_argument("--forge", choices=FORGES, required=True)
    p.add_argument("--api", required=True,
                   help="平台 API 地址：GitHub 的 github.api_url，Gitea 的 <服务器>/api/v1，GitLab 的 <服务器>/api/v4")
    p.add_argument("--repo", required=True, help="owner/name（GitLab：项目路径或编号）")
    p.add_argument("--pr", required=True, type=int, help="合并请求编号")
    p.add_argument("--path", default=".",
                   help="读取审查人、发布人名单的站点根目录：应是受保护分支的检出，而不是合并请求的内容")
    p.add_argument("--token-env", default="GONGKAI_FORGE_TOKEN", help="存放访问令牌的环境变量名")
    p.set_defaults(func=cmd_approvals)
