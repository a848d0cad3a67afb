"""Experiment pages: marketing only, start with validation, posterior figures, fix a winner."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from automation.experiments import pick_variant
from crm_bridge import experiments, recommendations
from crm_bridge.enums import AuditAction, ExperimentStatus, StaffRole, SuggestionEventKind
from crm_bridge.models import AuditEvent, Experiment
from marketing.experiments import ArmCounts, summarize
from tests.bot.console.conftest import ADMIN, AGENT
from tests.bot.console.helpers import login, make_staff
from tests.utils.factories import make_conversation, make_experiment, make_product

MARKETER = "mia@shop.test"
Factory = Callable[[], Session]


@pytest.fixture
def marketer_id(store: Factory) -> int:
    return make_staff(store, MARKETER, role=StaffRole.marketing, name="Mia")


def _new_form(**fields: object) -> dict[str, object]:
    form: dict[str, object] = {
        "key": "greeting",
        "name": "Warm or brief",
        "goal": "suggestion_click",
        "text": ["Hello! Lovely to see you.", "Hi!", "", ""],
    }
    form.update(fields)
    return form


def _seed(
    session: Session, experiment: Experiment, key: str, *, assigned: int, clicks: int
) -> None:
    variant = next(v for v in experiments.list_variants(session, experiment.id) if v.key == key)
    product = make_product(session)
    for index in range(assigned):
        conversation = make_conversation(session)
        experiments.record_assignment(
            session,
            experiment_id=experiment.id,
            variant_id=variant.id,
            conversation_id=conversation.id,
        )
        if index < clicks:
            recommendations.record_shown(
                session,
                conversation_id=conversation.id,
                contact_id=conversation.contact_id,
                model_version="v1",
                shown=[recommendations.ShownSuggestion(product.id, 1)],
            )
            recommendations.record_follow_up(
                session,
                conversation_id=conversation.id,
                product_id=product.id,
                kind=SuggestionEventKind.clicked,
            )


def _cell(html: str, key: str, name: str) -> str:
    row = re.search(rf'<tr id="variant-{key}">(.*?)</tr>', html, re.S)
    assert row, f"no row for variant {key}"
    cell = re.search(rf'<td class="{name}">(.*?)</td>', row.group(1), re.S)
    assert cell, f"no {name} cell for variant {key}"
    return cell.group(1).strip()


def _audit(store: Factory, action: AuditAction) -> list[AuditEvent]:
    with store() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_agent_cannot_open_or_change_experiments(
    app_client: TestClient, store: Factory, agent_id: int
) -> None:
    with store() as session:
        experiment_id = make_experiment(session).id
        session.commit()
    csrf = login(app_client, AGENT)

    for method, path in (
        ("GET", "/console/experiments"),
        ("GET", "/console/experiments/new"),
        ("GET", f"/console/experiments/{experiment_id}"),
        ("POST", "/console/experiments"),
        ("POST", f"/console/experiments/{experiment_id}/stop"),
    ):
        response = app_client.request(
            method, path, headers={"X-CSRF-Token": csrf}, data={"winner_key": "a"}
        )
        assert response.status_code == 403, (method, path)
        assert "Only marketing staff and admins" in response.text
    with store() as session:
        assert session.get(Experiment, experiment_id).status == ExperimentStatus.running  # type: ignore[union-attr]


@pytest.mark.usefixtures("marketer_id")
def test_marketing_starts_an_experiment_and_it_is_audited(
    app_client: TestClient, store: Factory
) -> None:
    csrf = login(app_client, MARKETER)
    assert "New experiment" in app_client.get("/console/experiments").text
    form_page = app_client.get("/console/experiments/new")
    assert form_page.status_code == 200 and 'name="text"' in form_page.text

    response = app_client.post(
        "/console/experiments", data={**_new_form(), "csrf_token": csrf}, follow_redirects=False
    )

    assert response.status_code == 303
    experiment_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    with store() as session:
        experiment = session.get(Experiment, experiment_id)
        assert experiment is not None
        assert (experiment.key, experiment.name, experiment.goal) == (
            "greeting",
            "Warm or brief",
            "suggestion_click",
        )
        assert experiment.created_by == MARKETER
        variants = experiments.list_variants(session, experiment_id)
        assert [(v.key, v.text) for v in variants] == [
            ("a", "Hello! Lovely to see you."),
            ("b", "Hi!"),
        ]
    [event] = _audit(store, AuditAction.experiment_saved)
    assert (event.actor, event.target) == (MARKETER, f"experiment:{experiment_id}")
    listing = app_client.get("/console/experiments").text
    assert "Warm or brief" in listing and f"/console/experiments/{experiment_id}" in listing


@pytest.mark.usefixtures("marketer_id")
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ["Only one text", "", "", ""]}, "at least 2 variants"),
        ({"name": "   "}, "needs a name"),
        ({"key": "checkout"}, "choose a place of the list"),
        ({"goal": "revenue"}, "unknown goal"),
        ({"text": ["Hello", "x" * 1001]}, "longer than 1000 characters"),
    ],
)
def test_bad_input_re_renders_the_form_with_the_input(
    app_client: TestClient, store: Factory, fields: dict[str, object], message: str
) -> None:
    csrf = login(app_client, MARKETER)

    response = app_client.post(
        "/console/experiments", data={**_new_form(**fields), "csrf_token": csrf}
    )

    assert response.status_code == 400
    assert message in response.text
    texts = fields.get("text", _new_form()["text"])
    assert f">{texts[0]}</textarea>" in response.text  # type: ignore[index]
    with store() as session:
        assert session.scalars(select(Experiment)).all() == []


@pytest.mark.usefixtures("marketer_id")
def test_a_second_running_experiment_at_the_same_place_is_refused(
    app_client: TestClient, store: Factory
) -> None:
    with store() as session:
        make_experiment(session, name="Running greeting test")
        session.commit()
    csrf = login(app_client, MARKETER)

    response = app_client.post("/console/experiments", data={**_new_form(), "csrf_token": csrf})

    assert response.status_code == 400
    assert "already running" in response.text
    assert 'value="Warm or brief"' in response.text


@pytest.mark.usefixtures("marketer_id")
def test_detail_shows_counts_rates_posteriors_and_p_best(
    app_client: TestClient, store: Factory
) -> None:
    with store() as session:
        experiment = make_experiment(session, texts=("Hello.", "Hi, want ideas?", "Hey!"))
        _seed(session, experiment, "a", assigned=20, clicks=2)
        _seed(session, experiment, "b", assigned=20, clicks=10)
        session.commit()
        experiment_id = experiment.id
    login(app_client, MARKETER)

    html = app_client.get(f"/console/experiments/{experiment_id}").text

    assert [_cell(html, key, "assigned") for key in "abc"] == ["20", "20", "0"]
    assert [_cell(html, key, "converted") for key in "abc"] == ["2", "10", "0"]
    assert [_cell(html, key, "rate") for key in "abc"] == ["10.0 %", "50.0 %", "0.0 %"]
    # Beta(3, 19), Beta(11, 11) and the flat Beta(1, 1).
    assert [_cell(html, key, "mean") for key in "abc"] == ["13.6 %", "50.0 %", "50.0 %"]
    arms = [
        ArmCounts.of(trials=20, successes=2),
        ArmCounts.of(trials=20, successes=10),
        ArmCounts(0, 0),
    ]
    expected = summarize(arms, rng=np.random.default_rng(experiment_id))
    low, high = expected[0].interval
    assert _cell(html, "a", "interval") == f"{low * 100:.1f} to {high * 100:.1f} %"
    p_best = [float(_cell(html, key, "p-best").rstrip(" %")) for key in "abc"]
    assert p_best == [round(row.probability_best * 100, 1) for row in expected]
    assert p_best[0] < 1.0 and p_best[1] > p_best[0]
    assert html.count("Stop and fix winner") == 3


@pytest.mark.usefixtures("marketer_id")
def test_stop_fixes_the_winner_for_every_conversation(
    app_client: TestClient, store: Factory
) -> None:
    with store() as session:
        experiment_id = make_experiment(session).id
        session.commit()
    csrf = login(app_client, MARKETER)

    response = app_client.post(
        f"/console/experiments/{experiment_id}/stop",
        data={"winner_key": "b", "csrf_token": csrf},
        follow_redirects=False,
    )

    assert response.status_code == 303
    with store() as session:
        experiment = session.get(Experiment, experiment_id)
        assert experiment is not None
        assert (experiment.status, experiment.winner_key, experiment.stopped_by) == (
            ExperimentStatus.stopped,
            "b",
            MARKETER,
        )
        chosen = pick_variant(
            session,
            key="greeting",
            conversation_id=make_conversation(session).id,
            rng=np.random.default_rng(0),
        )
        assert chosen is not None and chosen.variant_key == "b"
    [event] = _audit(store, AuditAction.experiment_stopped)
    assert event.detail == {"key": "greeting", "winner": "b"}
    page = app_client.get(f"/console/experiments/{experiment_id}").text
    assert "Stop and fix winner" not in page and '<strong id="winner">b</strong>' in page


@pytest.mark.usefixtures("marketer_id")
def test_stop_with_an_unknown_winner_or_twice_is_refused(
    app_client: TestClient, store: Factory
) -> None:
    with store() as session:
        experiment_id = make_experiment(session).id
        session.commit()
    csrf = login(app_client, MARKETER)
    path = f"/console/experiments/{experiment_id}/stop"

    unknown = app_client.post(path, data={"winner_key": "z", "csrf_token": csrf})
    app_client.post(path, data={"winner_key": "a", "csrf_token": csrf})
    twice = app_client.post(path, data={"winner_key": "b", "csrf_token": csrf})

    assert unknown.status_code == 400 and "no variant" in unknown.text
    assert twice.status_code == 400 and "already stopped" in twice.text
    with store() as session:
        assert session.get(Experiment, experiment_id).winner_key == "a"  # type: ignore[union-attr]
    assert len(_audit(store, AuditAction.experiment_stopped)) == 1


@pytest.mark.usefixtures("admin_id")
def test_an_admin_reaches_experiments_and_a_missing_one_is_404(app_client: TestClient) -> None:
    csrf = login(app_client, ADMIN)

    assert app_client.get("/console/experiments").status_code == 200
    assert app_client.get("/console/experiments/999").status_code == 404
    missing = app_client.post(
        "/console/experiments/999/stop", data={"winner_key": "a", "csrf_token": csrf}
    )
    assert missing.status_code == 404
