"""Helpers the browser tests share: where Chromium and axe-core are, and a tab that records what happens."""

from __future__ import annotations

import os
import shutil

from support import REPO

CHROMIUM = os.environ.get("NEWSDIGEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = REPO / "test-artefacts"
#: Headless, and nothing of Chromium's own talks to the network (this machine's is closed).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def open_tab(chromium, **options):
    """A tab in a fresh context that records console errors, page errors, dialogs and every request."""
    context = chromium.new_context(**options)
    tab = context.new_page()
    tab.problems, tab.requests, tab.dialogs = [], [], []
    tab.on("console", lambda message: message.type == "error" and tab.problems.append(message.text))
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    tab.on("request", lambda request: tab.requests.append(request.url))

    def dismiss(dialog) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", dismiss)
    return tab
