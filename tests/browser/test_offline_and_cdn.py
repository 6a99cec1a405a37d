"""The site after the first visit (service worker, no server) and the CDN build (Pyodide from elsewhere)."""

from web.pins import load_pins
from web.pyodide_dist import assemble
from web.site import build_site


def test_the_second_visit_works_with_the_server_stopped(serve, page_with_service_worker, demo_site, demo_page):
    server, visit = serve(demo_site), page_with_service_worker
    url = f"{server.url}{demo_page.slug}.html"
    visit.page.goto(url)
    assert visit.wait_until_settled() == "ready"
    # Once the app is ready the service worker stores what the page fetched (not the whole site: that takes the
    # footer's button), which is all this page needs.
    visit.page.wait_for_function("window.nnPlayground.pageStored", timeout=60_000)
    assert visit.page.evaluate("window.nnPlayground.offline") is False
    server.stop()
    visit.page.goto(url)
    assert visit.wait_until_settled() == "ready", visit.page.locator("#pg-loader").text_content()
    visit.page.get_by_role("button", name="Count a click").click()
    visit.page.get_by_text("clicks: 1").wait_for(timeout=10_000)
    visit.screenshot()
    assert visit.blocked == []


def test_a_cdn_build_takes_pyodide_from_the_cdn_and_its_own_wheels_from_the_site(
    serve, offline_page, tmp_path, demo_page, demo_app_module
):
    # The release's core and packages as they are (the site precompiles its own copies; the CDN does not).
    assemble(tmp_path / "cdn", load_pins().site_packages)
    cdn = serve(tmp_path / "cdn", cors=True)
    site = tmp_path / "site"
    build_site(site, [demo_page], pyodide="cdn", cdn_url=cdn.url, app_modules=[demo_app_module])
    assert not (site / "pyodide" / "pyodide.asm.wasm").exists()
    server = serve(site)
    fetched = []
    offline_page.context.on("request", lambda request: fetched.append(request.url))
    offline_page.page.goto(f"{server.url}{demo_page.slug}.html")
    assert offline_page.wait_until_settled() == "ready", offline_page.page.locator("#pg-loader").text_content()
    offline_page.screenshot()
    assert any(url.startswith(cdn.url) and url.endswith("pyodide.asm.wasm") for url in fetched)
    assert any(url.startswith(cdn.url) and "/numpy-" in url for url in fetched)
    assert any(url.startswith(server.url) and "/nn_playground-" in url for url in fetched)
    assert offline_page.blocked == []
