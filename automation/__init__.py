"""Marketing automation: customer-value runs, the campaign engine, experiment assignment.

A library between the stores and the models: it reads and writes the CRM store through
`crm_bridge`, fits and scores with `marketing` (plain data), and queues email through
`mailer`. The gateway runs its scheduler (`automation.scheduler`), the launcher runs its
commands, and the action server assigns experiment variants through it. It never imports
`bot/`, `actions/` or `launcher/`, and never reads the environment except through
`automation.settings.AutomationSettings`, which only applications instantiate.
"""
