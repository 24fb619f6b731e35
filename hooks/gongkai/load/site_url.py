"""The generator's ``site_url``: a government site's address ends in .gov.cn."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.problems import Problems
from gongkai.urls import gov_host_problem


def check_site_url(root: Path, problems: Problems, config: str = "mkdocs.yml") -> None:
    """The build warns when site_url is not a .gov.cn address (and --strict stops on it);
    ``gongkai check`` says so too. Read as text: the generator's config is not ours to load."""
    path = Path(root) / config
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for number, line in enumerate(lines, 1):
        m = re.match(r"site_url:\s*['\"]?([^'\"\s#]+)", line)
        if m:
            problem = gov_host_problem(m[1])
            if problem is not None:
                problems.add(config, number, "site_url", problem, "warning")
            return
