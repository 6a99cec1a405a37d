"""Each app page's first look (web/preview.py): the document the page's entry builds at start, made in CPython at build
time, the same bytes every build, written beside the page that names it."""

import json
import re
from dataclasses import replace

import pytest

from web.pages import PAGE_SCRIPTS, app_page
from web.preview import SUFFIX, PreviewError, preview_json, write_previews


def test_the_sandbox_preview_is_the_document_its_entry_builds():
    preview = preview_json("playground.sandbox.app:create_app")
    (doc,) = preview["docs_json"].values()
    ids = {root["id"] for root in doc["roots"]}
    assert preview["render_items"][0]["root_ids"] == preview["root_ids"] and set(preview["root_ids"]) == ids
    assert preview["page_keys"] == ["embed"]  # ?embed=1 keeps the page's start; any other key changes it
    text = json.dumps(doc)
    # What the page shows at start: the data sets' buttons, the Play button, the network diagram's heatmaps.
    assert all(name in text for name in ("Circle", "Exclusive or", "Play", "Add layer", '"ImageRGBA"'))
    assert "cdn.holoviz.org" not in text  # Panel's stylesheets from the site, as the live page has them


def test_a_page_gives_the_same_preview_at_every_build(tmp_path, demo_page, demo_app_module):
    built = [write_previews(tmp_path / name, [demo_page], [demo_app_module.parent]) for name in ("a", "b")]
    (first,), (second,) = built
    assert first.name == f"{demo_page.slug}{SUFFIX}" and first.read_bytes() == second.read_bytes()


def test_a_page_whose_entry_fails_names_the_page_and_the_error(tmp_path, demo_page, demo_app_module):
    broken = replace(demo_page, slug="broken", entry="demo_app:no_such_function")
    with pytest.raises(PreviewError, match=r"page 'broken' \(demo_app:no_such_function\) .*AttributeError"):
        write_previews(tmp_path, [broken], [demo_app_module.parent])


def test_an_app_page_fetches_its_scripts_and_preview_gzipped_from_its_head(demo_page):
    """BokehJS, Panel's script and the preview are requested as the head is parsed (loader.js runs them in order),
    stored gzipped (web/precompress.py); no script tag loads the plain files."""
    html = app_page(demo_page, "pyodide/")
    preview, scripts = f"{demo_page.slug}{SUFFIX}.gz", [f"{src}.gz" for src in PAGE_SCRIPTS]
    assert f'data-preview="{preview}"' in html and f'data-scripts="{" ".join(scripts)}"' in html
    early = re.search(r"window\.nnPlaygroundEarly = Object\.fromEntries\((\[.*?\])\.map", html)
    assert json.loads(early[1]) == [*scripts, preview]
    assert scripts[0] == "static/bokeh/bokeh.min.js.gz" and not re.search(r'src="[^"]*\.min\.js"', html)
