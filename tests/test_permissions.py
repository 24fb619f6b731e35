"""Who may publish what (issue 25): one agency's editor tries the routes around its reviewers,
and `gongkai check` refuses each with one Chinese message naming file, line, field and who acts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sitekit import CODEOWNERS, ROOT, gongkai, make_site, write

from gongkai.guards import pii
from gongkai.load.codeowners import owners_files
from gongkai.load.loader import Repository, load_catalog
from gongkai.load.owners import owner_of
from gongkai.pipeline import load_site
from gongkai.problems import Problems

TODAY = "2026-12-06"
#: a 身份证号 that passes its check digit, for the exception the editor tries
ID_NUMBER = "11010519491231002" + pii.id_check_digit("11010519491231002")


def cgj_item(folder: str = "cgj", agency: str = "青禾县城市管理局", code: str = "002501003",
             reviewer: str = "赵志强", created: str = "2026-12-01", published: str = "2026-12-04",
             reviewed: str = "2026-12-03", extra: str = "", body: str = "正文。\n") -> tuple[str, str]:
    text = (f"---\n索引号: {code}/2026-00101\n标题: 关于清理占道经营的通告\n发布机构: {agency}\n目录: qtwj\n"
            f"成文日期: {created}\n发布日期: {published}\n{extra}"
            f"审查:\n  审查人: {reviewer}\n  审查日期: {reviewed}\n  审查结果: 同意公开\n---\n{body}")
    return f"{folder}/2026/qingli.md", text


def refused(tmp_path, rel: str, text: str) -> str:
    """The single error `gongkai check` prints for the site with this one file."""
    site = make_site(tmp_path / "site", {rel: text})
    result = gongkai("check", str(site), "--date", TODAY)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("content/") and "警告" not in line]
    assert len(errors) == 1, result.stdout
    return errors[0]


def test_an_item_filed_under_another_agencys_folder_is_refused(tmp_path):
    rel, text = cgj_item(folder="zfb")
    line = refused(tmp_path, rel, text)
    assert line.startswith("content/zfb/2026/qingli.md:4: 发布机构: 发布机构“青禾县城市管理局”与文件夹不符：")
    assert "content/zfb/ 是“青禾县人民政府办公室”的文件夹" in line
    assert "请青禾县城市管理局的编辑（马超、唐静）把条目放在本机构的文件夹 content/cgj/ 下" in line


def test_an_item_in_its_own_folder_under_another_agencys_name_is_refused(tmp_path):
    rel, text = cgj_item(agency="青禾县人民政府办公室", code="002501001", reviewer="陈建国")
    line = refused(tmp_path, rel, text)
    assert line.startswith("content/cgj/2026/qingli.md:4: 发布机构: 发布机构“青禾县人民政府办公室”与文件夹不符：")
    assert "content/cgj/ 是“青禾县城市管理局”的文件夹，只能发布该机构的信息（由其审查人 赵志强 审查）" in line


def test_an_item_outside_every_agencys_folder_is_refused(tmp_path):
    rel, text = cgj_item(folder="misc")
    line = refused(tmp_path, rel, text)
    assert line.startswith("content/misc/2026/qingli.md:4: 发布机构: 条目所在的 content/misc/ 不是任何机构的文件夹")
    assert "content/cgj/（青禾县城市管理局）" in line


@pytest.mark.parametrize(("reviewer", "why"), [
    ("马超", "是本机构的编辑，编辑不能审查条目"),  # the editor names themselves
    ("张三", "不是本机构登记的审查人"),
    ("陈建国", "不是本机构登记的审查人"),  # a reviewer, but of another agency
])
def test_the_reviewer_must_be_one_of_the_agencys_reviewers(tmp_path, reviewer, why):
    rel, text = cgj_item(reviewer=reviewer)
    line = refused(tmp_path, rel, text)
    assert line == (f"content/cgj/2026/qingli.md:9: 审查人: 审查人“{reviewer}”{why}（catalog/agencies.yml 中"
                    "青禾县城市管理局的审查人：赵志强）：须由其中一人审查本条目，并写上自己的姓名")


def test_a_review_dated_before_the_document_existed_is_refused(tmp_path):
    rel, text = cgj_item(reviewed="2026-11-20")
    line = refused(tmp_path, rel, text)
    assert line.startswith("content/cgj/2026/qingli.md:10: 审查日期: 审查日期 2026-11-20 早于成文日期 2026-12-01")
    assert "须由青禾县城市管理局的审查人（赵志强）审查后填写实际的审查日期" in line


def test_a_copied_import_record_in_a_new_item_is_refused_without_offering_a_switch(tmp_path):
    rel, text = cgj_item(created="2026-12-04", published="2026-12-05", reviewer="历史导入（原系统已公开）",
                         reviewed="2022-04-12", extra="历史导入: true\n")
    line = refused(tmp_path, rel, text)
    assert line.startswith("content/cgj/2026/qingli.md:8: 历史导入: “历史导入”只用于从旧网站迁移的信息：")
    assert "发布日期 2026-12-05 不早于本站上线日期 2025-07-01，也没有原索引号" in line
    assert "须由青禾县城市管理局的审查人（赵志强）审查本条目" in line
    assert "true" not in line.split("：", 1)[1]  # no way to switch it back on


def test_an_import_before_go_live_keeps_its_record_and_is_listed_for_the_reviewer(tmp_path):
    rel, text = cgj_item(created="2024-03-01", published="2024-03-05", reviewer="历史导入（原系统已公开）",
                         reviewed="2024-03-05", extra="历史导入: true\n")
    site_root = make_site(tmp_path / "site", {rel.replace("2026", "2024"): text.replace("2026-00101", "2024-00101")})
    site = load_site(site_root, dt.date(2026, 12, 6))
    item = next(i for i in site.items if i.id == "002501003/2024-00101")
    assert [(e.kind, e.line) for e in item.exemptions] == [("历史导入", 8)]
    assert "发布日期 2024-03-05" in item.exemptions[0].detail


def test_a_personal_data_exception_cannot_let_an_id_number_through(tmp_path):
    rel, text = cgj_item(body=f"困难群众 李某，身份证号 {ID_NUMBER}。\n",
                         extra=f"个人信息例外:\n  号码: [{ID_NUMBER}]\n  理由: 低保公示需要\n")
    line = refused(tmp_path, rel, text)
    masked = pii.mask("id", ID_NUMBER)
    assert line == (f"content/cgj/2026/qingli.md:9: 个人信息例外: 身份证号（{masked}）不能作为个人信息例外公开，"
                    f"谁也不能放行：请编辑在条目中把它脱敏写成 {masked}，并从“个人信息例外”中删去。例外只用于机构的办公电话")


def test_a_mobile_number_is_never_an_exception_and_the_refusal_offers_none(tmp_path):
    rel, text = cgj_item(body="联系人 13907450001。\n")
    line = refused(tmp_path, rel, text)
    assert "个人信息例外" not in line and "手机号不能作为例外公开" in line
    rel, text = cgj_item(body="联系人 13907450001。\n",
                         extra="个人信息例外:\n  号码: [13907450001]\n  理由: 村委会电话\n")
    line = refused(tmp_path / "again", rel, text)
    assert line.startswith("content/cgj/2026/qingli.md:9: 个人信息例外: 手机号（139****0001）不能作为个人信息例外公开")


def test_an_office_telephone_exception_passes_and_is_listed_for_the_reviewer(tmp_path):
    rel, text = cgj_item(body="咨询电话 0571-65000301。\n",
                         extra="个人信息例外:\n  号码: [0571-65000301]\n  理由: 本局对外公布的办公电话\n")
    site_root = make_site(tmp_path / "site", {rel: text})
    result = gongkai("check", str(site_root), "--date", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    item = next(i for i in load_site(site_root, dt.date(2026, 12, 6)).items if i.source.endswith(rel))
    assert [(e.kind, e.detail) for e in item.exemptions] == [
        ("个人信息例外", "号码 0571-65000301；理由：本局对外公布的办公电话")]


def test_manual_review_is_the_agencys_reviewers_and_listed(tmp_path):
    attachment = "附件:\n  - 文件: 照片.png\n    人工审查:\n      审查人: {who}\n      理由: 已逐页核对，无个人信息\n"
    rel, text = cgj_item(extra=attachment.format(who="马超"))
    site = make_site(tmp_path / "site", {rel: text})
    (site / "content" / "cgj" / "2026" / "照片.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    result = gongkai("check", str(site), "--date", TODAY)
    assert result.returncode == 1
    assert ("content/cgj/2026/qingli.md:11: 人工审查: 附件“照片.png”的人工审查人“马超”不是青禾县城市管理局登记的审查人"
            "（赵志强）") in result.stdout
    write(site, rel, cgj_item(extra=attachment.format(who="赵志强"))[1])
    assert gongkai("check", str(site), "--date", TODAY).returncode == 0
    item = next(i for i in load_site(site, dt.date(2026, 12, 6)).items if i.source.endswith(rel))
    assert [(e.kind, e.line) for e in item.exemptions] == [("人工审查", 9)]
    assert "经 赵志强 人工审查" in item.exemptions[0].detail


# --- the catalog's people and the forges' CODEOWNERS ---------------------------------------

def _catalog(root=ROOT):
    problems = Problems()
    catalog = load_catalog(Repository(root), problems)
    assert catalog is not None, problems.sorted()
    return catalog


def test_every_agency_of_the_sample_has_editors_and_reviewers_and_the_site_publishers():
    catalog = _catalog()
    assert all(a.editors and a.reviewers for a in catalog.agencies)
    assert catalog.settings.publishers and catalog.settings.go_live == dt.date(2025, 7, 1)


def test_a_path_maps_to_its_agency_and_who_approves_it():
    catalog = _catalog()
    settings, agencies = catalog.settings, catalog.agencies
    cgj = owner_of("content/cgj/2026/00001.md", settings, agencies)
    assert cgj.agency is not None and cgj.agency.slug == "cgj"
    assert [p.user for p in cgj.approvers] == ["zhaozq"]
    rules = owner_of("content/pages/rules/guide.md", settings, agencies)
    assert rules.agency is not None and rules.agency.name == settings.owner
    for path in ("hooks/gongkai/model.py", "catalog/site.yml", "mkdocs.yml", "content/stray.md",
                 "content/misc/2026/x.md"):
        owner = owner_of(path, settings, agencies)
        assert owner.agency is None and [p.user for p in owner.approvers] == ["zhoumin", "hejun"], path


def test_the_committed_codeowners_files_are_current():
    catalog = _catalog()
    for wanted in owners_files(catalog.settings, catalog.agencies):
        assert (ROOT / wanted.path).read_text(encoding="utf-8") == wanted.text, \
            f"{wanted.path} is stale: run `gongkai codeowners` and commit the result"


def _gitea_owners(text: str, path: str) -> set[str]:
    """Gitea's reading: every line's Go regexp anchored at both ends, ``!`` negating,
    ``\\\\`` the tokenizer's escape for a backslash; owners of every matching line."""
    owners: set[str] = set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        rule, *users = line.split()
        negative = rule.startswith("!")
        expr = re.compile("^" + rule.removeprefix("!").replace("\\\\", "\\") + "$")
        if (expr.match(path) is None) == negative:
            owners |= {u.removeprefix("@") for u in users}
    return owners


