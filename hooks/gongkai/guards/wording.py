"""Serious wording errors and classification marks in published text.

A misspelt leader's title, the country's or the Party's name written wrong, and other
严重表述错误 fail a site outright in the quarterly inspection (国办秘函〔2019〕19号), as does a
document still carrying its 密级 mark (秘密★, 机密, 绝密, 内部): a leak. The built-in list
below holds errors no agency would want; ``catalog/wording.yml`` adds the agency's own words
(leaders' names, place names) and their wrong forms.

One compiled alternation of every wrong form scans a text in a single pass; the 密级 pattern
runs only on texts containing 密 or 内部. Both are cheap next to reading the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.read.source import MarkdownSource
from gongkai.schema.front_matter import LABELS

#: (wrong form, correct form): leaders' titles, the country's and the Party's names, and
#: political terms whose misstatement is a 严重表述错误
POLITICAL = (
    ("中华人名共和国", "中华人民共和国"), ("中华人民共合国", "中华人民共和国"),
    ("中化人民共和国", "中华人民共和国"), ("中华民人共和国", "中华人民共和国"),
    ("中华人民和共国", "中华人民共和国"),
    ("中国共产觉", "中国共产党"), ("中国共产堂", "中国共产党"), ("中国公产党", "中国共产党"),
    ("中国共惨党", "中国共产党"), ("中国共产常", "中国共产党"),
    ("习近评", "习近平"), ("习进平", "习近平"), ("习金平", "习近平"), ("习近萍", "习近平"),
    ("总书纪", "总书记"), ("总书计", "总书记"), ("总书几", "总书记"),
    ("国务院总里", "国务院总理"), ("国务院付总理", "国务院副总理"),
    ("全国人大常委员会", "全国人大常委会"), ("全国政协付主席", "全国政协副主席"),
    ("政冶局", "政治局"), ("中央纪委监委", "中央纪委国家监委"),
    ("马克斯主义", "马克思主义"), ("毛择东", "毛泽东"), ("邓小平里论", "邓小平理论"),
    ("中国特色社会注义", "中国特色社会主义"), ("社会主义核心价值关", "社会主义核心价值观"),
    ("台湾总统", "台湾地区领导人"), ("台湾政府", "台湾当局"), ("北韩", "朝鲜"), ("南韩", "韩国"),
    ("付省长", "副省长"), ("付市长", "副市长"), ("付县长", "副县长"), ("付区长", "副区长"),
    ("付镇长", "副镇长"), ("付乡长", "副乡长"), ("付书记", "副书记"), ("付主任", "副主任"),
    ("付局长", "副局长"), ("付主席", "副主席"), ("付部长", "副部长"), ("付厅长", "副厅长"),
    ("国务院办工厅", "国务院办公厅"), ("乡村振新", "乡村振兴"), ("脱贫功坚", "脱贫攻坚"),
)
#: common misspellings in 公文 (《党政机关公文格式》 practice, 常见错别字)
DOCUMENTS = (
    ("截止目前", "截至目前"), ("再接再励", "再接再厉"), ("迫不急待", "迫不及待"),
    ("一愁莫展", "一筹莫展"), ("按步就班", "按部就班"), ("一如继往", "一如既往"),
    ("精兵减政", "精兵简政"), ("贯切落实", "贯彻落实"), ("部暑", "部署"), ("布署", "部署"),
    ("按排", "安排"), ("重迭", "重叠"), ("坚苦奋斗", "艰苦奋斗"), ("励精图志", "励精图治"),
    ("不径而走", "不胫而走"), ("竞竞业业", "兢兢业业"), ("默守成规", "墨守成规"),
    ("滥芋充数", "滥竽充数"), ("挺而走险", "铤而走险"), ("一股作气", "一鼓作气"),
    ("迫在眉捷", "迫在眉睫"), ("人才倍出", "人才辈出"), ("再所不惜", "在所不惜"),
    ("功不可默", "功不可没"), ("出奇不意", "出其不意"), ("既往不究", "既往不咎"),
    ("直接了当", "直截了当"), ("走头无路", "走投无路"), ("好象", "好像"),
    ("帐户", "账户"), ("帐目", "账目"), ("帐号", "账号"), ("签定合同", "签订合同"),
)

#: 密级 marks (GB/T 9704-2012 7.2.3: 密级和保密期限 such as “秘密★1年”) and 内部 used as a mark:
#: a ★ after a level anywhere; a line that is nothing but a level or 内部; “密级：…”
_MARKS = re.compile(
    r"(?:绝密|机密|秘密)[ \t\u3000]*★[^\n*_]{0,12}"
    r"|^[ \t\u3000#>*_【\[〔（(]*(?:绝密|机密|秘密|内部(?:资料|文件|材料|使用)?)"
    r"(?:[ \t\u3000]*[，,]?[ \t\u3000]*注意保存)?[ \t\u3000*_】\]〕）)]*$"
    r"|密级[ \t\u3000]*[:：][ \t\u3000]*(?:绝密|机密|秘密|内部)[^\n*_]{0,12}",
    re.M)


@dataclass(frozen=True, slots=True)
class Hit:
    line: int  # 1-based line within the scanned text
    found: str
    message: str


@dataclass(frozen=True, slots=True)
class Word:
    wrong: str
    correct: str
    what: str  # 严重表述错误, 公文常见错字, 本机关用语


class Lexicon:
    """Wrong forms and what to write instead, compiled into one pattern."""

    def __init__(self, words: Iterable[Word]):
        self.words: dict[str, Word] = {}
        for word in words:
            self.words.setdefault(word.wrong, word)  # the first definition of a form wins
        self.pattern = re.compile(_trie(self.words)) if self.words else None

    def extended(self, words: Iterable[Word]) -> Lexicon:
        """This lexicon plus ``words`` (the agency's own, from catalog/wording.yml)."""
        return Lexicon([*words, *self.words.values()])

    def scan(self, text: str, marks: bool = False) -> list[Hit]:
        """Every wrong form in ``text``; with ``marks``, classification marks too."""
        hits: list[Hit] = []
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                word = self.words[m.group()]
                if _inside_correct(text, m.start(), word):
                    continue
                hits.append(Hit(_line(text, m.start()), m.group(),
                                f"“{m.group()}”应为“{word.correct}”（{word.what}）"))
        if marks and ("密" in text or "内部" in text):
            for m in _MARKS.finditer(text):
                mark = m.group().strip(" \t#>*_")
                hits.append(Hit(_line(text, m.start()), mark,
                                f"出现密级标志“{mark}”：涉密或内部信息不得公开，请删去该内容并重新进行保密审查"))
        hits.sort(key=lambda h: h.line)
        return hits


def _trie(forms: Iterable[str]) -> str:
    """One pattern for all forms, shared prefixes factored out (中(?:华…|国…)): at each position
    the engine follows one branch instead of trying every form. A longer form wins over a
    shorter one it starts with, so 中华人名共和国 is reported whole."""
    root: dict = {}
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a form ends here: the longer ones are optional
            return f"(?:{body})?"
        return body

    return build(root)


def _inside_correct(text: str, start: int, word: Word) -> bool:
    """The match is part of the correct form written right, as when an agency lists 港澳台 as
    wrong for 港澳台地区: then the text says 港澳台地区 here and is fine."""
    correct, wrong = word.correct, word.wrong
    offset = correct.find(wrong)
    while offset >= 0:
        begin = start - offset
        if begin >= 0 and text.startswith(correct, begin):
            return True
        offset = correct.find(wrong, offset + 1)
    return False


#: the field name of a finding in an item's body, as the other guards name it
BODY = "正文"


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


BUILT_IN = Lexicon([Word(w, c, "严重表述错误") for w, c in POLITICAL]
                   + [Word(w, c, "公文常见错字") for w, c in DOCUMENTS])


def item_hits(source: MarkdownSource, words: Lexicon | None = None) -> list[tuple[int | None, str, str]]:
    """(line, field, message) of each wrong form in an item's title and body, and of each
    classification mark in its body; ``words`` defaults to the built-in list."""
    lexicon = words or BUILT_IN
    out: list[tuple[int | None, str, str]] = [
        (source.body_line + h.line - 1, BODY, h.message) for h in lexicon.scan(source.body, marks=True)]
    data = source.front.data
    if isinstance(data, dict):
        for key in ("title", LABELS["title"]):  # written in English or Chinese
            if isinstance(data.get(key), str):
                out += [(source.front.line_of((key,)), LABELS["title"], h.message) for h in lexicon.scan(data[key])]
    return out
