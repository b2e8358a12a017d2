"""Where the question starts in a message written without stops (bot.kb.dictation)."""

from bot.kb.dictation import asked_parts


def test_the_part_after_the_last_request_is_asked() -> None:
    message = "tôi là cán bộ thư viện huyện ở Yên Bái, tôi muốn hỏi hội phí năm nay bao nhiêu"
    assert asked_parts(message) == ["hội phí năm nay bao nhiêu"]
    assert asked_parts("toi la sinh vien o Hue cho em hoi hoi thanh lap nam nao") == [
        "hoi thanh lap nam nao"]


def test_without_a_request_the_speaker_naming_themself_again_starts_the_question() -> None:
    message = "em chào anh chị em là thủ thư ở Lai Châu em có được vào hội không"
    assert asked_parts(message) == ["em có được vào hội không"]


def test_a_message_asking_from_its_start_is_not_cut() -> None:
    """A request first: what follows the speaker's later "em" says why they ask."""
    message = "anh cho em hoi hoi co bao nhieu chi hoi a em can so lieu de lam bao cao"
    assert asked_parts(message) == []
    assert asked_parts("hội phí bao nhiêu") == []


def test_a_city_named_after_a_person_is_not_the_speaker() -> None:
    """"Minh" of Hồ Chí Minh is not "mình" (I), however it is typed."""
    assert asked_parts("toi la thu thu o tp Ho Chi Minh hoi co chi hoi o do khong") == []
