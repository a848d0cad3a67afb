"""Email for the assistant: settings, templates, the outbox API, SMTP sending and its worker.

A library: it imports `crm_bridge` only, receives `MailSettings` from the application and
never reads the environment itself. See docs/email.md.
"""
