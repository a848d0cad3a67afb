"""The campaign engine: triggers enrol contacts, due enrolments run their actions once.

`triggers` turns CRM events into enrolments, `engine` runs an enrolment (claim, conditions,
actions in order, each recorded in its `campaign_sends` row), `actions/` holds one module
per action kind, and `automation.scheduler` calls them on time. docs/campaigns.md tells
the whole story, including what happens when a worker dies mid-send.
"""
