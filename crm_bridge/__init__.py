"""CRM store: contacts, conversations, messages, products, orders, leads and hand-overs.

A library: it receives database URLs and sessions from the applications and never reads
the environment. Repository modules take a ``Session`` first, flush but never commit.
"""
