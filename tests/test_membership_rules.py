"""Membership rules without Telegram: provinces, phones, answers, the form's steps."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from bot.membership import form, validation
from bot.membership.phones import InvalidPhone, normalise_phone
from bot.membership.provinces import PROVINCES, match_province
from bot.membership.validation import InvalidAnswer
from bot.text import fold, fold_compact


def test_folding_drops_diacritics_and_maps_d_with_stroke() -> None:
    assert fold("  Đắk   Lắk ") == "dak lak"
    assert fold_compact("TP. Hồ Chí Minh") == "tphochiminh"
    nfd = unicodedata.normalize("NFD", "Huế")
    assert fold(nfd) == fold("Huế") == "hue"


# Provinces ---------------------------------------------------------------------------------


def test_there_are_34_current_units_covering_the_63_former_ones() -> None:
    assert len(PROVINCES) == 34
    assert sum(p.kind == "city" for p in PROVINCES) == 6
    assert len({p.code for p in PROVINCES}) == 34
    # 34 units of which 11 kept their borders: 63 former names in all.
    assert sum(1 + len(p.former) for p in PROVINCES) == 63


@pytest.mark.parametrize(
    ("typed", "current"),
    [
        ("ha noi", "Hà Nội"),
        ("Hà Nội", "Hà Nội"),
        ("Hanoi", "Hà Nội"),
        ("tp hcm", "TP. Hồ Chí Minh"),
        ("TP.HCM", "TP. Hồ Chí Minh"),
        ("hcm", "TP. Hồ Chí Minh"),
        ("sai gon", "TP. Hồ Chí Minh"),
        ("Ho Chi Minh City", "TP. Hồ Chí Minh"),
        ("Thua Thien Hue", "Huế"),
        ("Huế", "Huế"),
        ("thành phố Cần Thơ", "Cần Thơ"),
        ("tinh nghe an", "Nghệ An"),
        ("dak lak", "Đắk Lắk"),
        ("dac lac", "Đắk Lắk"),
        ("Hà Nọi", "Hà Nội"),  # wrong tone mark
        ("Ha Noii", "Hà Nội"),  # typo
        ("hai phog", "Hải Phòng"),
    ],
)
def test_a_current_unit_is_found_however_it_is_typed(typed: str, current: str) -> None:
    [match] = match_province(typed)
    assert match.province.name == current
    assert match.former is None


@pytest.mark.parametrize(
    ("typed", "former", "current"),
    [
        ("Bình Dương", "Bình Dương", "TP. Hồ Chí Minh"),
        ("binh duong", "Bình Dương", "TP. Hồ Chí Minh"),
        ("Vũng Tàu", "Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh"),
        ("Quảng Nam", "Quảng Nam", "Đà Nẵng"),
        ("tinh ha giang", "Hà Giang", "Tuyên Quang"),
        ("ha nam", "Hà Nam", "Ninh Bình"),
        ("Kontum", "Kon Tum", "Quảng Ngãi"),
        ("Bạc Liêu", "Bạc Liêu", "Cà Mau"),
    ],
)
def test_a_former_province_maps_to_the_unit_it_merged_into(
    typed: str, former: str, current: str
) -> None:
    [match] = match_province(typed)
    assert (match.former, match.province.name) == (former, current)


def test_an_unsure_guess_offers_the_candidates() -> None:
    names = {m.province.name for m in match_province("quang nma")}
    assert len(names) >= 2 and "Đà Nẵng" in names


@pytest.mark.parametrize("typed", ["Paris", "quang", "x", "", "12345"])
def test_nonsense_is_no_province(typed: str) -> None:
    assert match_province(typed) == []


# Phones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "e164", "kind"),
    [
        ("0912345678", "+84912345678", "mobile"),
        ("0912 345 678", "+84912345678", "mobile"),
        ("091.234.5678", "+84912345678", "mobile"),
        ("+84 912 345 678", "+84912345678", "mobile"),
        ("(+84) 0912-345-678", "+84912345678", "mobile"),
        ("84912345678", "+84912345678", "mobile"),
        ("0084912345678", "+84912345678", "mobile"),
        ("0386 123 456", "+84386123456", "mobile"),
        ("0523456789", "+84523456789", "mobile"),
        ("0701234567", "+84701234567", "mobile"),
        ("0812345678", "+84812345678", "mobile"),
        ("024 3825 1234", "+842438251234", "landline"),
        ("+84 28 3829 1234", "+842838291234", "landline"),
        ("0203 3826 123", "+842033826123", "landline"),
    ],
)
def test_vietnamese_numbers_are_normalised(typed: str, e164: str, kind: str) -> None:
    phone = normalise_phone(typed)
    assert (phone.e164, phone.kind) == (e164, kind)


def test_national_display_form() -> None:
    assert normalise_phone("+84912345678").national == "0912 345 678"
    assert normalise_phone("02438251234").national == "024 3825 1234"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("0612345678", "prefix"),  # 06 is no mobile network
        ("0412345678", "prefix"),
        ("0112345678", "prefix"),
        ("091234567", "length"),
        ("09123456789", "length"),
        ("024382512", "length"),
        ("+33 6 12 34 56 78", "prefix"),
        ("912345678", "prefix"),
        ("09l2345678", "characters"),
        ("số tôi là 0912345678", "characters"),
        ("", "characters"),
    ],
)
def test_bad_numbers_say_why(typed: str, reason: str) -> None:
    with pytest.raises(InvalidPhone) as raised:
        normalise_phone(typed)
    assert raised.value.reason == reason


# Answers -----------------------------------------------------------------------------------


def test_a_name_is_stored_as_typed_with_markup_kept_as_text() -> None:
    assert validation.person_name("  Nguyễn   <b>Văn</b> *An* ") == "Nguyễn <b>Văn</b> *An*"
    nfd = unicodedata.normalize("NFD", "Trần Thị Hoà")
    assert validation.person_name(nfd) == unicodedata.normalize("NFC", "Trần Thị Hoà")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("A", "too_short"),
        ("A" * 81, "too_long"),
        ("Nguyễn Văn 2", "digits"),
        ("Lan 🌸", "characters"),
        ("Lan\u200bAnh", "characters"),
        ("Lan\nAnh", "one_line"),
        ("--- ...", "letters"),
        ("https://spam.example", "link"),
    ],
)
def test_bad_names_say_what_is_expected(typed: str, code: str) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        validation.person_name(typed)
    assert raised.value.code == code


def test_too_long_says_the_limit() -> None:
    with pytest.raises(InvalidAnswer) as raised:
        validation.organisation("T" * 151)
    assert raised.value.params == {"max": 150, "length": 151}


def test_organisations_may_have_digits() -> None:
    assert validation.organisation("Thư viện Trường THPT số 1") == "Thư viện Trường THPT số 1"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("lan.nguyen@Thuvien.GOV.vn", "lan.nguyen@thuvien.gov.vn"),
        (" mailto:an+hoi@gmail.com ", "an+hoi@gmail.com"),
    ],
)
def test_good_emails(typed: str, stored: str) -> None:
    assert validation.email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["lan@", "lan.gmail.com", "lan@gmail", "lan @gmail.com", "lan..an@x.vn", "@x.vn", "a@b.c"],
)
def test_bad_emails(typed: str) -> None:
    with pytest.raises(InvalidAnswer, match="email"):
        validation.email(typed)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("Cá nhân", "individual"), ("ca nhan", "individual"), ("Tổ chức", "organisation")],
)
def test_kind_can_be_typed(typed: str, kind: str) -> None:
    assert validation.kind(typed) == kind


# The form's steps --------------------------------------------------------------------------

ANSWERS = {
    "kind": "individual",
    "full_name": "Nguyễn Thị Lan",
    "organisation": "Thư viện Quốc gia Việt Nam",
    "position": "Thủ thư",
    "province": "Hà Nội",
    "email": "lan@nlv.gov.vn",
    "phone": "+84912345678",
}


def test_steps_follow_the_answers_then_consent_then_summary() -> None:
    data: dict = {}
    asked = []
    for name, value in ANSWERS.items():
        asked.append(form.next_step(data))
        data[name] = value
    assert asked == list(form.COMMON_FIELDS)
    assert form.next_step(data) == form.CONSENT
    data = form.give_consent(data, datetime(2026, 1, 5, 9, 0, tzinfo=UTC), "vi")
    assert data["consent_version"] and data["consent_at"].startswith("2026-01-05T09:00")
    assert form.next_step(data) == form.SUMMARY
    assert form.is_complete(data)


def test_organisations_are_also_asked_for_their_representative() -> None:
    data = {**ANSWERS, "kind": "organisation"}
    assert form.next_step(data) == "representative"
    assert "representative" in form.editable_fields(data)


def test_editing_a_field_keeps_every_other_answer_and_returns_to_the_summary() -> None:
    data = form.give_consent(dict(ANSWERS), datetime.now(UTC), "en")
    data = form.store({**data, "editing": "email"}, form.read_answer("email", "new@x.vn"))
    assert data["email"] == "new@x.vn"
    assert data["full_name"] == ANSWERS["full_name"]
    assert "editing" not in data
    assert form.next_step(data) == form.SUMMARY


def test_changing_the_kind_to_organisation_asks_for_the_representative_only() -> None:
    data = form.give_consent(dict(ANSWERS), datetime.now(UTC), "vi")
    data = form.store(data, form.read_answer("kind", "tổ chức"))
    assert form.next_step(data) == "representative"
    data = form.store(data, form.read_answer("representative", "Trần Văn Bình"))
    assert form.next_step(data) == form.SUMMARY
    # And back to individual: the representative is dropped.
    data = form.store(data, form.read_answer("kind", "cá nhân"))
    assert "representative" not in data


def test_a_former_province_answer_carries_a_note() -> None:
    answer = form.read_answer("province", "Bình Dương")
    assert answer.values["province"] == "TP. Hồ Chí Minh"
    assert answer.note == "join.note.province_merged"
    assert answer.note_params == {"former": "Bình Dương", "current": "TP. Hồ Chí Minh"}


def test_an_ambiguous_province_answer_lists_candidates() -> None:
    with pytest.raises(form.AmbiguousProvince) as raised:
        form.read_answer("province", "quang nma")
    assert len(raised.value.candidates) >= 2


# The application's life cycle --------------------------------------------------------------


def test_a_province_candidate_survives_the_trip_through_a_button() -> None:
    for match in match_province("quang nma") + match_province("Vũng Tàu"):
        assert form.province_by_choice(*form.province_choice(match)) == match
    assert form.province_by_choice("nowhere") is None
    assert form.province_by_choice("hanoi", 3) is None