def _github_owners(text: str, path: str) -> set[str]:
    """GitHub's reading for the patterns written here: the last matching line wins."""
    found: set[str] = set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        rule, *users = line.split()
        anchored = rule.lstrip("/")
        if rule == "*" or path == anchored or (anchored.endswith("/") and path.startswith(anchored)):
            found = {u.removeprefix("@") for u in users}
    return found


@pytest.mark.parametrize("path", ["content/cgj/2026/00001.md", "content/zfb/2025/附件.pdf",
                                  "content/annual/2025.md", "catalog/agencies.yml", "hooks/gongkai/model.py",
                                  "mkdocs.yml", ".github/workflows/review.yml", ".gitea/CODEOWNERS",
                                  "overrides/main.html", "Makefile", "README.md"])
def test_both_forges_read_the_same_owners_as_owner_of(path):
    catalog = _catalog()
    expected = {p.user for p in owner_of(path, catalog.settings, catalog.agencies).approvers}
    files = {f.path: f.text for f in owners_files(catalog.settings, catalog.agencies)}
    assert _github_owners(files[".github/CODEOWNERS"], path) == expected
    assert _gitea_owners(files[".gitea/CODEOWNERS"], path) == expected


def test_check_fails_until_codeowners_is_run_and_again_when_people_change(tmp_path):
    site = make_site(tmp_path / "site")
    for owners in CODEOWNERS:
        (site / owners).unlink()
    result = gongkai("check", str(site), "--date", TODAY)
    assert result.returncode == 1
    assert (".github/CODEOWNERS: .github/CODEOWNERS 缺失：代码托管平台据此决定谁能批准合并。"
            "请网站发布人（周敏、何军）运行 gongkai codeowners 重新生成并提交") in result.stdout
    assert gongkai("codeowners", str(site)).returncode == 0
    assert gongkai("check", str(site), "--date", TODAY).returncode == 0
    agencies = site / "catalog" / "agencies.yml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(
        "{user: zhaozq, name: 赵志强}", "{user: zhaozq, name: 赵志强}\n      - {user: qianwei, name: 钱伟}"),
        encoding="utf-8")
    result = gongkai("check", str(site), "--date", TODAY)
    assert result.returncode == 1
    assert ".gitea/CODEOWNERS 与 catalog/ 中登记的编辑、审查人、发布人不一致" in result.stdout
    assert gongkai("codeowners", str(site)).returncode == 0
    assert "@zhaozq @qianwei" in (site / ".gitea" / "CODEOWNERS").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("{user: zhaozq, name: 赵志强}", "{user: '@赵志强', name: 赵志强}",
     "平台用户名“赵志强”只能用英文字母、数字、点、下划线和连字符"),
    ("{user: sunxy, name: 孙晓燕}\n      - {user: fanglei, name: 方磊}",
     "{user: sunxy, name: 孙晓燕}\n      - {user: sunxy, name: 方磊}", "平台用户名“sunxy”重复"),
    ("    reviewers:\n      - {user: zhaozq, name: 赵志强}\n", "",
     "“青禾县城市管理局”没有登记审查人：请网站发布人在 reviewers 中写明本机构的保密审查人"),
])
def test_the_people_are_validated_like_every_catalog_file(tmp_path, old, new, expected):
    site = make_site(tmp_path / "site")
    agencies = site / "catalog" / "agencies.yml"
    text = agencies.read_text(encoding="utf-8")
    assert old in text
    agencies.write_text(text.replace(old, new), encoding="utf-8")
    result = gongkai("check", str(site), "--date", TODAY)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if expected in line]
    assert len(lines) == 1 and re.match(r"catalog/agencies\.yml:\d+: ", lines[0]), result.stdout + result.stderr


def test_go_live_must_be_a_date(tmp_path):
    site = make_site(tmp_path / "site")
    settings = site / "catalog" / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("go_live: 2025-07-01", "go_live: 2025年7月"),
                        encoding="utf-8")
    result = gongkai("check", str(site), "--date", TODAY)
    assert result.returncode == 1
    assert re.search(r"catalog/site\.yml:\d+: 上线日期: .*日期“2025年7月”应写成 YYYY-MM-DD", result.stdout + result.stderr)
