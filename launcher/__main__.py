"""`python -m launcher <command>`: the commands behind `make run`.

run                prepare, start Rasa, the action server and the gateway, stop them on Ctrl-C
train              train the Rasa model if its data changed, print its path
prepare            preflight checks, migrations, demo shop and models, without starting anything
train-recommender  train the product recommender from the CRM store, print the new version;
                   with --fold-in, add the events since the newest version without refitting
train-lead-scorer  train the lead scorer from the CRM store's closed leads, print its metrics
compute-values     recompute RFM segments, clusters and lifetime values, print a summary
"""

from __future__ import annotations

import argparse
import sys

from pydantic import ValidationError

from crm_bridge.settings import StoreSettings
from launcher import supervisor, value_computation
from launcher.errors import StartupError
from launcher.settings import LauncherSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m launcher",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        choices=[
            "run",
            "train",
            "prepare",
            "train-recommender",
            "train-lead-scorer",
            "compute-values",
        ],
    )
    parser.add_argument(
        "--fold-in",
        action="store_true",
        help="train-recommender: fold new events into the newest version instead of refitting",
    )
    args = parser.parse_args(argv)
    try:
        settings, store = LauncherSettings(), StoreSettings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
        )
        print(f"error: invalid setting: {problems}", file=sys.stderr)
        return 2
    if args.command == "run":
        return supervisor.run(settings, store)
    try:
        if args.command == "train":
            print(supervisor.trained_model(settings, store))
        elif args.command == "train-recommender":
            print(supervisor.train_recommender(store, fold_in=args.fold_in))
        elif args.command == "train-lead-scorer":
            print(supervisor.train_lead_scorer(store))
        elif args.command == "compute-values":
            print(value_computation.compute_values_command(store))
        else:
            supervisor.prepare(settings, store)
            print("ready to run")
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
