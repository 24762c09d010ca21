"""Data Docs that work offline: GX's pages with a few templates of our own first.

GX's page templates load Bootstrap, jQuery, bootstrap-table, Font Awesome and
Vega from CDNs, and build their tables in the browser. Offline (an audit is
read on any machine, often without network) that leaves empty tables and a
console full of errors. The views below put ``views/`` in front of GX's own
templates: the same pages, with tables rendered on the server, a small local
stylesheet, and the few interactions in plain JavaScript. GX's site builder
takes these views by ``module_name``/``class_name`` (its documented extension
point); nothing of GX is patched.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources
from typing import Any

from great_expectations.render.view.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import ChoiceLoader, PackageLoader


@functools.cache
def _script_and_policy() -> tuple[str, str]:
    """Our one script, and a Content-Security-Policy that allows it and nothing else.

    GX's pages show dataset values; should one ever reach the page as markup, the
    policy keeps it from running (inline handlers and other scripts are refused) and
    from loading anything from the network.
    """
    script = (resources.files("vidaudit.audit.gx") / "views" / "docs.js").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
              "img-src 'self' file: data:; font-src 'self' file: data:")
    return script, policy


def _prefer_ours(view: Any) -> None:
    view.env.loader = ChoiceLoader([PackageLoader("vidaudit.audit.gx", "views"),
                                    view.env.loader])
    script, policy = _script_and_policy()
    view.env.globals["vidaudit_script"] = script
    view.env.globals["vidaudit_csp"] = policy


class OfflinePageView(DefaultJinjaPageView):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _prefer_ours(self)


class OfflineIndexPageView(DefaultJinjaIndexPageView):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _prefer_ours(self)


def site_config(base_directory: str) -> dict[str, Any]:
    view = {"module_name": __name__, "class_name": OfflinePageView.__name__}
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": base_directory},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder",
                               "view": {"module_name": __name__,
                                        "class_name": OfflineIndexPageView.__name__}},
        "site_section_builders": {"expectations": {"view": view},
                                  "validations": {"view": view},
                                  "profiling": {"view": view}},
    }
