"""Hostile Markdown and HTML render inert: no script, no handler, no dangerous URL."""

import re

import pytest

from forum.markdown import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "![x](x\" onerror=\"alert(1))",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](  javascript:alert(1))",
    "[clic](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[clic](java\tscript:alert(1))",
    "[clic](vbscript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<object data=\"evil.swf\"></object>",
    "<form action=\"https://evil.example\"><input name=x></form>",
    "<details open ontoggle=alert(1)>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>",
    "[a](https://ok.example \"t\" onmouseover=alert(1))",
    "[x]: javascript:alert(1)\n\n[clic][x]",
    "<javascript:alert(1)>",
    "<http://ok.example/\" onmouseover=\"alert(1)>",
    "**<img src=x onerror=alert(1)>**",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "> <script>alert(1)</script>",
    "<!-- <script>alert(1)</script> -->",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]

TAG_RE = re.compile(r"<\s*([a-zA-Z0-9]+)([^>]*)>")
ALLOWED = {"p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a",
           "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"}


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_payload_renders_inert(payload):
    html = render_markdown(payload)
    lowered = html.lower()
    for tag, attrs in TAG_RE.findall(html):
        assert tag.lower() in ALLOWED, (tag, html)
        assert not re.search(r"\son\w+\s*=", attrs, re.I), html
        assert "style" not in attrs.lower(), html
        for url in re.findall(r'href="([^"]*)"', attrs):
            assert url.startswith(("http://", "https://", "mailto:")), html
    assert "<script" not in lowered and "<svg" not in lowered and "<img" not in lowered
    assert "<iframe" not in lowered and "<style" not in lowered


def test_ordinary_markdown_keeps_its_meaning():
    html = render_markdown("# Titre\n\n**gras** _it_ ~~barré~~\n\n- un\n- deux\n\n[lien](https://tcri.example)")
    assert "<h3>Titre</h3>" in html  # headings shifted below the page's own
    assert "<strong>gras</strong>" in html and "<em>it</em>" in html and "<s>barré</s>" in html
    assert "<li>un</li>" in html
    assert '<a href="https://tcri.example" rel="nofollow noopener noreferrer ugc">lien</a>' in html


def test_literal_html_is_shown_as_text():
    assert render_markdown("a <b>b</b>") == "<p>a &lt;b&gt;b&lt;/b&gt;</p>\n"
