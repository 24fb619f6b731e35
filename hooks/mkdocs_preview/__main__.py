"""``python -m mkdocs_preview [--port 8000] [-f mkdocs.yml]``: what ``make serve`` runs."""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
from pathlib import Path

from mkdocs_preview.engine import Preview
from mkdocs_preview.server import run


def mount_of(config_file: Path) -> str:
    """The sub-path of ``site_url`` (``/xxgk/``): the preview serves the site where it will live."""
    text = config_file.read_text(encoding="utf-8")
    m = re.search(r"^site_url:\s*['\"]?\S+?://[^/\s'\"]+(/[^\s'\"]*)?", text, re.M)
    path = m[1] if m and m[1] else "/"
    return path if path.endswith("/") else path + "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make serve", description="本地预览：保存文件后自动刷新")
    parser.add_argument("--port", type=int, default=8000, help="端口（被占用时改用下一个空闲端口）")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config_file = args.config_file.resolve()
    if not config_file.is_file():
        print(f"找不到 {args.config_file}：请在网站仓库的根目录运行 make serve", file=sys.stderr)
        return 2
    mount = mount_of(config_file)
    with tempfile.TemporaryDirectory(prefix="gongkai-preview-") as site_dir:
        def make_preview(port: int) -> Preview:
            return Preview(config_file, Path(site_dir), f"http://{args.host}:{port}{mount}")
        try:
            run(make_preview, args.host, args.port, mount)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
