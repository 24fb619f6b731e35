"""Every message a guide under docs/ quotes is, character for character, what the tool prints.

The convention, for any guide and any engineer who quotes a message:

* An **input** is a fenced block whose info string carries ``title="<path>"``, a path relative to
  the site root (``content/zfb/2026/00021.md``, ``catalog/site.yml``, ``导出.csv``). It is written
  into the site at that path; ``title="<path> 追加"`` appends it to the file instead (a line added
  to ``catalog/site.yml``).
* A **quoted output** is a fenced block whose info string carries ``title="gongkai <arguments> 输出"``.
  The test builds a fresh site (the sample catalogue, no items), writes the inputs that stand between
  the previous quoted output and this one, runs ``gongkai <arguments>`` in it (``check`` as of
  ``BUILD_DATE``) and requires every non-empty line of the block to be one of the lines the command
  printed, on standard output or error.

So a quote can never drift from the tool: change a message and the guide's test fails until the
guide says what the tool says.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import BUILD_DATE
from sitekit import ROOT, gongkai, make_site

GUIDES = sorted((ROOT / "docs").glob("*.md"))
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
                    re.M | re.S)
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_OUTPUT = re.compile(r"^gongkai (?P<args>.+) 输出$")


@dataclass
class Example:
    guide: str
    line: int
    args: list[str]
    expected: list[str]
    inputs: list[tuple[str, str, bool]] = field(default_factory=list)  # (path, text, append)


def _examples(path: Path) -> list[Example]:
    text = path.read_text(encoding="utf-8")
    found: list[Example] = []
    pending: list[tuple[str, str, bool]] = []
    for m in _FENCE.finditer(text):
        title = _TITLE.search(m["info"])
        if title is None:
            continue
        indent = m["indent"]
        body = "".join(line[len(indent):] if line.startswith(indent) else line
                       for line in m["body"].splitlines(keepends=True))
        output = _OUTPUT.match(title["title"])
        if output is None:
            target, _, mode = title["title"].partition(" ")
            pending.append((target, body, mode == "追加"))
            continue
        line = text.count("\n", 0, m.start()) + 1
        expected = [stripped for stripped in (raw.strip() for raw in body.splitlines()) if stripped]
        found.append(Example(path.relative_to(ROOT).as_posix(), line, shlex.split(output["args"]), expected,
                             pending))
        pending = []
    return found


EXAMPLES = [example for guide in GUIDES for example in _examples(guide)]


def test_the_guides_quote_checked_messages():
    # the sections that teach 发文字号 and the import quote what the tool prints
    assert {e.args[0] for e in EXAMPLES if e.guide == "docs/编辑指南.md"} >= {"check", "import"}
    assert all(e.expected for e in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.guide}:{e.line}" for e in EXAMPLES])
def test_a_quoted_message_is_what_the_tool_prints(example: Example, tmp_path):
    site = make_site(tmp_path / "site")
    for rel, text, append in example.inputs:
        target = (site / rel).resolve()
        assert target.is_relative_to(site.resolve()), rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a" if append else "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    args = list(example.args)
    if args[0] == "check" and "--date" not in args:
        args[1:1] = ["--date", BUILD_DATE]
    result = gongkai(*args, cwd=site)
    printed = {line.strip() for line in (result.stdout + "\n" + result.stderr).splitlines()}
    missing = [line for line in example.expected if line not in printed]
    assert not missing, (f"{example.guide}:{example.line} quotes lines `gongkai {' '.join(example.args)}` "
                         f"does not print:\n" + "\n".join(missing) + "\n--- it printed:\n"
                         + result.stdout + result.stderr)
