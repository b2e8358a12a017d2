"""The words of questions that are no topic: question words ("ai", "how"), which become
intent tokens; function words, chat fillers and hedges, which are dropped; and the chat
shorthand members type on phones ("dc", "fi", "cty"), spelled out before anything else."""

from __future__ import annotations

# What a question asks for, whatever the words: "ai"/"who", "làm sao"/"how", ... Each
# becomes one token the search weighs lightly: it separates "how do I join" (the procedure)
# from "who can join" (eligibility) without outweighing the topic words.
QUESTION_INTENTS: dict[str, tuple[str, ...]] = {
    "q_who": ("ai", "những ai", "người nào", "who", "whom"),
    "q_how": ("làm sao", "làm thế nào", "như thế nào", "thế nào", "cách", "cách nào",
              "kiểu nào", "theo kiểu nào",
              "bằng cách nào", "ntn", "những bước nào", "các bước", "bước nào", "những bước",
              "mấy bước", "what steps", "which steps", "steps", "how", "muốn", "want", "want to",
              "would like",
              "would like to", "d like", "what should i do", "what do i need to do",
              "what do i have to do", "what must i do"),
    "q_many": ("bao nhiêu", "mấy", "bn", "số", "số lượng", "tổng số", "how many", "how much",
               "một năm bao nhiêu", "1 năm bao nhiêu", "mỗi năm bao nhiêu", "hằng năm bao nhiêu",
               "hàng năm bao nhiêu", "một năm mấy", "mỗi năm mấy",
               "number of"),
    "q_where": ("ở đâu", "đâu", "chỗ nào", "nơi nào", "địa điểm", "where", "place", "venue",
                "location"),
    "q_long": ("bao lâu", "how long", "how often"),
    "q_when": ("khi nào", "bao giờ", "bao h", "bao jờ", "lúc nào", "năm nào", "năm bao nhiêu",
               "năm mấy",
               "ngày nào", "hôm nào", "thời gian", "ngày tháng", "tháng mấy", "tháng nào",
               "hồi nào", "thời điểm nào", "vào năm nào", "vào ngày nào", "vào tháng nào",
               "vào lúc nào",
               "vào dịp nào", "vào hôm nào", "vào thời gian nào", "vào khi nào", "hạn chót",
               "hạn cuối", "chậm nhất", "muộn nhất", "when",
               "what year", "which year", "which month", "deadline", "by when",
               "what date", "what time", "date", "time"),
    "q_what": ("là gì", "gì", "j", "cái gì", "những gì", "loại gì", "loại nào", "what",
               "what kind of", "what type of"),
    "q_which": ("nào", "danh sách", "liệt kê", "which", "list", "list of"),
}

