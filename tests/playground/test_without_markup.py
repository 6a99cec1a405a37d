"""playground.browser.without_markup: plain tooltips and names skip markdown-it and bleach and come out as those render
them; anything else still goes through them. The start-up checks run in fresh interpreters."""

import random

from fresh_python import run
from panel.pane.markup import Markdown
from panel.util import HTML_SANITIZER

from playground.browser.without_markup import _clean, _get_parser, is_plain

MARKDOWN = Markdown._get_parser("markdown-it", (), Markdown.hard_line_break)  # Panel's own, as descriptions use


def texts():
    rng = random.Random(5)
    yield from ["Train on one batch", "Noise (%) added to the points", "1. first", "- item", "a.b", "x = 3", ""]
    for alphabet in ("abcXYZ019 ,.;:()'?!/%=+-", "abcXYZ019 ,.;:()'?!/%=+-*_`[]<>&#\"@\n"):
        for _ in range(1500):
            yield "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25)))


def test_plain_text_comes_out_as_markdown_it_and_bleach_make_it_and_the_rest_goes_to_them():
    plain = 0
    for text in texts():
        assert _get_parser(Markdown, "markdown-it", (), Markdown.hard_line_break).render(text) == MARKDOWN.render(text)
        assert _clean(text) == HTML_SANITIZER.clean(text)
        plain += is_plain(text)
    assert plain > 300  # the fast path is taken, not only the libraries


def test_markup_is_still_rendered_and_cleaned():
    parser = _get_parser(Markdown, "markdown-it", (), False)
    assert parser.render("a *b*") == "<p>a <em>b</em></p>\n"
    assert _clean("<script>x</script>ok") == "xok"
    assert not is_plain("see model.py") and not is_plain("www.example") and not is_plain("2. second")


def test_the_pages_build_their_documents_without_importing_markdown_it_or_bleach():
    assert (
        run("""
        import sys
        from pathlib import Path
        from playground.browser.without_markup import keep_markup_libraries_out
        keep_markup_libraries_out()
        import panel as pn
        from bokeh.document import Document
        from playground.mnist import app as mnist_lab
        from playground.sandbox import app as sandbox
        from playground.lessons.app import lesson_app
        text = Path("lessons/01-one-neuron.md").read_text()
        header = text[: text.index("\\n---", 3) + 4] + "\\n"
        for app in (sandbox.create_app(), mnist_lab.create_app(), lesson_app("01-one-neuron", header, {})):
            pn.panel(app).server_doc(Document())
        print(sorted({"markdown_it", "bleach"} & set(sys.modules)))
    """)
        == "[]"
    )
