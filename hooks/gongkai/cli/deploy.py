"""``gongkai serve-config``, ``gongkai compress`` and ``gongkai publish``: serving and publishing
a built site (the work is in ``gongkai.deploy``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _built(path: str, command: str) -> Path | None:
    site = Path(path)
    if not (site / "index.html").is_file():
        print(f"gongkai {command}: {site} 下没有 index.html，不是生成的网站目录（先运行 make build）",
              file=sys.stderr)
        return None
    return site


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"已写入 {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_serve_config(args: argparse.Namespace) -> int:
    from gongkai.deploy.admin import admin_headers
    from gongkai.deploy.headers import security_headers, site_policy
    from gongkai.deploy.nginx import NginxOptions, nginx_config
    from gongkai.deploy.storage import manifest

    site = _built(args.site, "serve-config")
    if site is None:
        return 2
    csp = site_policy(site, args.report_uri)
    if args.server == "nginx":
        options = NginxOptions(prefix=args.prefix, root=args.root or str(site.resolve()),
                               listen=args.listen, server_name=args.server_name, https=not args.http_only)
        try:
            text = nginx_config(options, csp, admin_headers(site, args.report_uri))
        except ValueError as exc:
            print(f"gongkai serve-config: {exc}", file=sys.stderr)
            return 2
    else:
        text = json.dumps(manifest(site, security_headers(csp, not args.http_only)),
                          ensure_ascii=False, indent=1) + "\n"
    _write(text, args.output)
    return 0


def cmd_compress(args: argparse.Namespace) -> int:
    from gongkai.deploy.compress import compress_site

    site = _built(args.site, "compress")
    if site is None:
        return 2
    done = compress_site(site)
    saved = done.original - done.gzipped
    print(f"已压缩 {done.files} 个文件：{done.original // 1024} KiB → {done.gzipped // 1024} KiB（gzip）"
          + ("，并写入 brotli 副本" if done.brotli else "") + f"，节省 {saved // 1024} KiB。")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from gongkai.deploy.plan import aws_script, digests, make_plan, plan_json, plan_text

    old, new = Path(args.plan[0]), Path(args.plan[1])
    try:
        plan = make_plan(digests(old), digests(new))
    except (OSError, ValueError) as exc:
        print(f"gongkai publish: {exc}", file=sys.stderr)
        return 2
    if args.format == "aws":
        if not args.target or not args.step or not new.is_dir():
            print("gongkai publish: --format aws 需要 --target s3://桶/路径、--step 1–4，且 NEW 为网站目录",
                  file=sys.stderr)
            return 2
        script = aws_script(plan, new, args.target, args.step)
        print(script if script else f"# 第 {args.step} 步没有要处理的文件")
    elif args.format == "json":
        print(plan_json(plan))
    else:
        print(plan_text(plan))
    return 0


def register_deploy(sub) -> None:
    serve = sub.add_parser("serve-config", help="生成网站的服务器配置（nginx）或对象存储元数据清单")
    serve.add_argument("server", choices=("nginx", "storage"),
                       help="nginx：nginx 配置；storage：对象存储每个文件的类型、缓存和编码（JSON）")
    serve.add_argument("--site", default="site", help="生成的网站目录（默认 site）")
    serve.add_argument("--prefix", default="/", help="网站所在的子路径，例如 /xxgk/")
    serve.add_argument("--root", default=None, help="服务器上网站目录的位置（默认 --site 的绝对路径）")
    serve.add_argument("--listen", default="80", help="nginx 的 listen 参数（默认 80）")
    serve.add_argument("--server-name", default="_", help="nginx 的 server_name")
    serve.add_argument("--http-only", action="store_true", help="网站不经 HTTPS 提供：不发送 HSTS")
    serve.add_argument("--report-uri", default=None, help="CSP 违规报告的接收地址（可选）")
    serve.add_argument("-o", "--output", default=None, help="写入此文件（默认输出到屏幕）")
    serve.set_defaults(func=cmd_serve_config)

    compress = sub.add_parser("compress", help="为网站的文本文件写入 .gz 预压缩副本（有 brotli 库时也写 .br）")
    compress.add_argument("site", nargs="?", default="site", help="生成的网站目录（默认 site）")
    compress.set_defaults(func=cmd_compress)

    publish = sub.add_parser("publish", help="发布计划：比较旧网站和新网站，列出新增、修改、删除的文件和上传顺序")
    publish.add_argument("--plan", nargs=2, metavar=("OLD", "NEW"), required=True,
                         help="旧网站和新网站（生成的目录，或 gongkai serve-config storage 写的清单）")
    publish.add_argument("--format", choices=("text", "json", "aws"), default="text",
                         help="aws：输出某一步的 AWS CLI 命令")
    publish.add_argument("--step", type=int, choices=(1, 2, 3, 4), default=None, help="--format aws 的步骤")
    publish.add_argument("--target", default=None, help="--format aws 的目标，例如 s3://桶/xxgk")
    publish.set_defaults(func=cmd_publish)
