"""The home page lists every page with its title and summary, then the lesson catalogue."""


def test_the_home_page_lists_the_pages_then_the_lessons(site_url, offline_page, demo_page):
    page = offline_page.page
    page.goto(site_url)
    link = page.locator("#sandbox a", has_text=demo_page.title)
    assert link.get_attribute("href") == f"{demo_page.slug}.html"
    assert demo_page.summary in page.locator("#sandbox").text_content()
    assert page.locator("#lessons h2").text_content() == "Lessons"
    offline_page.screenshot()
    assert page.locator("#pg-offline-box").count() == 0  # no service worker here: nothing to offer for offline use
    assert offline_page.blocked == []
    assert offline_page.errors == []