# Function words of questions in both languages. They carry no topic: "hội phí là bao
# nhiêu" and "hội phí?" ask the same thing. Topic words such as "vien", "thu" are not here:
# the search weighs them by how rare they are in the knowledge base instead. "hội" is: it
# folds like "hỏi" (to ask), and every question is about the association anyway. So are the
# verbs of any meeting question ("họp", "diễn ra", "take place").
STOPWORD_PHRASES: tuple[str, ...] = (
    # Vietnamese
    "là", "của", "và", "có", "không", "thế", "như", "ở", "khi", "giờ", "những", "các",
    "một", "này", "đó", "thì", "mà", "để", "được", "cho", "với", "từ", "đến", "trong", "ra",
    "sẽ", "đã", "đang", "rồi", "ạ", "à", "ơi", "vậy", "sao", "tôi", "mình", "em", "anh",
    "bạn", "cần", "phải", "biết", "xin", "vui", "lòng", "hãy", "giúp", "nhé",
    "nhỉ", "nữa", "hay", "hoặc", "tại", "vì", "về", "thể", "lần", "ngày", "nhiều", "hỏi",
    "hội", "làm", "gồm", "cụ thể", "ko", "k", "dc", "đc", "hok", "hông", "khong", "ư",
    "ad", "admin", "ak", "vay", "năm", "họp", "diễn ra", "trở thành", "tư cách", "người",
    "hiện nay", "hiện tại", "bây giờ", "nay", "giai đoạn", "cuối năm", "đầu năm", "giữa năm",
    "khoảng", "tầm", "chừng", "xấp xỉ", "approximately", "roughly", "qua", "sơ qua",
    # the whole country: the association's is national, the scope says nothing more
    # ("toàn quốc", "nationwide" are a synonym group of the knowledge base: its "national")
    "trên cả nước", "cả nước", "khắp cả nước", "across the country", "all over the country",
    "in the whole country",
    "ít nhất", "tối thiểu", "tối đa", "at least", "at most", "đối với", "đầy đủ", "chi tiết",
    "liên quan", "vai trò", "role", "đến nay", "đến giờ", "tới nay", "tới giờ", "từ trước đến nay",
    "từ trước tới nay", "so far", "until now",
    # chat fillers, politeness and ways of addressing the admin
    "với", "cũng", "nói", "dạ", "vâng", "nha", "nhá", "nhen", "nè", "hả", "hở", "chứ", "đấy",
    "đây", "kia", "ấy", "đi", "thôi", "luôn", "giùm", "dùm", "cảm ơn", "cám ơn", "chào",
    "xin chào", "alo", "chị", "cô", "chú", "bác", "ông", "bà", "chúng", "ta", "bọn",
    "mọi người", "mn", "thông tin", "xem", "coi", "muốn biết", "muốn hỏi", "muốn tìm hiểu",
    "muốn xem", "cần biết", "tất cả", "toàn bộ", "làm việc", "công tác", "đọc", "hết",
    "ai đó", "người nào đó",
    # "vào" of a moment ("vào năm 2006", "vào dịp"); "vào năm nào" asks when, "vào hội" is
    # to join
    "vào năm", "vào ngày", "vào tháng", "vào lúc", "vào dịp", "vào hôm", "vào thời gian",
    "vào khoảng", "vào thời điểm",
    # a question checking a fact ("... đúng không", "phải không"), a figure's date ("số liệu
    # tính đến"), fillers ("cái", "với lại")
    "đúng không", "phải không", "có đúng", "đúng", "is it true", "is that right", "right",
    "correct", "tính đến", "cái", "với lại",
    # in total ("tổng cộng bao nhiêu": "cộng" is no "đóng")
    "tổng cộng", "cả thảy", "in total", "altogether",
    # "sau" (after), "nên" (should), "lâu" (long), "quên" (forgot to), a share in percent:
    # no topic either
    "sau", "nên", "lâu", "quên", "phần trăm", "percent", "per cent", "xong",
    # intensifiers ("lâu quá", "rất cần")
    "quá", "lắm", "rất", "cực kỳ", "very", "really",
    # hedges around a figure or a time ("khoảng bao nhiêu", "hiện có", "đã trải qua")
    "hiện", "hiện giờ", "lúc này", "khoảng", "tầm", "chừng", "từng", "trải qua", "tháng",
    # ...and the words of a round figure ("hơn 6 nghìn hội viên": more than six thousand)
    "hơn", "nghìn", "ngàn", "triệu",
    # English
    "the", "a", "an", "is", "are", "was", "were", "be", "been", "whats", "me", "my", "you",
    "your", "we", "our", "of", "to", "in", "on", "at", "for", "about", "tell", "please",
    "there", "it", "its", "this", "that", "and", "or", "with", "much", "many", "any",
    "have", "has", "had", "should", "would", "will", "by", "from", "s", "know",
    "need", "get", "some", "as", "if", "i", "do", "does", "did", "can", "could", "now",
    "current", "currently",
    "after", "before", "per", "run", "runs", "make", "makes", "become", "take place",
    # "what happens (to ...)" asks what follows, as "thì sao" does: no topic
    "happen", "happens", "happened", "happening",
    "people", "person",
    "us", "they", "them", "their", "he", "she", "his", "her", "am", "im", "so", "also",
    "just", "then", "these", "those", "here", "hi", "hello", "thanks", "thank", "pls", "plz",
    "u", "ur", "find", "give", "show", "see", "look", "say", "says", "said", "mean", "means",
    "already", "ever", "yet", "still", "exactly", "actually", "like", "allowed", "possible",
    "ok", "okay", "info", "information", "details", "detail", "want to know",
    "would like to know", "wonder", "wondering", "month", "all", "every", "whole", "read",
    "someone", "somebody", "anyone", "anybody", "one", "ones", "while",
    "took place", "held", "hold", "meet", "met",
)


