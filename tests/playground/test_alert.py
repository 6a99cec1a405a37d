"""Notices look like Panel's alerts without rendering Markdown, and the apps start without Python-Markdown."""

import subprocess
import sys
from html import unescape
from pathlib import Path

from bokeh.document import Document

from playground.widgets.alert import Alert

ROOT = Path(__file__).resolve().parents[2]


def test_a_notice_has_the_alert_look_its_role_and_the_html_it_was_given():
    model = Alert("<b>1 &lt; 2</b> *not emphasis*").get_root(Document())
    assert {"alert", "alert-warning"} <= set(model.css_classes)
    assert unescape(model.text) == '<div role="alert"><b>1 &lt; 2</b> *not emphasis*</div>'
    assert any(getattr(sheet, "url", "").endswith("css/alerts.css") for sheet in model.stylesheets)


def test_a_shown_notice_changes_its_kind_and_text_in_place():
    notice = Alert(visible=False)
    model = notice.get_root(Document())
    notice.object, notice.alert_type, notice.visible = "Training diverged", "danger", True
    assert "alert-danger" in model.css_classes and "alert-warning" not in model.css_classes
    assert "Training diverged" in unescape(model.text) and model.visible


def test_the_sandbox_and_the_mnist_lab_start_without_python_markdown():
    # A fresh interpreter: what building and serializing the apps imports, as the browser's worker does at start.
    # (markdown-it stays: Panel renders the widgets' descriptions with it.)
    start = (
        "import sys\n"
        "import panel as pn\n"
        "from bokeh.document import Document\n"
        "from bokeh.embed.util import standalone_docs_json_and_render_items\n"
        "from playground.mnist import app as mnist_lab\n"
        "from playground.sandbox import app as sandbox\n"
        "for create_app in (sandbox.create_app, mnist_lab.create_app):\n"
        "    doc = Document()\n"
        "    pn.panel(create_app()).server_doc(doc)\n"
        "    standalone_docs_json_and_render_items(doc.roots, suppress_callback_warning=True)\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run([sys.executable, "-c", start], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    imported = set(result.stdout.split())
    assert {"panel", "playground"} <= imported
    assert "markdown" not in imported
