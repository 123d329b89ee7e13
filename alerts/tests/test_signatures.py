from alerts.signatures import normalised_text, phone_key, template_key


def test_phone_key_keeps_digits_and_drops_the_country_code():
    assert [phone_key("+86 139-0000-1234"), phone_key("0086 13900001234"), phone_key("13900001234")] == [
        "13900001234"
    ] * 3


def test_phone_key_is_empty_for_short_or_missing_numbers():
    assert [phone_key(""), phone_key("12345"), phone_key("无")] == ["", "", ""]


def test_template_key_ignores_digits_punctuation_space_and_width():
    one = "我于2026年9月1日在某超市购买的“有机蔬菜”无有机认证，要求十倍赔偿！订单号 A123"
    two = "我于2026年10月3日在某超市购买的 有机蔬菜 无有机认证,要求十倍赔偿!订单号 a998"

    assert template_key(one) == template_key(two) != ""
    assert normalised_text("Ａ Ｂ,c") == "abc"


def test_template_key_differs_when_a_word_differs():
    assert template_key("我在某超市购买的有机蔬菜无有机认证要求十倍赔偿") != template_key(
        "我在某超市购买的有机大米无有机认证要求十倍赔偿"
    )


def test_template_key_is_empty_for_short_texts():
    assert template_key("请尽快处理 123") == ""
