"""Closed vocabularies from the regulations (see shared/domain.md §2)."""

from __future__ import annotations

STATUSES = ("有效", "失效", "废止", "已修订")
#: statuses under which a document is no longer in force
NOT_IN_FORCE = ("失效", "废止", "已修订")

DISCLOSURES = ("主动公开", "依申请公开", "不予公开")
AUDIENCES = ("面向全社会", "特定群体")

CHANNELS = (
    "政府网站",
    "政府公报",
    "两微一端",
    "发布会/听证会",
    "广播电视",
    "纸质媒体",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "入户/现场",
    "社区/村公示栏(电子屏)",
    "精准推送",
    "其他",
)

REVIEW_RESULTS = ("同意公开", "不同意公开", "修改后再审", "待审查")
APPROVED = "同意公开"

#: rows of the annual report's first table that catalogue categories may feed
REPORT_ROWS = ("规章", "行政规范性文件")

#: the 审查人 ``gongkai import`` records for an item the old system had already published
IMPORT_REVIEWER = "历史导入（原系统已公开）"
