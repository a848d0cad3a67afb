"""One module per customer channel; each turns its wire format into `bot.messages` types."""
