"""Refresh the web editor's screenshots in docs/images/cms/ (the guide's 「网页编辑器」 chapter).

Runs the end-to-end test (tests/test_cms_e2e.py: Chromium driving /admin/ against Decap's local
git proxy; needs `make cms`), which saves a PNG of each step when GONGKAI_CMS_SHOTS is set, then
keeps the steps the guide shows, reduced to a 64-colour palette so the committed files stay small.

    .venv/bin/python bench/cms_screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs/images/cms"
#: (test's name, step) → the file the guide links to
WANTED = {
    ("notice", "list"): "列表.png",
    ("notice", "form"): "新建条目.png",
    ("notice", "upload"): "上传附件.png",
    ("notice", "saved"): "已保存.png",
    ("interpretation", "relation"): "解读对象.png",
    ("repeal", "status"): "废止.png",
    ("dibao", "period"): "公示期.png",
}


def main() -> int:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GONGKAI_CMS_SHOTS=tmp)
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_cms_e2e.py"],
                       cwd=ROOT, env=env, check=True)
        shots = sorted(Path(tmp).glob("*.png"))
        OUT.mkdir(parents=True, exist_ok=True)
        for (test, step), name in WANTED.items():
            found = [p for p in shots if p.stem.startswith(f"{test}-") and p.stem.endswith(f"-{step}")]
            if not found:
                raise SystemExit(f"no screenshot of {test}/{step} among {[p.name for p in shots]}")
            with Image.open(found[0]) as image:
                small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
                small.save(OUT / name, optimize=True)
            print(f"{OUT / name}  {(OUT / name).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
