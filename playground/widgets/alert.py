"""Notices in the look of Panel's Alert, written as HTML rather than Markdown.

pn.pane.Alert is a Markdown pane, rendered with Python-Markdown, which nothing else on a page uses: it was 13
modules a page imported at every start in the browser (web/startup_modules.txt lists what a page imports). The
playground's notices are short texts it writes itself, so HTML serves them.
"""

import panel as pn
import param
from panel.io.resources import CDN_DIST


class Alert(pn.pane.HTML):
    """A notice with Panel's Alert look for `alert_type`; `object` is HTML (escape any text put in it). Screen
    readers announce it when it appears (role="alert")."""

    alert_type = param.Selector(default="warning", objects=["warning", "danger"])

    _rename = {**pn.pane.HTML._rename, "alert_type": None}
    # A word longer than the line (a value pasted into a link) wraps rather than widening the page. The warning's
    # text is Bootstrap's darker warning colour: Panel's #997404 on #fff3cd is 3.9:1, under WCAG AA's 4.5:1.
    _stylesheets = [
        *pn.pane.HTML._stylesheets,
        f"{CDN_DIST}css/alerts.css",
        ":host { overflow-wrap: anywhere; }",
        ":host(.alert-warning) { color: #664d03; }",
    ]

    def _process_param_change(self, params):
        # As pn.pane.Alert does: the look comes from the classes alerts.css styles.
        if "css_classes" in params or "alert_type" in params:
            params["css_classes"] = [*self.css_classes, "alert", f"alert-{self.alert_type}"]
        return super()._process_param_change(params)

    def _transform_object(self, obj):
        return super()._transform_object(f'<div role="alert">{obj or ""}</div>')
