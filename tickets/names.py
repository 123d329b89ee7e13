"""The normalised name of a business: one function for everything that matches businesses by name.

Intake (tickets.services.intake.business_for) files a respondent without a credit code under the business whose
normalised name (`Business.name_key`) is the same, so the duplicate proposals (tickets.duplicates), the cluster
alerts' business kind (alerts: keyed by the Business row) and the hotspots all count "上海某某餐饮有限公司",
"某某餐饮（有限公司）" and "ＸＸ餐饮店" as one business (docs/duplicates.md, "The same business").

`business_name_key(name)`:
1. Unicode NFKC (full-width letters, digits and brackets become half-width), lower case;
2. letters and digits only (spaces, punctuation and brackets go: "某某（松江）店" is "某某松江店");
3. the company forms dropped wherever they stand (股份有限公司, 有限责任公司, 有限公司; "X有限公司松江分公司" is
   "X松江分公司"), then the branch words at the end (分公司, 分店, 门店, 店, 公司), repeatedly;
4. a leading place name dropped, up to two ("上海市松江区…", "上海…"): a province, city or district of
   `PLACES`, with or without its 省/市/区/县, when at least 3 characters remain ("北京烤鸭店" is "北京烤鸭");
5. when nothing is left (the name was only company words), the name after step 2 is the key; an empty name
   has the key "".
"""

from __future__ import annotations

import re
import unicodedata

# Company forms: no part of a business's identity, dropped wherever they stand (longest first).
COMPANY_FORMS = ("股份有限公司", "有限责任公司", "有限公司")
# Branch and shop words, dropped at the end only.
BRANCH_SUFFIXES = ("分公司", "分店", "门店", "公司", "店")
# Place names a business name may start with: the provinces and cities most names here carry, and Shanghai's
# districts (the bureaus are Shanghai district bureaus). Written without 省/市/区/县, which are optional.
PLACES = (
    "上海",
    "北京",
    "天津",
    "重庆",
    "江苏",
    "浙江",
    "安徽",
    "广东",
    "南京",
    "杭州",
    "苏州",
    "深圳",
    "广州",
    "浦东新",
    "浦东",
    "黄浦",
    "徐汇",
    "长宁",
    "静安",
    "普陀",
    "虹口",
    "杨浦",
    "闵行",
    "宝山",
    "嘉定",
    "金山",
    "松江",
    "青浦",
    "奉贤",
    "崇明",
)
# What a place name must leave: "北京烤鸭" keeps its city ("烤鸭" alone names no business).
MIN_AFTER_PLACE = 3

_NOT_WORD = re.compile(r"[\W_]+")
_FORMS = re.compile("|".join(COMPANY_FORMS))
_BRANCH = re.compile(f"(?:{'|'.join(BRANCH_SUFFIXES)})+$")
_PLACE = re.compile(f"^(?:{'|'.join(sorted(PLACES, key=len, reverse=True))})(?:省|市|新区|区|县)?")


def business_name_key(name: str) -> str:
    """The normalised name of a business (module docstring); "" for no name."""
    plain = _NOT_WORD.sub("", unicodedata.normalize("NFKC", name or "").lower())
    key = _BRANCH.sub("", _FORMS.sub("", plain))
    for _ in range(2):
        shorter = _PLACE.sub("", key, count=1)
        if shorter == key or len(shorter) < MIN_AFTER_PLACE:
            break
        key = shorter
    return key or plain
