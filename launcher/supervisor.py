"""`make run`: prepare the store and the model, start the three processes, watch them.

Order: preflight checks (one line per problem) -> migrations -> demo shop (with its
conversations, costs, draft campaigns and a greeting experiment) when the store is empty
-> product recommender and lead scorer (each trained only when no version exists) ->
customer segments and lifetime values (when never computed) -> Rasa model
(trained only when its inputs changed) -> Rasa server and action server -> gateway.
Each must answer its health check before the addresses are printed.
If any process dies, the others are stopped and the report says which one and why;
Ctrl-C (or SIGTERM) stops all three cleanly.
"""

from __future__ import annotations

import signal
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType

import httpx
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from crm_bridge import db
from crm_bridge.column_types import utcnow
from crm_bridge.demo_campaigns import seed_demo_campaigns
from crm_bridge.demo_conversations import seed_demo_conversations
from crm_bridge.demo_costs import seed_demo_costs
from crm_bridge.demo_experiments import seed_demo_experiments
from crm_bridge.demo_shop import is_empty, seed_demo_shop
from crm_bridge.settings import StoreSettings
from launcher import lead_scoring_training, preflight, recommender_training, value_computation
from launcher.errors import StartupError
from launcher.model import ensure_model, model_path_for, rasa_env
from launcher.processes import ManagedProcess, ProcessDied, ProcessSpec
from launcher.rasa_files import write_rasa_files
from launcher.settings import PROJECT_ROOT, LauncherSettings


@dataclass
class _StopFlag:
    requested: bool = False

    def set(self, signum: int, _frame: FrameType | None) -> None:
        self.requested = True


def prepare_store(database_url: str, *, seed_demo: bool, demo_marketing: bool = False) -> None:
    """Apply migrations and, on an empty store, generate the demo shop.

    ``demo_marketing`` adds the demo's recent conversations, costs, draft campaigns and
    greeting experiment (``make run``); the end-to-end tests leave it off, so their chats
    start from a store with no history and the plain greeting.
    """
    db.upgrade_to_head(database_url)
    if not seed_demo:
        return
    engine = db.make_engine(database_url)
    try:
        with db.make_session_factory(engine)() as session:
            if is_empty(session):
                print("Generating the demo shop (catalogue, customers, orders)...", flush=True)
                seed_demo_shop(session)
                if demo_marketing:
                    seed_demo_marketing(session, now=utcnow())
                session.commit()
    finally:
        engine.dispose()


def seed_demo_marketing(session: Session, *, now: datetime) -> None:
    """The demo shop's marketing side: recent chats, costs, draft campaigns, an experiment."""
    seed_demo_conversations(session, now=now)
    seed_demo_costs(session)
    seed_demo_campaigns(session)
    seed_demo_experiments(session)


def prepare_values(store: StoreSettings) -> None:
    """Compute segments and lifetime values when no value run has succeeded yet."""
    try:
        result = value_computation.ensure_values(store.resolved_database_url())
    except Exception as error:  # the shop works without segments: say so, keep starting
        print(f"warning: customer segments could not be computed: {error}", flush=True)
        return
    if result is not None:
        print(f"Customer segments and lifetime values: {result.message}", flush=True)


def prepare_recommender(store: StoreSettings) -> None:
    """Train a first recommender version when there is none (seconds on the demo shop)."""
    root = recommender_training.recommender_root(store.data_dir.resolve())
    try:
        version = recommender_training.ensure_trained(store.resolved_database_url(), root)
    except Exception as error:  # the shop works without suggestions: say so, keep starting
        print(f"warning: the product recommender could not be trained: {error}", flush=True)
        return
    if version:
        print(f"Trained the product recommender ({version}) into {root}.", flush=True)


def train_recommender(store: StoreSettings, *, fold_in: bool = False) -> str:
    """`train-recommender`: a full training, or a fold-in of the newest events."""
    root = recommender_training.recommender_root(store.data_dir.resolve())
    run = recommender_training.fold_in if fold_in else recommender_training.train
    return run(store.resolved_database_url(), root)


def prepare_lead_scorer(store: StoreSettings) -> None:
    """Train a first lead scorer when there is none; without enough closed leads, use rules."""
    root = lead_scoring_training.lead_scoring_root(store.data_dir.resolve())
    try:
        version = lead_scoring_training.ensure_trained(store.resolved_database_url(), root)
    except lead_scoring_training.NotEnoughLeads as reason:
        print(f"Lead scoring: {reason}.", flush=True)
        return
    except Exception as error:  # leads are still scored by rules: say so, keep starting
        print(f"warning: the lead scorer could not be trained: {error}", flush=True)
        return
    if version:
        print(f"Trained the lead scorer ({version}) into {root}.", flush=True)


def train_lead_scorer(store: StoreSettings) -> str:
    """`train-lead-scorer`: train a new version, return its description with the metrics."""
    root = lead_scoring_training.lead_scoring_root(store.data_dir.resolve())
    try:
        version = lead_scoring_training.train(store.resolved_database_url(), root)
    except lead_scoring_training.NotEnoughLeads as reason:
        raise StartupError(str(reason)) from None
    return lead_scoring_training.describe(root, version)


