"""Argument helpers shared by every ``gongkai`` subcommand."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def arg_date(value: str) -> dt.date:
    """argparse type for ``--date YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{value}") from None


def site_root(path: str, command: str) -> Path | None:
    """The site folder, or None after telling the user it is not one (exit code 2)."""
    root = Path(path)
    if not (root / "catalog").is_dir():
        print(f"gongkai {command}: {root} 下没有 catalog/ 目录，不是 gongkai 站点", file=sys.stderr)
        return None
    return root
