"""The built site runs Python with numpy from the site itself, with no other host reachable."""

import nn_core


def test_the_page_runs_the_engine_from_the_site_alone(site_url, offline_page):
    page = offline_page.page
    page.goto(site_url)
    status = page.locator("#pg-status")
    page.wait_for_function(
        "['ready', 'error'].includes(document.getElementById('pg-status').dataset.state)", timeout=120_000
    )
    offline_page.screenshot()
    assert status.get_attribute("data-state") == "ready", status.text_content()
    assert page.locator("dd[data-name=nn_core]").text_content() == nn_core.__version__
    assert page.locator("dd[data-name=numpy]").text_content() == "2.0.2"
    assert page.locator("dd[data-name=Pyodide]").text_content() == "0.27.7"
    assert offline_page.blocked == []
    assert offline_page.errors == []


def test_a_broken_site_shows_a_readable_error(site_url, offline_page):
    """When a file fails to load the page says so instead of spinning forever."""
    offline_page.context.route("**/nn_playground-*.whl", lambda route: route.abort())
    page = offline_page.page
    page.goto(site_url)
    page.wait_for_function("document.getElementById('pg-status').dataset.state === 'error'", timeout=120_000)
    offline_page.screenshot()
    assert "could not start" in page.locator("#pg-status").text_content()
