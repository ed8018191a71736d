"""tcri_site/sockets.py: frame parsing and the close codes, without a socket."""

import json

import pytest

from tcri_site.sockets import MAX_DEPTH, BadFrame, CloseCode, parse_frame


def nested(levels: int) -> list:
    return json.loads("[" * levels + "]" * levels)


def test_close_codes_are_defined_once():
    assert [int(code) for code in CloseCode] == [4400, 4401, 4403, 4404, 4429, 4500]


def test_a_frame_nested_up_to_the_limit_is_read():
    frame = parse_frame(json.dumps({"type": "x", "v": nested(MAX_DEPTH - 1)}), None, max_bytes=65536)
    assert frame["type"] == "x"


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"type": "message.create", "payload": {"body": "[" * 5000}})
    assert parse_frame(text, None, max_bytes=65536)["payload"]["body"] == "[" * 5000


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 20000 + "]" * 20000, "too_deep"),
        ('{"type": "x", "v": ' + "{\"a\": " * 40 + "1" + "}" * 40 + "}", "too_deep"),
        ("{", "invalid_json"),
        ("null", "bad_request"),
        ('{"type": 3}', "bad_request"),
        ('{"type": "x", "pad": "' + "a" * 100 + '"}', "frame_too_large"),
    ],
)
def test_bad_frames_are_refused_with_a_code(text, code):
    with pytest.raises(BadFrame) as refused:
        parse_frame(text, None, max_bytes=100 if code == "frame_too_large" else 65536)
    assert refused.value.code == code and str(refused.value.message)


def test_a_binary_frame_is_refused():
    with pytest.raises(BadFrame) as refused:
        parse_frame(None, b"\x00", max_bytes=65536)
    assert refused.value.code == "bad_request"
