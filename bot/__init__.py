"""The gateway: web chat (and later Telegram) in front of Rasa, recording every message."""