def build_specs(
    settings: LauncherSettings, store: StoreSettings, model: Path, rasa_bin: Path
) -> list[ProcessSpec]:
    """The three processes with their commands, health URLs and log files."""
    data_dir = store.data_dir.resolve()
    logs = data_dir / "logs"
    endpoints, credentials = write_rasa_files(data_dir, actions_port=settings.actions_port)
    app_python = sys.executable
    app_env = rasa_env(PROJECT_ROOT) | {
        "RASA_URL": f"http://127.0.0.1:{settings.rasa_port}",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": store.resolved_database_url(),
    }
    return [
        ProcessSpec(
            name="rasa",
            argv=[
                str(rasa_bin),
                "run",
                "--model",
                str(model),
                "--credentials",
                str(credentials),
                "--endpoints",
                str(endpoints),
                "--interface",
                "127.0.0.1",
                "--port",
                str(settings.rasa_port),
            ],
            health_url=f"http://127.0.0.1:{settings.rasa_port}/webhooks/gateway/health",
            log_path=logs / "rasa.log",
            cwd=PROJECT_ROOT,
            env=rasa_env(PROJECT_ROOT),
        ),
        ProcessSpec(
            name="actions",
            argv=[
                app_python,
                "-m",
                "rasa_sdk",
                "--actions",
                "actions",
                "--port",
                str(settings.actions_port),
            ],
            health_url=f"http://127.0.0.1:{settings.actions_port}/health",
            log_path=logs / "actions.log",
            cwd=PROJECT_ROOT,
            env=app_env,
        ),
        ProcessSpec(
            name="gateway",
            argv=[
                app_python,
                "-m",
                "uvicorn",
                "bot.main:create_app",
                "--factory",
                "--host",
                settings.gateway_host,
                "--port",
                str(settings.gateway_port),
            ],
            health_url=f"http://{settings.gateway_host}:{settings.gateway_port}/healthz",
            log_path=logs / "gateway.log",
            cwd=PROJECT_ROOT,
            env=app_env,
        ),
    ]


def prepare(settings: LauncherSettings, store: StoreSettings) -> list[ProcessSpec]:
    """Everything before the first process starts; raises StartupError with one line."""
    database_url = store.resolved_database_url()
    preflight.check_model(settings.rasa_model)
    rasa_bin = preflight.check_rasa_environment(settings.rasa_venv)
    for port, variable in (
        (settings.gateway_port, "GATEWAY_PORT"),
        (settings.rasa_port, "RASA_PORT"),
        (settings.actions_port, "ACTIONS_PORT"),
    ):
        host = settings.gateway_host if variable == "GATEWAY_PORT" else "127.0.0.1"
        preflight.check_port_free(host, port, variable=variable)
    preflight.check_database(database_url)
    prepare_store(database_url, seed_demo=settings.seed_demo_shop, demo_marketing=True)
    prepare_recommender(store)
    prepare_lead_scorer(store)
    prepare_values(store)
    model = settings.rasa_model or trained_model(settings, store)
    return build_specs(settings, store, model, rasa_bin)


def trained_model(settings: LauncherSettings, store: StoreSettings) -> Path:
    """The model for the current training data, trained now if it is missing."""
    if not model_path_for(PROJECT_ROOT, settings.models_dir).exists():
        print("Training the Rasa model (its data changed; about a minute)...", flush=True)
    return ensure_model(
        PROJECT_ROOT,
        settings.models_dir,
        settings.rasa_venv / "bin" / "rasa",
        log_path=store.data_dir.resolve() / "logs" / "train.log",
    )


def run(settings: LauncherSettings, store: StoreSettings) -> int:
    """Start everything and block until Ctrl-C (exit 0) or a process dies (exit 1)."""
    stop = _StopFlag()
    signal.signal(signal.SIGINT, stop.set)
    signal.signal(signal.SIGTERM, stop.set)
    try:
        specs = prepare(settings, store)
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 2
    processes = [ManagedProcess(spec) for spec in specs]
    try:
        for process in processes:
            process.start()
            print(f"Started {process.name} (pid {process.pid}), log: {process.spec.log_path}")
        print("Waiting for every process to answer its health check...", flush=True)
        for process in processes:
            process.wait_healthy(
                settings.startup_timeout_seconds, keep_waiting=lambda: not stop.requested
            )
        if not stop.requested:
            _print_addresses(settings, store, specs)
        while not stop.requested:
            for process in processes:
                if process.exit_code() is not None:
                    raise ProcessDied(process.death_report())
            time.sleep(0.5)
        print("Stopping...", flush=True)
        return 0
    except (ProcessDied, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        for process in reversed(processes):
            process.stop()
        print("All processes stopped.", flush=True)


def _print_addresses(
    settings: LauncherSettings, store: StoreSettings, specs: list[ProcessSpec]
) -> None:
    shown_db = make_url(store.resolved_database_url()).render_as_string(hide_password=True)
    logs = specs[0].log_path.parent
    gateway = next(spec for spec in specs if spec.name == "gateway")
    # Asked once over HTTP (the launcher never imports bot/): e.g. "off (no TELEGRAM_BOT_TOKEN)";
    # email likewise, "off (set SMTP_HOST, MAIL_FROM ...)" or "via host:port (...), from ...".
    try:
        health = httpx.get(gateway.health_url, timeout=3.0, trust_env=False).json()
        telegram = str(health.get("channels", {}).get("telegram", "unknown"))
        email = str(health.get("email", "unknown"))
    except (httpx.HTTPError, ValueError, AttributeError):
        telegram = email = "unknown (the gateway did not say)"
    print(
        "\nThe assistant is running.\n"
        f"  Demo shop with the chat widget: http://{settings.gateway_host}:{settings.gateway_port}/\n"
        f"  Rasa server (loopback only):    http://127.0.0.1:{settings.rasa_port}\n"
        f"  Action server:                  http://127.0.0.1:{settings.actions_port}\n"
        f"  CRM store:                      {shown_db}\n"
        f"  Telegram:                       {telegram}\n"
        f"  Email:                          {email}\n"
        f"  Logs:                           {logs}/\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
