"""Embeds (?embed=1): every page of the site carries the switch that drops its navigation, a lesson page offers its
progress as a file, and the pages' own URL rewriting keeps embed=1 without reading it as a setting."""

from pathlib import Path

from panel.io.location import Location

from playground.lessons import load_all
from playground.pages import PAGES
from playground.sandbox.state import PlaygroundState
from playground.widgets.page_url import UrlWriter, follow_link, state_from_location
from web.lesson_pages import lesson_pages, page_html
from web.pages import app_page, static_page

LESSONS = Path(__file__).parents[2] / "lessons"
SWITCH = 'new URLSearchParams(location.search).get("embed") === "1"'


def test_every_page_of_the_site_reads_embed_before_its_first_paint():
    for html in (app_page(PAGES[0], "pyodide/"), static_page("About", "<p>text</p>")):
        head = html.split("</head>")[0]
        assert SWITCH in head and 'classList.add("embed")' in head and 'target: "_blank"' in head


def test_a_lesson_page_has_a_button_to_download_the_progress_beside_forget():
    html = page_html(lesson_pages(load_all(LESSONS)), 0, "pyodide/")
    assert '<button id="lesson-download" type="button">Download my progress</button>' in html
    assert html.index('id="lesson-download"') < html.index('id="lesson-forget"')


def test_embed_is_not_a_setting_and_survives_the_pages_url_rewriting():
    location = Location()
    follow_link(location, "?embed=1&noise=10", "")
    state, notices = state_from_location(PlaygroundState, location)
    assert (state.noise, notices) == (10, [])
    state.noise = 20
    UrlWriter(state, location).write()
    assert location.search == "?embed=1&noise=20"
    UrlWriter(PlaygroundState(), location).write()  # every setting at its default
    assert location.search == "?embed=1"
