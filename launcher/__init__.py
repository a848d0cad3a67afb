"""Start, supervise and stop the assistant's three processes (`make run`).

The launcher is an application like `bot/` and `actions/`: it imports the libraries
(`crm_bridge/`) but neither of the other applications; it runs them as processes.
"""
