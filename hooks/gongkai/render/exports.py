"""Open-data exports: catalogue.json, its JSON Schema, and catalogue.csv for Excel.

One pydantic model describes an exported item, so the JSON, its published
schema and the CSV columns cannot drift apart. Only ``Site.public_items`` are
exported, and never the review record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from gongkai.model import Item, Site
from gongkai.render.pages import Renderer, StaticFile
from gongkai.text import csv_safe


class _Export(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportPeriod(_Export):
    start: dt.date
    end: dt.date


class ExportAttachment(_Export):
    file: str
    title: str
    size: int = Field(description="字节数")
    kind: str = Field(description="文件类型，如 PDF、CSV")
    url: str = Field(description="相对于网站根目录的路径")


class ExportItem(_Export):
    id: str = Field(description="索引号")
    title: str = Field(description="标题")
    agency: str = Field(description="发布机构")
    agency_code: str = Field(description="发布机构代码")
    category: str = Field(description="目录代码")
    category_name: str = Field(description="目录名称")
    created: dt.date = Field(description="成文日期")
    published: dt.date = Field(description="发布日期")
    doc_number: str | None = Field(description="发文字号")
    status: str = Field(description="有效性")
    repealed: dt.date | None = Field(description="废止日期")
    superseded_by: str | None = Field(description="替代文件的索引号")
    topic: str | None = Field(description="主题分类")
    keywords: list[str] = Field(description="主题词")
    summary: str = Field(description="内容概述")
    disclosure: str = Field(description="公开方式")
    audience: str = Field(description="公开范围")
    channels: list[str] = Field(description="公开载体")
    interprets: str | None = Field(description="所解读文件的索引号")
    notice_period: ExportPeriod | None = Field(description="公示期")
    attachments: list[ExportAttachment] = Field(description="附件")
    url: str = Field(description="条目页面相对于网站根目录的路径")


class ExportCatalogue(_Export):
    title: str = Field(description="网站名称")
    generated: dt.date = Field(description="生成日期（构建日期）")
    count: int = Field(description="items 中的条目数")
    items: list[ExportItem] = Field(description="全部已公开条目，发布日期从新到旧")


#: CSV columns: (Chinese header, ExportItem field); lists are joined with LIST_SEPARATOR
CSV_COLUMNS = (
    ("索引号", "id"), ("标题", "title"), ("发布机构", "agency"), ("机构代码", "agency_code"),
    ("目录代码", "category"), ("目录名称", "category_name"), ("成文日期", "created"),
    ("发布日期", "published"), ("发文字号", "doc_number"), ("有效性", "status"),
    ("废止日期", "repealed"), ("替代文件", "superseded_by"), ("主题分类", "topic"),
    ("主题词", "keywords"), ("内容概述", "summary"), ("公开方式", "disclosure"),
    ("公开范围", "audience"), ("公开载体", "channels"), ("解读对象", "interprets"),
    ("附件数", "attachments"), ("网址", "url"),
)
LIST_SEPARATOR = "；"


def export_item(item: Item) -> ExportItem:
    return ExportItem(
        id=item.id, title=item.title, agency=item.agency.name, agency_code=item.agency.code,
        category=item.category.code, category_name=item.category.name, created=item.created,
        published=item.published, doc_number=item.doc_number, status=item.status,
        repealed=item.repealed, superseded_by=item.superseded_by, topic=item.topic,
        keywords=list(item.keywords), summary=item.summary, disclosure=item.disclosure,
        audience=item.audience, channels=list(item.channels), interprets=item.interprets,
        notice_period=(ExportPeriod(start=item.notice_period.start, end=item.notice_period.end)
                       if item.notice_period else None),
        attachments=[ExportAttachment(file=a.file, title=a.title, size=a.size, kind=a.kind,
                                      url=item.url + a.file) for a in item.attachments],
        url=item.url)


def catalogue(site: Site) -> ExportCatalogue:
    items = [export_item(i) for i in site.public_items]
    return ExportCatalogue(title=site.settings.title, generated=site.build_date, count=len(items),
                           items=items)


def json_schema() -> dict:
    schema = ExportCatalogue.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "catalogue.schema.json",
            "description": "政府信息公开目录 catalogue.json 的格式", **schema}


def csv_cell(item: ExportItem, field: str, site_url: str | None) -> str:
    value = getattr(item, field)
    if field == "attachments":
        return str(len(value))
    if field == "url" and site_url:
        return site_url + value
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def csv_bytes(data: ExportCatalogue, site_url: str | None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for header, _ in CSV_COLUMNS])
    for item in data.items:
        writer.writerow([csv_safe(csv_cell(item, field, site_url)) for _, field in CSV_COLUMNS])
    # the BOM is what makes Excel read UTF-8 instead of the system code page (GBK)
    return buffer.getvalue().encode("utf-8-sig")


def contribute(site: Site, renderer: Renderer) -> Iterable[StaticFile]:
    data = catalogue(site)
    yield StaticFile("catalogue.json", content=json.dumps(
        data.model_dump(mode="json"), ensure_ascii=False, indent=1).encode())
    yield StaticFile("catalogue.schema.json",
                     content=json.dumps(json_schema(), ensure_ascii=False, indent=1).encode())
    yield StaticFile("catalogue.csv", content=csv_bytes(data, renderer.site_url))
