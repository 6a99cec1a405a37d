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


def test_a_teacher_copies_the_code_that_puts_a_lesson_into_a_course_page(full_site_url, offline_page):
    """The box under the lessons: a page to choose (every page and lesson the home page lists), the iframe's code with
    the page in embed mode, copied by the button, here by keyboard."""
    page = offline_page.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=full_site_url.rstrip("/"))
    page.goto(full_site_url)
    lesson = page.locator("#lessons a").first
    title, href = lesson.text_content(), lesson.get_attribute("href")
    choice = page.get_by_label("Page", exact=True)
    assert choice.locator("option").count() == page.locator("#sandbox a, #lessons a").count()
    choice.select_option(label=title)
    code = page.get_by_label("The code to paste into your course page").input_value()
    assert code.startswith(f'<iframe src="{full_site_url}{href}?embed=1" title="{title}" width="100%"'), code
    assert page.locator("#embed-open").get_attribute("href") == f"{full_site_url}{href}?embed=1"
    page.get_by_role("button", name="Copy the code").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Copied. Paste it into your course page's HTML.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
    page.locator("#embed").scroll_into_view_if_needed()
    offline_page.screenshot()
    assert offline_page.errors == []
