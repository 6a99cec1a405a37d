"""The race on the built site: a link with a race opens it; Play trains both networks in the worker, their maps and
curves follow and the winner is named; Rewind starts both again; the page fits a phone."""

from test_sandbox_on_site import open_sandbox, status, wait_until

VERDICT = ".pg-race-verdict"


def verdict(page):
    element = page.locator(VERDICT)
    return {"text": element.text_content(), "first": element.get_attribute("data-first"),
            "second": element.get_attribute("data-second")}  # fmt: skip


def maps(page):
    return [page.get_by_alt_text(f"decision map of the {name}").get_attribute("src") for name in ("first", "second")]


def test_a_race_link_opens_the_race_both_networks_train_and_the_winner_is_named(full_site_url, offline_page):
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    page = open_sandbox(offline_page, full_site_url + "sandbox.html?race=activation:relu")
    page.locator(VERDICT).wait_for(timeout=60_000)
    assert "Press Play" in verdict(page)["text"]
    assert page.get_by_role("combobox", name="Activation (second)").input_value() == "relu"
    page.get_by_alt_text("decision map of the second: activation relu", exact=False).wait_for(timeout=30_000)
    before = maps(page)

    page.get_by_role("button", name="Play").click()
    assert wait_until(page, lambda: int(status(page)["epoch"]) >= 5), status(page)
    page.get_by_role("button", name="Pause").click()
    assert wait_until(page, lambda: status(page)["state"] == "paused")
    assert wait_until(page, lambda: "wins by" in verdict(page)["text"] or "a tie" in verdict(page)["text"])
    shown = verdict(page)
    assert shown["first"] == shown["second"] != "0"  # lockstep: the same batch size, the same steps
    assert f"After {int(status(page)['epoch']):,} epochs" in shown["text"]
    assert wait_until(page, lambda: all(now != then for now, then in zip(maps(page), before, strict=True)))
    offline_page.screenshot("-1400")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing reaches past the window
    page.wait_for_timeout(1_000)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    offline_page.screenshot("-390")

    page.get_by_role("button", name="Rewind").click()  # both networks back to their first weights
    assert wait_until(page, lambda: status(page)["epoch"] == "0" and verdict(page)["second"] == "0")
    assert "Press Play" in verdict(page)["text"]
    assert offline_page.blocked == [] and offline_page.errors == []
