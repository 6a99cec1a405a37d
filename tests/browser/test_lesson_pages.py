"""A lesson page on the built site: the prose with typeset maths around the live sandbox; the student completes a
task through the page and sees its check mark; progress survives a reload and shows on the home page; the
"Open in sandbox" link carries the settings; nothing is fetched from outside the site."""

import time
from pathlib import Path

import pytest

LESSONS = Path(__file__).parents[2] / "lessons"
LESSON = "lesson-01-one-neuron"


@pytest.fixture(scope="module")
def lesson_site(full_site_url):
    """The real site with the sandbox and every lesson."""
    return full_site_url


def task(page, task_id):
    return page.locator(f'.lesson-tasks [data-task="{task_id}"]')


def start(offline_page, url):
    page = offline_page.page
    page.goto(url)
    assert offline_page.wait_until_settled(timeout_ms=240_000) == "ready", page.locator("#pg-loader").text_content()
    page.locator(".lesson-embed[data-embed=playground] #pg-status").wait_for(timeout=30_000)
    return page


def test_a_student_completes_a_task_sees_the_check_mark_and_finds_it_again_after_a_reload(lesson_site, offline_page):
    page = start(offline_page, lesson_site + LESSON + ".html")
    assert page.locator("h1").text_content() == "One neuron draws a straight line"
    assert page.locator(".lesson-body .math.inline .katex").count() > 0  # KaTeX from the site typeset the maths
    assert page.locator(".lesson-embed[data-embed=toolbar]").get_by_role("button", name="Reset").is_visible()
    assert task(page, "no-hidden-layer").get_attribute("data-done") == "false"
    assert "to do" in task(page, "no-hidden-layer").text_content()
    assert page.locator("#lesson-progress").text_content() == "0 of 2 tasks done"
    offline_page.screenshot("-start")

    remove = page.get_by_role("button", name="− Remove layer")
    for expected in ("1 hidden layer", "0 hidden layers"):
        remove.click()
        page.get_by_text(expected).wait_for(timeout=30_000)
    page.get_by_role("button", name="Play").click()
    played = time.monotonic()
    task(page, "no-hidden-layer").and_(page.locator('[data-done="true"]')).wait_for(timeout=120_000)
    print(f"task done {time.monotonic() - played:.1f} s after Play")
    assert "done" in task(page, "no-hidden-layer").locator(".task-mark").text_content()
    assert task(page, "one-input").get_attribute("data-done") == "false"
    assert page.locator("#lesson-progress").text_content() == "1 of 2 tasks done"
    page.get_by_role("button", name="Pause").click()
    link = page.locator("a.pg-sandbox-link").get_attribute("href")
    assert link.startswith("sandbox.html?") and "dataset=gauss" in link and "hidden_layers=&" in link + "&"
    offline_page.screenshot("-task-done")

    page.reload()
    assert task(page, "no-hidden-layer").get_attribute("data-done") == "true"  # from the browser, before Python
    start(offline_page, page.url)
    page.wait_for_timeout(1_000)  # Python hears the stored progress and answers with it
    assert task(page, "no-hidden-layer").get_attribute("data-done") == "true"
    assert page.locator("#lesson-progress").text_content() == "1 of 2 tasks done"
    assert page.get_by_text("2 hidden layers").is_visible()  # the lesson's setup again, the task still done

    page.goto(lesson_site)
    assert page.locator('[data-lesson="01-one-neuron"] .lesson-done').text_content() == "1 of 2 tasks done"
    assert page.locator('[data-lesson="02-xor-needs-a-hidden-layer"] .lesson-done').count() == 0
    offline_page.screenshot("-home")

    page.goto(lesson_site + LESSON + ".html")  # a shared computer: the next student starts afresh
    with page.expect_navigation():
        page.get_by_role("button", name="Forget my progress").click()
    assert task(page, "no-hidden-layer").get_attribute("data-done") == "false"
    assert page.get_by_role("button", name="Forget my progress").is_hidden()
    assert offline_page.blocked == []
    assert offline_page.errors == []


def test_reset_brings_back_the_lessons_setup_and_the_sandbox_link_opens_the_settings(lesson_site, offline_page):
    page = start(offline_page, lesson_site + LESSON + ".html")
    page.get_by_role("button", name="− Remove layer").click()
    page.get_by_text("1 hidden layer").wait_for(timeout=30_000)
    page.get_by_role("button", name="Reset to the lesson's setup").click()
    page.get_by_text("2 hidden layers").wait_for(timeout=30_000)
    page.get_by_role("button", name="− Remove layer").click()
    page.get_by_text("1 hidden layer").wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    href = page.locator("a.pg-sandbox-link").get_attribute("href")
    start_sandbox = offline_page.page
    start_sandbox.goto(lesson_site + href)
    assert offline_page.wait_until_settled(timeout_ms=240_000) == "ready"
    start_sandbox.get_by_text("1 hidden layer").wait_for(timeout=30_000)
    assert start_sandbox.get_by_role("button", name="Two Gaussians").count() >= 1
    offline_page.screenshot("-sandbox")
    assert offline_page.blocked == []
    assert offline_page.errors == []


def test_an_mnist_lesson_page_runs_the_lab_with_the_lessons_views_in_their_places(lesson_site, offline_page):
    page = offline_page.page
    page.goto(lesson_site + "lesson-09-mnist-mlp.html")
    assert offline_page.wait_until_settled(timeout_ms=240_000) == "ready", page.locator("#pg-loader").text_content()
    assert page.locator(".math.block .katex-display").count() > 0
    assert page.locator('a[rel="prev"]').get_attribute("href") == "lesson-08-backprop-and-gradient-check.html"
    playground = page.locator(".lesson-embed[data-embed=playground]")
    playground.locator("#pg-status").wait_for(timeout=30_000)
    assert playground.get_by_text("ARCHITECTURE").is_visible()
    projection = page.locator('.lesson-embed[data-embed=view][data-view="projection"]')
    assert projection.get_by_text("LAYER PROJECTION (PCA)").is_visible()
    assert page.locator(".lesson-embed[data-embed=toolbar] a.pg-sandbox-link").count() == 0
    lab_link = page.locator(".lesson-embed[data-embed=toolbar] a.pg-lab-link").get_attribute("href")
    assert lab_link.startswith("mnist.html?") and "layers=flatten,dense10" in lab_link
    playground.get_by_role("button", name="Play").click()
    status = playground.locator("#pg-status")
    for _ in range(240):  # the lab trains in the worker
        if int(status.get_attribute("data-step")) >= 20:
            break
        page.wait_for_timeout(500)
    assert int(status.get_attribute("data-step")) >= 20, status.get_attribute("data-step")
    playground.get_by_role("button", name="Pause").click()
    offline_page.screenshot()
    assert offline_page.blocked == []
    assert offline_page.errors == []
