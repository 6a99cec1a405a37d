"""The code view's highlighting: every character of the source is shown once, in order, coloured by kind."""

import re
from html import unescape

from nn_core.layers.dense import Dense
from nn_core.trainer import train_step
from playground.core.code_trace import source_of
from playground.core.highlight import highlight

LINE = re.compile(r'<span class="ln[^"]*"[^>]*>(.*?)</span>(?=<span class="ln|</pre>)')


def shown_lines(html: str) -> list[str]:
    """The text each numbered line shows (an empty line holds one space, so that it keeps its height)."""
    return [unescape(re.sub(r"<[^>]+>", "", line)).replace(" ", "", line == " ") for line in LINE.findall(html)]


def test_the_text_is_shown_whole_and_in_order_coloured_by_kind():
    for function in (train_step, Dense.backward, highlight):
        source = source_of(function)
        html = highlight(source.text, marked=2, first_number=source.first_line)
        assert shown_lines(html) == source.text.splitlines()
        assert html.count('class="ln here"') == 1 and f'data-n="{source.first_line + 1}"' in html
    html = highlight('def f(x):  # a comment\n    return len("s") + 1.5\n')
    assert '<span class="kw">def</span> <span class="def">f</span>' in html
    assert '<span class="com"># a comment</span>' in html and '<span class="bi">len</span>' in html
    assert '<span class="str">&quot;s&quot;</span>' in html and '<span class="num">1.5</span>' in html


def test_unfinished_code_is_shown_plain_and_markup_in_it_is_escaped():
    html = highlight('def f(x:\n    return "<script>"')
    assert "<script>" not in html and "&lt;script&gt;" in html and 'class="kw"' not in html
    assert shown_lines(html) == ["def f(x:", '    return "<script>"']
