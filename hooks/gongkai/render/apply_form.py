"""The downloadable 政府信息公开申请表 (DOCX), generated from the site data at build time.

The form carries what 《条例》第二十九条 asks an application to contain, and the accepting
agencies' addresses from catalog/agencies.yml, so it never disagrees with the 依申请公开 page.
It is written into the built site only, never into content/. The bytes depend on the site
data alone (fixed dates in the document and in the zip), so two builds are identical.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from gongkai.model import Site
from gongkai.render.pages import StaticFile

URL = "apply/zhengfu-xinxi-gongkai-shenqingbiao.docx"
TITLE = "政府信息公开申请表"
#: python-docx refuses characters XML cannot hold; author text is cleaned of them first
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: the zip's timestamps: the earliest a zip can hold, the same in every build
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

APPLICANT_ROWS = (
    ("公民", ("姓名", "证件名称", "证件号码", "联系电话", "通信地址", "邮政编码", "电子邮箱")),
    ("法人或者其他组织", ("名称", "统一社会信用代码", "法定代表人", "联系人姓名", "联系电话",
                      "通信地址", "电子邮箱")),
)
REQUEST_ROWS = (
    "所需政府信息的名称",
    "文号或者便于查询的其他特征性描述",
    "所需信息的用途（可不填写）",
    "信息的提供方式（纸质、电子邮件、光盘、其他）",
    "信息的获取途径（邮寄、电子邮件、自行领取、当场阅读抄录）",
)


def _clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def form_file(site: Site) -> StaticFile:
    return StaticFile(URL, content=build_form(site))


def build_form(site: Site) -> bytes:
    import docx  # python-docx; imported here: only the build pays for it

    document = docx.Document()
    props = document.core_properties
    props.title = _clean(f"{site.settings.title} {TITLE}")
    props.author = _clean(site.settings.owner)
    props.created = props.modified = dt.datetime(site.build_date.year, site.build_date.month,
                                                 site.build_date.day)
    props.revision = 1
    document.add_heading(TITLE, level=1)
    document.add_paragraph(_clean(f"受理机关：{'、'.join(a.name for a in site.agencies)}（请选择掌握该信息的机关）"))

    table = document.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for group, fields in APPLICANT_ROWS:
        first = True
        for name in fields:
            cells = table.add_row().cells
            cells[0].text = f"申请人信息（{group}）" if first else ""
            cells[1].text = name
            first = False
    for name in REQUEST_ROWS:
        cells = table.add_row().cells
        cells[0].text = "所需信息情况"
        cells[1].text = name
    for name in ("申请人签名（盖章）", "申请时间"):
        cells = table.add_row().cells
        cells[0].text = name

    document.add_heading("填写说明", level=2)
    for note in (
        "申请内容应当包括申请人的姓名或者名称、身份证明、联系方式，申请公开的政府信息的名称、文号或者"
        "便于查询的其他特征性描述，以及形式要求（《中华人民共和国政府信息公开条例》第二十九条）。",
        "能够当场答复的当场答复；不能当场答复的，自收到申请之日起 20 个工作日内答复，需要延长的延长期限"
        "最长不超过 20 个工作日。",
        "申请可以当面提交、邮寄或者发送电子邮件；采用书面形式确有困难的，可以口头提出，由受理机关代为填写。",
    ):
        document.add_paragraph(note, style="List Bullet")
    if site.settings.apply_online_url:
        document.add_paragraph(_clean(f"也可以通过在线申请平台提交：{site.settings.apply_online_url}"))

    document.add_heading("受理机关及联系方式", level=2)
    contacts = document.add_table(rows=1, cols=5)
    contacts.style = "Table Grid"
    for cell, label in zip(contacts.rows[0].cells, ("机关", "通信地址", "邮政编码", "联系电话", "电子邮箱"), strict=False):
        cell.text = label
    for agency in site.agencies:
        cells = contacts.add_row().cells
        for cell, value in zip(cells, (agency.name, agency.address, agency.postcode, agency.phone,
                                       agency.email), strict=False):
            cell.text = _clean(value)

    raw = io.BytesIO()
    document.save(raw)
    return _fixed_dates(raw.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with every member dated ``_ZIP_DATE``: python-docx stamps the clock time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, _ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
