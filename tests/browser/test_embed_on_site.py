"""Pages embedded in a course page (?embed=1 in an iframe): no site navigation, no sideways scrolling on a tablet or a
phone, the page starts and trains, its URL keeps embed=1 and its links open in a new tab. A lesson's progress is kept
per site path (two courses on one host keep apart, an old key moves once) and downloads as JSON for the teacher."""

import json

import pytest

LESSON = "lesson-01-one-neuron"
SIZES = [{"width": 768, "height": 1024}, {"width": 390, "height": 844}]
CHANGES = {  # each page embedded, and how the test changes one of its settings there
    "sandbox.html": lambda frame: frame.get_by_role("button", name="− Remove layer").click(),
    "mnist.html": lambda frame: frame.get_by_role("combobox", name="Batch size").select_option("64"),
    LESSON + ".html": lambda frame: frame.get_by_role("button", name="− Remove layer").click(),
}


def course_page(page, site, embedded):
    """Opens a course page of the site's origin (answered by the test) showing `embedded` in an iframe; its frame."""
    host = site + "course/host.html"
    body = (
        '<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">'
        '<body style="margin:0"><h1 style="margin:.5rem">My course</h1>'
        f'<iframe title="playground" src="../{embedded}?embed=1" style="display:block;width:100%;height:90vh;border:0">'
        "</iframe></body>"
    )
    page.route(host, lambda route: route.fulfill(content_type="text/html", body=body))
    page.goto(host)
    frame = page.frame_locator("iframe")
    frame.locator("#pg-loader").wait_for()
    return next(child for child in page.main_frame.child_frames if embedded in child.url)


def fits(frame):
    """Whether the embedded page has no navigation and no sideways scrolling."""
    scroll = frame.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    navigation = frame.locator("header a.home, header h1, .lesson-nav")
    return all(navigation.nth(i).is_hidden() for i in range(navigation.count())) and scroll[0] <= scroll[1]


def settle(frame):
    frame.wait_for_function(
        "['ready', 'error'].includes(document.getElementById('pg-loader').dataset.state)", timeout=240_000
    )
    loader = frame.locator("#pg-loader")
    assert loader.get_attribute("data-state") == "ready", loader.text_content()
    frame.locator("#pg-status").first.wait_for(timeout=30_000)


@pytest.mark.parametrize("embedded", CHANGES)
def test_an_embedded_page_fits_its_frame_starts_trains_and_keeps_embed_in_its_url(
    full_site_url, offline_page, embedded
):
    page = offline_page.page
    page.set_viewport_size(SIZES[0])
    frame = course_page(page, full_site_url, embedded)
    assert frame.locator("#progress").is_visible() or frame.locator("#pg-loader").get_attribute("data-state") == "ready"
    assert fits(frame)
    settle(frame)
    frame.get_by_role("button", name="Play").click()
    frame.get_by_role("button", name="Pause").wait_for(timeout=60_000)
    frame.get_by_role("button", name="Pause").click()
    CHANGES[embedded](frame)
    page.wait_for_timeout(1500)  # the sandbox and the MNIST lab write their settings into the URL once they are quiet
    search = frame.evaluate("location.search")
    assert search.startswith("?embed=1") and (embedded.startswith("lesson") or "&" in search), search
    assert fits(frame)
    offline_page.screenshot("-768x1024")
    # A link leaving the page (one without a target, as in a lesson's prose) opens a new tab; the frame stays.
    away = '<p><a id="away" href="index.html">the site</a></p>'
    frame.evaluate("(away) => document.querySelector('main').insertAdjacentHTML('afterbegin', away)", away)
    with page.context.expect_page() as opened:
        frame.locator("#away").click()
    assert opened.value.url == full_site_url + "index.html" and embedded in frame.url
    opened.value.close()
    frame.evaluate("document.getElementById('away').parentElement.remove()")
    page.set_viewport_size(SIZES[1])
    page.wait_for_timeout(500)
    assert fits(frame)
    offline_page.screenshot("-390x844")
    assert offline_page.blocked == []


def test_progress_is_kept_per_site_path_and_downloads_as_json(full_site_url, offline_page):
    page = offline_page.page
    # The same site under /course-b/ on the same host: a second course.
    page.route(
        full_site_url + "course-b/**",
        lambda route: route.fulfill(response=route.fetch(url=route.request.url.replace("course-b/", ""))),
    )
    lesson = full_site_url + LESSON + ".html"
    page.goto(lesson)
    slug = page.locator("body").get_attribute("data-lesson")
    page.evaluate(f"localStorage.setItem('nn-playground:lesson:{slug}', JSON.stringify(['no-hidden-layer']))")  # old

    page.goto(full_site_url + "course-b/" + LESSON + ".html")  # the old progress moves to the first course reading it
    page.locator("#lesson-progress", has_text="1 of 2 tasks done").wait_for()
    assert page.evaluate(f"localStorage.getItem('nn-playground:lesson:{slug}')") is None
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my progress").click()
    report = json.loads(open(download.value.path()).read())
    assert download.value.suggested_filename == f"progress-{slug}.json"
    assert report["lesson"] == slug and report["site"] == full_site_url + "course-b/" and report["tasks_total"] == 2
    assert report["tasks_done"] == [{"id": "no-hidden-layer", "done": None}]

    page.goto(lesson)  # the other course has none of it
    page.locator("#lesson-progress", has_text="0 of 2 tasks done").wait_for()
    page.evaluate(
        f"localStorage.setItem('nn-playground:/:lesson:{slug}', '{{\"one-input\": \"2026-01-02T03:04:05Z\"}}')"
    )
    page.reload()
    page.locator("#lesson-progress", has_text="1 of 2 tasks done").wait_for()
    assert page.locator('.lesson-tasks [data-task="one-input"]').get_attribute("data-done") == "true"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my progress").click()
    report = json.loads(open(download.value.path()).read())
    assert report["site"] == full_site_url and report["tasks_done"] == [
        {"id": "one-input", "done": "2026-01-02T03:04:05Z"}
    ]
    offline_page.screenshot("-lesson")
