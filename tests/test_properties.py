"""Random front matter never crashes the loader: it only ever yields validation problems."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itemfactory import GOOD, new_repo

from gongkai.pipeline import load_site
from gongkai.problems import ValidationFailed

KEYS = ["索引号", "标题", "发布机构", "目录", "成文日期", "发布日期", "发文字号", "有效性", "废止日期",
        "替代文件", "主题分类", "主题词", "公开载体", "解读对象", "审查", "公示期", "附件", "draft",
        "id", "title", "status", "channels", "review", "attachments", "unknown"]
scalars = st.one_of(
    st.text(max_size=20), st.integers(-10**12, 10**12).map(str), st.sampled_from(
        ["2025-02-30", "2025-03-18", "no", "yes", "~", "null", "010", "12:30", "〔2024〕", "!!str x",
         "'quoted'", '"dq"', "[a, b]", "{a: 1}", "- x", "&a x", "*a", ":", "|", ">"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS + ["审查人", "文件"]), inner, max_size=3)),
    max_leaves=6)


def render(value, indent=0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        return "\n" + "".join(f"{pad}  {k}:{render(v, indent + 2)}\n" for k, v in value.items()).rstrip("\n")
    if isinstance(value, list):
        return "\n" + "".join(f"{pad}  -{render(v, indent + 2)}\n" for v in value).rstrip("\n")
    return " " + value


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(KEYS), values, max_size=8), raw=st.text(max_size=40),
       keep_good=st.booleans())
def test_random_front_matter_yields_problems_never_tracebacks(tmp_path_factory, fields, raw, keep_good):
    root = new_repo(tmp_path_factory.mktemp("h"))
    head = GOOD.split("---\n")[1] if keep_good else ""
    body = "".join(f"{k}:{render(v)}\n" for k, v in fields.items())
    (root / "content" / "x.md").write_text(f"---\n{head}{body}{raw}\n---\n正文\n", encoding="utf-8")
    try:
        site = load_site(root, dt.date(2026, 1, 1))
    except ValidationFailed as exc:
        assert exc.problems and all(p.file == "content/x.md" and p.message for p in exc.problems)
    else:
        assert len(site.items) == 1
    shutil.rmtree(root)
