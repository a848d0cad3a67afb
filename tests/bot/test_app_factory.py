"""create_app: assembly only, settings from the environment when not given."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.main import create_app


def test_app_factory_reads_the_environment_and_generates_the_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SESSION_SECRET", raising=False)
    app = create_app()
    assert app.url_path_for("shop_page") == "/"
    assert app.url_path_for("healthz") == "/healthz"
    assert app.url_path_for("product_image", sku="A-1") == "/media/products/A-1.svg"
    assert app.url_path_for("chat_socket") == "/ws/chat"
    assert app.url_path_for("static", path="widget/chat-widget.js").endswith("chat-widget.js")
    assert (tmp_path / "session_secret").exists()


def test_app_factory_refuses_a_placeholder_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_SECRET", "changeme")
    with pytest.raises(ValidationError):
        create_app()
