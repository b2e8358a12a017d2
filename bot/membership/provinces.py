"""Vietnam's provincial units, current and former, matched from what people type.

From 1 July 2025 (Resolution 202/2025/QH15) Vietnam has 34 provincial units: 6 centrally-run
cities and 28 provinces, formed by merging most of the former 63. People still write the
former names (their ID cards, letterheads and habits carry them), so both are accepted: a
former name is recorded as the current unit it now belongs to, and the user is told so.
Matching ignores diacritics, case, "Tỉnh"/"Thành phố"/"TP." and small typos.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from bot.text import fold_compact

# Fuzzy matching: below this similarity (0-100) a guess is no match at all; a guess must
# beat the next different unit by the margin to be taken without asking.
MIN_SCORE = 80.0
MARGIN = 6.0


@dataclass(frozen=True)
class Province:
    """A current provincial unit (one of the 34)."""

    code: str  # ASCII id, safe in callback data
    name: str  # how it is written in records and lists
    kind: Literal["city", "province"]
    former: tuple[str, ...] = ()  # former provinces merged into it in 2025 (not itself)
    aliases: tuple[str, ...] = field(default=(), repr=False)


PROVINCES: tuple[Province, ...] = (
    # Centrally-run cities.
    Province("hanoi", "Hà Nội", "city", (), ("HN", "Thủ đô")),
    Province("hue", "Huế", "city", (), ("Thừa Thiên Huế", "Thừa Thiên - Huế", "TTH")),
    Province("haiphong", "Hải Phòng", "city", ("Hải Dương",), ("HP",)),
    Province("danang", "Đà Nẵng", "city", ("Quảng Nam",), ()),
    Province(
        "hcm",
        "TP. Hồ Chí Minh",
        "city",
        ("Bình Dương", "Bà Rịa - Vũng Tàu"),
        ("Hồ Chí Minh", "HCM", "Sài Gòn", "Saigon", "SG", "HCMC"),
    ),
    Province("cantho", "Cần Thơ", "city", ("Sóc Trăng", "Hậu Giang"), ()),
    # Provinces whose borders did not change.
    Province("laichau", "Lai Châu", "province"),
    Province("dienbien", "Điện Biên", "province"),
    Province("sonla", "Sơn La", "province"),
    Province("langson", "Lạng Sơn", "province"),
    Province("quangninh", "Quảng Ninh", "province"),
    Province("thanhhoa", "Thanh Hóa", "province"),
    Province("nghean", "Nghệ An", "province"),
    Province("hatinh", "Hà Tĩnh", "province"),
    Province("caobang", "Cao Bằng", "province"),
    # Provinces formed by merging (the first name is the one kept).
    Province("tuyenquang", "Tuyên Quang", "province", ("Hà Giang",)),
    Province("laocai", "Lào Cai", "province", ("Yên Bái",)),
    Province("thainguyen", "Thái Nguyên", "province", ("Bắc Kạn",)),
    Province("phutho", "Phú Thọ", "province", ("Vĩnh Phúc", "Hòa Bình")),
    Province("bacninh", "Bắc Ninh", "province", ("Bắc Giang",)),
    Province("hungyen", "Hưng Yên", "province", ("Thái Bình",)),
    Province("ninhbinh", "Ninh Bình", "province", ("Hà Nam", "Nam Định")),
    Province("quangtri", "Quảng Trị", "province", ("Quảng Bình",)),
    Province("quangngai", "Quảng Ngãi", "province", ("Kon Tum",)),
    Province("gialai", "Gia Lai", "province", ("Bình Định",)),
    Province("khanhhoa", "Khánh Hòa", "province", ("Ninh Thuận",), ("Nha Trang",)),
    Province("lamdong", "Lâm Đồng", "province", ("Đắk Nông", "Bình Thuận"), ("Đà Lạt",)),
    Province("daklak", "Đắk Lắk", "province", ("Phú Yên",), ("Đắc Lắc", "Dak Lak")),
    Province("dongnai", "Đồng Nai", "province", ("Bình Phước",)),
    Province("tayninh", "Tây Ninh", "province", ("Long An",)),
    Province("vinhlong", "Vĩnh Long", "province", ("Bến Tre", "Trà Vinh")),
    Province("dongthap", "Đồng Tháp", "province", ("Tiền Giang",)),
    Province("camau", "Cà Mau", "province", ("Bạc Liêu",)),
    Province("angiang", "An Giang", "province", ("Kiên Giang",)),
)

BY_CODE = {province.code: province for province in PROVINCES}

# Other ways people write some former names.
FORMER_ALIASES = {
    "Bà Rịa - Vũng Tàu": ("BRVT", "Vũng Tàu", "Bà Rịa"),
    "Đắk Nông": ("Đắc Nông", "Dak Nong"),
    "Kon Tum": ("Kontum",),
}

_PREFIXES = ("thanhpho", "tinh", "tp")
_SUFFIXES = ("city", "province")


@dataclass(frozen=True)
class ProvinceMatch:
    """What the user typed, read as a current unit (and the former name if they used one)."""

    province: Province
    former: str | None = None


def _build_index() -> dict[str, ProvinceMatch]:
    index: dict[str, ProvinceMatch] = {}
    for province in PROVINCES:
        for name in (province.name, *province.aliases):
            index[_key(name)] = ProvinceMatch(province)
        for former in province.former:
            for name in (former, *FORMER_ALIASES.get(former, ())):
                index[_key(name)] = ProvinceMatch(province, former)
    return index


def _key(text: str) -> str:
    key = fold_compact(text)
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    return key


_INDEX = _build_index()


def match_province(text: str) -> list[ProvinceMatch]:
    """The units ``text`` may mean, best first: one for a clear answer, several when unsure."""
    key = _key(text)
    if not key:
        return []
    exact = _INDEX.get(key)
    if exact is not None:
        return [exact]
    scored = process.extract(key, _INDEX.keys(), scorer=fuzz.ratio, limit=8, score_cutoff=MIN_SCORE)
    candidates: list[tuple[ProvinceMatch, float]] = []
    for candidate_key, score, _ in scored:
        found = _INDEX[candidate_key]
        if all(found != seen for seen, _ in candidates):
            candidates.append((found, score))
    if not candidates:
        return []
    best_score = candidates[0][1]
    close = [found for found, score in candidates if best_score - score < MARGIN]
    return close[:4]
