"""Predict, choice and observe tasks on the built site (issue 22 item 3), by keyboard where a student would use it: on a
phone-wide page a prediction is committed, locked, and judged once its run is decided, with every option's feedback;
a wrong choice shows why and a right one does the task; an observe task ticks while the network fails; a reload finds
all of it again, before Python has started and after; axe finds nothing serious in the answered tasks."""

import time

import pytest
from conftest import OfflinePage
from test_accessibility import assert_accessible, axe_script  # noqa: F401 - a fixture
from test_lesson_pages import start, task

PREDICT = "lesson-14-predict-the-learning-rate"
DOCTOR = "lesson-15-the-failure-doctor"


@pytest.fixture
def phone_page(browser, request):
    page = OfflinePage(browser, request.node.name, viewport={"width": 390, "height": 844})
    yield page
    page.context.close()


def test_a_prediction_is_committed_by_keyboard_locked_and_judged_after_the_run(full_site_url, phone_page):
    page = start(phone_page, full_site_url + PREDICT + ".html")
    slow = task(page, "rate-0-003")
    group = slow.get_by_role("group", name="Your prediction")
    assert group.get_by_role("radio").count() == 3 and slow.locator(".option-feedback").first.is_hidden()
    group.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowDown")  # the second option: "It learns", which a rate of 0.003 does not do in 40 epochs
    assert group.get_by_role("radio", name="It learns").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Commit my prediction
    verdict = slow.locator(".task-verdict")
    assert verdict.text_content().startswith("Your prediction is in: “It learns.")
    assert all(radio.is_disabled() for radio in group.get_by_role("radio").all())
    assert slow.get_by_role("button", name="Commit my prediction").is_hidden()
    assert page.evaluate("document.activeElement.className") == "task-verdict"  # the keyboard's place is kept

    page.locator(".lesson-embed[data-embed=playground]").get_by_role("button", name="Play").click()
    played = time.monotonic()
    slow.and_(page.locator('[data-done="true"]')).wait_for(timeout=60_000)
    print(f"prediction judged {time.monotonic() - played:.1f} s after Play")
    page.locator(".lesson-embed[data-embed=playground]").get_by_role("button", name="Pause").click()
    assert verdict.text_content().startswith("✗ Not this time: you predicted “It learns.")
    assert "what happened: “It crawls." in verdict.text_content()
    assert slow.locator('[data-option="0"] .option-tag').text_content() == "what happened"
    assert slow.locator('[data-option="1"] .option-tag').text_content() == "your prediction"
    assert all(feedback.is_visible() for feedback in slow.locator(".option-feedback").all())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone, no sideways scrolling
    phone_page.screenshot("-judged")

    page.reload()  # the page shows the stored answers before Python has started
    assert task(page, "rate-0-003").get_attribute("data-done") == "true"
    assert task(page, "rate-0-003").locator(".task-verdict").text_content().startswith("✗ Not this time")
    assert task(page, "rate-0-03").get_by_role("radio").first.is_enabled()  # the next prediction is still open
    assert phone_page.blocked == [] and phone_page.errors == []


def test_a_wrong_then_a_right_choice_an_observed_failure_and_a_reload(full_site_url, offline_page, axe_script):  # noqa: F811
    page = start(offline_page, full_site_url + DOCTOR + ".html")
    remedy = task(page, "remedy")
    check = remedy.get_by_role("button", name="Check my answer")
    remedy.get_by_role("radio", name="Train for more epochs").check()
    check.click()
    assert remedy.locator(".task-verdict").text_content().startswith("✗ Not “Train for more epochs”")
    assert remedy.locator('[data-option="2"] .option-feedback').is_visible()
    assert remedy.get_attribute("data-done") == "false"
    assert remedy.get_by_role("radio", name="Train for more epochs").is_disabled()  # tried: not again
    remedy.get_by_role("radio", name="Reinitialise the dead neurons").check()
    check.click()
    assert remedy.get_attribute("data-done") == "true" and check.is_hidden()
    assert remedy.locator(".task-verdict").text_content() == "✓ Right: “Reinitialise the dead neurons”."

    dead = task(page, "dead-relus")
    page.locator(".lesson-embed[data-embed=playground]").get_by_role("button", name="Play").click()
    played = time.monotonic()
    dead.and_(page.locator('[data-done="true"]')).wait_for(timeout=60_000)  # the observe task ticks at the start
    print(f"three dead ReLUs seen {time.monotonic() - played:.1f} s after Play")
    page.locator(".lesson-embed[data-embed=playground]").get_by_role("button", name="Pause").click()
    page.locator(".lesson-embed[data-view=doctor]").get_by_text("Dead ReLUs.").wait_for(timeout=10_000)
    assert page.locator("#lesson-progress").text_content() == "2 of 6 tasks done"
    assert_accessible(page, axe_script, "lesson 15, answered")
    offline_page.screenshot("-answered")

    page.reload()
    assert (remedy.get_attribute("data-done"), dead.get_attribute("data-done")) == ("true", "true")  # before Python
    assert remedy.locator(".task-verdict").text_content() == "✓ Right: “Reinitialise the dead neurons”."
    start(offline_page, page.url)
    page.wait_for_timeout(1_000)  # Python hears the stored answers and progress and answers with them
    assert page.locator("#lesson-progress").text_content() == "2 of 6 tasks done"
    assert remedy.get_by_role("radio", name="Reinitialise the dead neurons").is_checked()
    assert task(page, "why-dead").get_by_role("radio").first.is_enabled()
    assert offline_page.blocked == [] and offline_page.errors == []
