"""``gongkai check``: exit codes, text and JSON output, the review gate.

One test runs the real console entry point in its own process, as an editor or a pipeline does;
the others, and sitekit.gongkai for every other test, call the same ``main`` in this process (a
subprocess spends most of its second importing), reading what it prints.
"""

from __future__ import annotations

import json

from sitekit import ROOT, gongkai_process, item, make_site, write

from gongkai.cli.main import main


def check(capsys, *argv: str) -> tuple[int, str, str]:
    """``gongkai check ARGV`` in this process: exit code, standard output, standard error."""
    try:
        code = main(["check", *argv])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_site_exits_0_and_counts_items(tmp_path):
    site = make_site(tmp_path, {
        "zfb/a.md": item(),
        "zfb/b.md": item(id="002501001/2026-00002", title="关于秋季防火的通告", published="2027-01-05",
                         created="2026-11-20"),
    })
    result = gongkai_process("check", str(site), "--date", "2026-11-26")  # the real process, console and all
    assert result.returncode == 0, result.stdout + result.stderr
    *warnings, summary, scheduled, named = result.stdout.strip().splitlines()
    # a two-item site leaves most columns of the standard catalogue empty: warnings, not errors
    assert warnings and all(": 警告: " in line for line in warnings)
    assert summary == f"检查通过：2 个条目，其中 1 个公开；{len(warnings)} 个警告。"
    # the item not yet public is named, with its day
    assert scheduled == "定时发布：1 个条目到发布日期才出现在网站上："
    assert named == "  content/zfb/b.md：将于 2027-01-05 发布（关于秋季防火的通告）"


def test_the_sample_site_passes_check(capsys):
    code, out, err = check(capsys, str(ROOT), "--date", "2026-11-26")
    assert code == 0, out + err
    *lines, summary = out.split("\n定时发布：")[0].strip().splitlines()
    assert summary.startswith("检查通过："), summary
    assert all(": 警告: " in line for line in lines), lines
    # the sample's one scheduled item is named after the summary
    assert "content/zfb/2027/00001.md：将于 2027-01-04 发布" in out
    # the sample is the model site: its catalogue carries every standard element, and its
    # site_url draws no warning
    assert not [line for line in lines if "标准目录要素" in line or "site_url" in line], lines


def test_problems_exit_1_with_file_line_field_in_chinese(tmp_path, capsys):
    site = make_site(tmp_path, {"zfb/a.md": item(published="2025-3-2")})
    code, out, err = check(capsys, str(site), "--date", "2026-11-26")
    assert code == 1
    assert "content/zfb/a.md:7: 发布日期: 日期“2025-3-2”应写成 YYYY-MM-DD，例如“2025-03-02”" in out
    assert "content/zfb/a.md:10: 审查.审查日期: 日期“2025-3-2”应写成 YYYY-MM-DD" in out
    assert "发现 2 个错误、0 个警告。" in err


def test_json_format_for_ci_annotations(tmp_path, capsys):
    site = make_site(tmp_path, {"zfb/a.md": item(category="nosuch")})
    code, out, _ = check(capsys, str(site), "--format", "json", "--date", "2026-11-26")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    [problem] = report["problems"]
    message = problem.pop("message")
    assert problem == {"file": "content/zfb/a.md", "line": 5, "field": "目录", "severity": "error"}
    # no close name: the message lists the columns to choose from
    assert message.startswith("目录代码“nosuch”未在 catalog/categories.yml 中定义；可用（代码或栏目名称均可）：")
    assert "gfxwj（行政规范性文件）" in message


def test_usage_errors_exit_2(tmp_path, capsys):
    code, _, err = check(capsys, str(tmp_path / "nowhere"))
    assert code == 2
    assert "不是 gongkai 站点" in err
    code, _, err = check(capsys, str(tmp_path))  # a folder that exists but holds no site
    assert code == 2
    assert "不是 gongkai 站点" in err
    code, _, err = check(capsys, ".", "--format", "xml")
    assert code == 2
    assert "--format" in err
    code, _, err = check(capsys, str(ROOT), "--date", "2026-13-01")
    assert code == 2
    assert "日期应为 YYYY-MM-DD：2026-13-01" in err


def test_review_gate_unreviewed_or_refused_items_are_errors(tmp_path, capsys):
    site = make_site(tmp_path, {"zfb/a.md": item(review=False)})
    code, out, _ = check(capsys, str(site), "--date", "2026-11-26")
    assert code == 1
    # no 审查 key to point at: the message names the front matter's first line
    message = ("content/zfb/a.md:2: 审查: 未经保密审查同意的条目不能发布：请由本机构审查人审查后补充审查记录"
               "（审查人、审查日期、审查结果: 同意公开），或写“草稿: true”暂存为草稿")
    assert message in out.splitlines()
    refused = item().replace("审查结果: 同意公开", "审查结果: 修改后再审")
    write(site, "zfb/a.md", refused)
    code, out, _ = check(capsys, str(site), "--date", "2026-11-26")
    assert code == 1
    assert "content/zfb/a.md:8: 审查: 未经保密审查同意的条目不能发布" in out
    write(site, "zfb/a.md", item(review=False, extra="草稿: true\n"))
    assert check(capsys, str(site), "--date", "2026-11-26")[0] == 0


def test_broken_catalogue_is_reported_not_crashed(tmp_path, capsys):
    site = make_site(tmp_path, {"zfb/a.md": item()})
    (site / "catalog" / "agencies.yml").write_text("agencies: [\n", encoding="utf-8")
    code, out, _ = check(capsys, str(site))
    assert code == 1
    assert out.startswith("catalog/agencies.yml:")