# Chat shorthand members type on phones, as typed (lowercase) -> the words it stands for.
# Only shorthand that means one thing in a question to the association; "đk" (được,
# điều kiện or đăng ký) and "hn" (Hà Nội or hôm nay) are left alone. Abbreviations of the
# association's own terms ("bch", "hv") are synonyms in the knowledge base instead.
_SHORTHAND: dict[str, tuple[str, ...]] = {
    "không": ("kh", "khg", "hk", "hok", "khum", "hem", "kô", "k0"),
    "được": ("dc", "đc", "dduoc"),
    "gì": ("j", "ji"),
    "phí": ("fi",),
    "bao nhiêu": ("bnh", "bnhieu", "bnhiu", "baonhieu"),
    "nhiêu": ("nhiu",),
    "như thế nào": ("ntn", "nhtn"),
    "mình": ("mk", "mik", "mjk", "mh"),
    "em": ("e",),
    "ạ": ("a",),  # the polite "ạ" ending a question ("bao nhiêu tiền a"), or "anh"
    "chị": ("c",),
    "bạn": ("b",),
    "với": ("vs",),
    "làm": ("lm",),
    "chủ tịch": ("ctich", "chtich", "ct"),
    "người": ("ng",),
    "cũng": ("cx", "cg"),
    "rồi": ("r", "rùi", "rui", "roài"),
    "vậy": ("z", "dzậy", "zậy", "zị", "rứa"),
    # The South and the Centre as they speak: "dô hội" (vào), "tui" (tôi), "bot ni" (này).
    # ("chi" for "gì", "mô" for "đâu", "dị" for "vậy" and "răng" for "sao" need their
    # place: "chi hội", "mô hình", "dị ứng", "răng" (a tooth) are other words; these are
    # read in bot.kb.dialect.)
    "vào": ("dô",),
    "tôi": ("tui",),
    "này": ("ni",),
    "biết": ("bít", "bik", "bjk"),
    "bây giờ": ("bh", "bgio", "bjo", "bjờ"),
    "hôm nay": ("hnay",),
    "sinh viên": ("sv",),
    "giáo viên": ("gv",),
    "học sinh": ("hs",),
    "nhân viên": ("nv",),
    "cán bộ": ("cb",),
    "công ty": ("cty",),
    "câu lạc bộ": ("clb",),
    "tham gia": ("tgia", "thgia"),
    "đăng ký": ("dki", "đki", "dky", "đky", "đkí", "dkí", "dangky", "dk", "đk"),
    "quyết định": ("qd", "qđ"),
    "thành phố": ("tp",),
    "hồ chí minh": ("hcm", "tphcm"),
    "liên hệ": ("lh",),
    "văn phòng": ("vp",),
    "điện thoại": ("đt", "dt"),
    "thông tin": ("ttin",),
    "trả lời": ("tl", "trl"),
    "cảm ơn": ("camon", "tks", "thks", "thx"),
}
CHAT_SHORTHAND: dict[str, tuple[str, ...]] = {
    typed: tuple(meaning.split()) for meaning, forms in _SHORTHAND.items() for typed in forms
}
